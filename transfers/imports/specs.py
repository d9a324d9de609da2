"""The columns of each kind of sheet: the template, the import and the export of that kind.

The status, total and band columns are written by the exports so that the file says where
each row stands; no importer reads them. The "Xã, phường" column is
optional in a filled-in template, and checked when present: a row of another commune is
refused rather than put into a village of the same name here.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centers.models import FUND_SOURCES, LEARNER_GROUPS, TOPICS
from lib.dates import this_year
from lib.sheets import Column, Kind, SheetSpec


def _villages(context):
    return context.village_choices() if context is not None else []


def _centers(context):
    return context.center_choices() if context is not None else []


def _registration_years(context):
    return [(y, str(y)) for y in context.registration_years] if context is not None else []


def _report_years(context):
    return [(y, str(y)) for y in context.report_years] if context is not None else []


COMMUNE = Column(
    "commune",
    pgettext_lazy("sheet column", "Commune"),
    max_length=200,
    help_text=_(
        "Optional. When filled in (as the exports do), it must be the commune you import into."
    ),
    width=24,
)
STATUS = Column(
    "status",
    pgettext_lazy("sheet column", "Status"),
    help_text=_("Written by the portal's exports; left as it is by the import."),
    width=18,
)


def _registration_year(help_text):
    return Column(
        "year",
        pgettext_lazy("sheet column", "Year of registration"),
        kind=Kind.YEAR,
        required=True,
        choices=_registration_years,
        help_text=help_text,
        width=14,
    )


_EMPTY_KEEPS = _("An empty cell leaves what the portal already holds.")

HOUSEHOLDS = SheetSpec(
    name=_("Learning families"),
    kind_code="households",
    columns=[
        Column(
            "head_name",
            pgettext_lazy("sheet column", "Head of household"),
            required=True,
            max_length=200,
            help_text=_("Full name with its accents, e.g. Lò Văn Piếng."),
            width=28,
        ),
        Column(
            "head_birth_year",
            pgettext_lazy("sheet column", "Head's year of birth"),
            kind=Kind.YEAR,
            min_value=1900,
            max_value=this_year,
            width=14,
        ),
        Column(
            "village",
            pgettext_lazy("sheet column", "Village"),
            kind=Kind.CHOICE,
            required=True,
            choices=_villages,
            help_text=_("The villages of the commune, as the portal lists them."),
            width=24,
        ),
        Column(
            "address",
            pgettext_lazy("sheet column", "Address"),
            max_length=255,
            help_text=_EMPTY_KEEPS,
            width=28,
        ),
        Column(
            "phone",
            pgettext_lazy("sheet column", "Phone"),
            max_length=30,
            help_text=format_lazy("{} {}", _("Never shown publicly."), _EMPTY_KEEPS),
            width=16,
        ),
        _registration_year(_("The year the family registers for the title.")),
        COMMUNE,
        STATUS,
    ],
    instructions=[
        _(
            "One household per row. A household already in the portal (same head's name, year "
            "of birth and village) is registered again only if it has no registration for "
            "that year; otherwise the row changes nothing."
        ),
        _(
            "A household that looks like one registered last year in another commune is "
            "refused: register it through the form if it really is another household."
        ),
    ],
)

CLANS = SheetSpec(
    name=_("Learning clans"),
    kind_code="clans",
    columns=[
        Column(
            "surname",
            pgettext_lazy("sheet column", "Clan surname"),
            required=True,
            max_length=60,
            width=16,
        ),
        Column(
            "branch",
            pgettext_lazy("sheet column", "Clan branch"),
            max_length=200,
            help_text=_("The branch (chi) when the clan registers by branch."),
            width=22,
        ),
        Column(
            "representative",
            pgettext_lazy("sheet column", "Representative"),
            max_length=200,
            width=26,
        ),
        _registration_year(_("The year the clan registers for the title.")),
        COMMUNE,
        STATUS,
    ],
    instructions=[
        _(
            "One clan (or clan branch) per row. A clan already in the portal with the same "
            "surname and branch is registered again only if it has no registration for that "
            "year."
        ),
    ],
)

COMMUNITIES = SheetSpec(
    name=_("Learning communities"),
    kind_code="communities",
    columns=[
        Column(
            "village",
            pgettext_lazy("sheet column", "Village"),
            kind=Kind.CHOICE,
            required=True,
            choices=_villages,
            help_text=_("The village registering as a learning community."),
            width=26,
        ),
        _registration_year(_("The year the village registers for the title.")),
        COMMUNE,
        STATUS,
    ],
    instructions=[
        _(
            "One village per row. A village missing from the list is added first, on the "
            "commune's page."
        )
    ],
)


# The first two columns of both centre sheets (reports and self-assessments).
CENTER = Column(
    "center",
    pgettext_lazy("sheet column", "Learning centre"),
    kind=Kind.CHOICE,
    required=True,
    choices=_centers,
    help_text=_("A current learning centre of the commune."),
    width=34,
)
REPORT_YEAR = Column(
    "year",
    pgettext_lazy("sheet column", "Year"),
    kind=Kind.YEAR,
    required=True,
    choices=_report_years,
    width=10,
)


def _count(key, label, help_text=""):
    return Column(key, label, kind=Kind.INT, min_value=0, help_text=help_text, width=14)


def _report_columns():
    columns = []
    for key, label in TOPICS:
        columns.append(
            _count(
                f"{key}_classes",
                format_lazy("{}: {}", pgettext_lazy("sheet column", "Classes"), label),
            )
        )
        columns.append(
            _count(
                f"{key}_participants",
                format_lazy("{}: {}", pgettext_lazy("sheet column", "Participant-visits"), label),
            )
        )
    for key, label in LEARNER_GROUPS:
        columns.append(
            _count(key, format_lazy("{}: {}", pgettext_lazy("sheet column", "Learners"), label))
        )
    for key, label in FUND_SOURCES:
        columns.append(
            _count(key, format_lazy("{}: {}", pgettext_lazy("sheet column", "Funds (VND)"), label))
        )
    return columns


CENTER_REPORTS = SheetSpec(
    name=_("Centre activity reports"),
    kind_code="center-reports",
    columns=[
        CENTER,
        REPORT_YEAR,
        *_report_columns(),
        Column("note", pgettext_lazy("sheet column", "Note"), max_length=2000, width=30),
        COMMUNE,
    ],
    instructions=[
        _(
            "One centre and year per row. An empty number counts as 0. A report already filed "
            "for that centre and year is corrected with the row's figures."
        ),
    ],
)


def criterion_key(number):
    return f"c{number}"


def center_scores_spec(scheme):
    """The self-assessment sheet of `scheme`: one column of points per criterion."""
    criteria = list(scheme.criteria.order_by("number")) if scheme is not None else []
    columns = [CENTER, REPORT_YEAR]
    for criterion in criteria:
        columns.append(
            Column(
                criterion_key(criterion.number),
                format_lazy("{} {}", pgettext_lazy("sheet column", "Criterion"), criterion.number),
                kind=Kind.DECIMAL,
                required=True,
                min_value=0,
                max_value=criterion.max_points,
                decimal_places=2,
                help_text=format_lazy("{} {}", criterion.title, _("(the commune's own points)")),
                width=12,
            )
        )
    columns += [
        Column(
            "total",
            pgettext_lazy("sheet column", "Total score"),
            help_text=STATUS.help_text,
            width=10,
        ),
        Column("band", pgettext_lazy("sheet column", "Band"), help_text=STATUS.help_text, width=12),
        STATUS,
        COMMUNE,
    ]
    return SheetSpec(
        name=_("Centre self-assessments"),
        kind_code="center-scores",
        columns=columns,
        instructions=[
            format_lazy(
                "{} {}",
                _("Points of the rating scheme:"),
                scheme.name if scheme is not None else "-",
            ),
            _(
                "One centre and year per row. A self-assessment not yet submitted is "
                "corrected with the row's points; a submitted one cannot be changed here."
            ),
        ],
    )
