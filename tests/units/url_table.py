"""Every URL of the units app × persona → status.

Officer: Xã Mường Phăng (and, read-only, its predecessor Xã Nà Nhạn); sibling officer:
Phường Mường Thanh; province staff: approver and manager of the province.
"""

from lib.dates import this_year
from tests.urltable import Row, staff
from units import services
from units.models import Membership, Role

THIS_YEAR = this_year()


def _unit(name):
    return lambda request: {"pk": request.getfixturevalue("tree")[name].pk}


def _figures(name, year):
    return lambda request: {"pk": request.getfixturevalue("tree")[name].pk, "year": year}


def _village(request):
    commune = request.getfixturevalue("tree")["commune"]
    return {"pk": services.add_village(commune, by=None, name="Bản Co Muông", kind="ban").pk}


def _officer_account(request):
    return {"pk": request.getfixturevalue("officer").pk}


def _officer_second_role(request):
    officer = request.getfixturevalue("officer")
    commune = request.getfixturevalue("tree")["commune"]
    return {"pk": Membership.objects.create(user=officer, unit=commune, role=Role.VIEWER).pk}


def _village_data(request):
    return {"name": "Bản Mới", "kind": "ban"}


def _figures_data(request):
    return {"members": 900, "population": 4000, "households": 800, "branches": 9, "boards": 3}


# Seen from inside the officer's commune; 404 from the sibling commune.
OWN_COMMUNE = staff(sibling_officer=404)
# Outside both communes: only province staff reach it.
PROVINCE_ONLY = staff(officer=404, sibling_officer=404)
# History reached through lineage: readable by the officer, editable by nobody.
READ_ONLY_HISTORY = staff(officer=403, sibling_officer=404, province_staff=403)
MANAGERS_ONLY = staff(officer=403, sibling_officer=403)
REDIRECT_OWN = staff(officer=302, sibling_officer=404, province_staff=302)
# No such page for anyone (a district has no branches of its own, a year out of range…).
NOBODY = staff(officer=404, sibling_officer=404, province_staff=404)

ROWS = [
    Row("units:tree", staff()),
    Row("units:choose", staff()),
    # Without htmx a node's children answer with the tree opened at the node (a redirect).
    Row(
        "units:tree-children",
        staff(officer=302, sibling_officer=404, province_staff=302),
        kwargs=_unit("commune"),
        label="commune",
    ),
    Row(
        "units:tree-children",
        staff(officer=404, sibling_officer=404, province_staff=302),
        kwargs=_unit("province"),
        label="province",
    ),
    Row("units:unit-detail", OWN_COMMUNE, kwargs=_unit("commune"), label="commune"),
    Row("units:unit-detail", OWN_COMMUNE, kwargs=_unit("old_commune"), label="lineage"),
    Row("units:unit-detail", OWN_COMMUNE, kwargs=_unit("branch"), label="branch"),
    Row("units:unit-detail", PROVINCE_ONLY, kwargs=_unit("province"), label="province"),
    Row("units:unit-detail", PROVINCE_ONLY, kwargs=_unit("district"), label="district"),
    Row(
        "units:unit-detail",
        staff(officer=404, province_staff=200),
        kwargs=_unit("sibling"),
        label="sibling",
    ),
    Row("units:village-create", OWN_COMMUNE, kwargs=_unit("commune")),
    Row("units:village-create", READ_ONLY_HISTORY, kwargs=_unit("old_commune"), label="lineage"),
    Row(
        "units:village-create",
        REDIRECT_OWN,
        kwargs=_unit("commune"),
        method="post",
        data=_village_data,
        label="post",
    ),
    Row("units:village-update", OWN_COMMUNE, kwargs=_village),
    Row(
        "units:village-update",
        REDIRECT_OWN,
        kwargs=_village,
        method="post",
        data=_village_data,
        label="post",
    ),
    Row("units:branch-create", OWN_COMMUNE, kwargs=_unit("commune")),
    Row("units:branch-create", NOBODY, kwargs=_unit("district"), label="not-a-commune"),
    Row("units:branch-update", OWN_COMMUNE, kwargs=_unit("branch")),
    Row(
        "units:branch-update",
        NOBODY,
        kwargs=_unit("commune"),
        label="not-a-branch",
    ),
    Row("units:figures-edit", OWN_COMMUNE, kwargs=_figures("commune", THIS_YEAR)),
    Row(
        "units:figures-edit",
        REDIRECT_OWN,
        kwargs=_figures("commune", THIS_YEAR),
        method="post",
        data=_figures_data,
        label="post",
    ),
    Row(
        "units:figures-edit",
        NOBODY,
        kwargs=_figures("commune", 2009),
        label="year-out-of-range",
    ),
    Row(
        "units:figures-edit",
        NOBODY,
        kwargs=_figures("commune", 2020),
        label="before-the-commune",
    ),
    Row(
        "units:figures-edit",
        NOBODY,
        kwargs=_figures("province", THIS_YEAR),
        label="province-sums",
    ),
    Row(
        "units:figures-edit",
        READ_ONLY_HISTORY,
        kwargs=_figures("old_commune", 2024),
        label="lineage",
    ),
    Row("units:account-list", MANAGERS_ONLY),
    Row("units:account-create", MANAGERS_ONLY),
    Row("units:account-update", MANAGERS_ONLY, kwargs=_officer_account),
    Row("units:membership-add", MANAGERS_ONLY, kwargs=_officer_account),
    Row(
        "units:membership-remove",
        staff(officer=405, sibling_officer=405, province_staff=405),
        kwargs=_officer_second_role,
        label="get",
    ),
    Row(
        "units:membership-remove",
        staff(officer=403, sibling_officer=403, province_staff=302),
        kwargs=_officer_second_role,
        method="post",
        label="post",
    ),
]
