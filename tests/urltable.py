"""The URL × persona → status table, contributed by each app.

Each `tests/<app>/url_table.py` defines `ROWS`, a list of `Row`. A row names a URL pattern,
how to build its arguments from fixtures, and the status each persona gets. The test in
`tests/test_url_permissions.py` runs every row for every persona and fails when a staff URL
(anything under /portal/) has no row.
"""

import importlib
from dataclasses import dataclass, field

APPS = (
    "khuyenhoc",
    "units",
    "models_learning",
    "centers",
    "funds",
    "certificates",
    "reports",
    "imports",
    "exports",
    "citizens",
)


@dataclass(frozen=True)
class Row:
    name: str  # "namespace:url-name"
    expected: dict  # persona -> status code
    kwargs: object = None  # callable(request) -> URL kwargs, request being pytest's
    method: str = "get"
    data: object = None  # callable(request) -> POST data
    label: str = ""  # tells two rows of one URL apart
    fixtures: tuple = field(default_factory=tuple)  # fixtures to set up before the persona acts

    @property
    def id(self):
        return f"{self.name}{'[' + self.label + ']' if self.label else ''}"


def all_rows():
    rows = []
    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.url_table")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{app}.url_table":
                raise
            continue
        rows.extend(module.ROWS)
    return rows


def staff(anonymous=302, officer=200, sibling_officer=200, province_staff=200):
    """Shorthand for the expected statuses (tests.helpers.PERSONAS); anonymous users are sent
    to the login page."""
    return {
        "anonymous": anonymous,
        "officer": officer,
        "sibling_officer": sibling_officer,
        "province_staff": province_staff,
    }


# The answers both workflow apps give (README, "Refused actions"), for an object of the
# officer's commune:
# read by its officer and province staff, a 404 for the sibling commune;
OWN = staff(sibling_officer=404)
# a step only the commune officer takes: done (302 to the object), refused to province staff
# on the step's page (200, the reason in place of the action), a 404 for the sibling commune;
OFFICER_DOES = staff(officer=302, sibling_officer=404, province_staff=200)
# a step only a province approver takes: refused to the officer on its page (200).
APPROVER_DOES = staff(officer=200, sibling_officer=404, province_staff=302)
