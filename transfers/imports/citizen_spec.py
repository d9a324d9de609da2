"""The learning citizens' sheet: the template of a village (its adults, filled in by the
portal), the import of the results, and the export of a commune for the national upload."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lib.dates import this_year
from lib.sheets import Column, Kind, SheetSpec

from .specs import COMMUNE

ACHIEVED = [("yes", _("Achieved")), ("no", _("Not yet"))]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]

CITIZENS = SheetSpec(
    name=_("Learning citizens"),
    kind_code="citizens",
    columns=[
        Column(
            "member",
            pgettext_lazy("sheet column", "Person number"),
            kind=Kind.INT,
            required=True,
            min_value=1,
            help_text=_("Written by the portal: the person in its households. Do not change it."),
            width=12,
        ),
        Column(
            "name",
            pgettext_lazy("sheet column", "Full name"),
            required=True,
            max_length=200,
            help_text=_("Checked against the portal: a row moved onto another person is refused."),
            width=26,
        ),
        Column(
            "birth_year",
            pgettext_lazy("sheet column", "Year of birth"),
            kind=Kind.YEAR,
            min_value=1900,
            max_value=this_year,
            width=10,
        ),
        Column("head_name", pgettext_lazy("sheet column", "Head of household"), width=24),
        Column("village", pgettext_lazy("sheet column", "Village"), width=20),
        Column(
            "year",
            pgettext_lazy("sheet column", "Year of assessment"),
            kind=Kind.YEAR,
            required=True,
            min_value=2021,
            max_value=this_year,
            width=10,
        ),
        Column(
            "achieved",
            pgettext_lazy("sheet column", "Learning citizen"),
            kind=Kind.CHOICE,
            choices=ACHIEVED,
            help_text=_("Empty: not assessed, the row changes nothing."),
            width=14,
        ),
        Column(
            "digital",
            pgettext_lazy("sheet column", "Digital skills"),
            kind=Kind.CHOICE,
            choices=YES_NO,
            width=12,
        ),
        COMMUNE,
        Column(
            "commune_code",
            pgettext_lazy("sheet column", "Commune code"),
            help_text=_("The official code of the commune (written by the portal)."),
            width=10,
        ),
        Column("source", pgettext_lazy("sheet column", "Obtained by"), width=18),
        Column(
            "assessed_on",
            pgettext_lazy("sheet column", "Assessed on"),
            kind=Kind.DATE,
            width=12,
        ),
    ],
    instructions=[
        _(
            "One adult per row, as the portal wrote them for a village or a commune: fill in "
            "the result and the digital skills of those assessed, leave the others empty."
        ),
        _(
            "Results come from the national software or the village's review: the import "
            "records them as imported, one per person and year (a second import of the same "
            "file changes nothing)."
        ),
    ],
)
