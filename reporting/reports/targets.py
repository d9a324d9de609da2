"""The programmes' targets for the learning titles, per year (PROVISIONAL data, see below).

The national programmes set the share of families, clans, village communities and
organisations that should hold the title by the end of their period:

- QĐ 281/QĐ-TTg of 20/02/2014, 2014–2020: 70% of families, 50% of clans, 60% of
  communities, 50% of organisations; in mountain and hardship areas 60% / 40% / 50%
  (families, clans, communities). The decision names no lower figure for organisations in
  those areas: they keep 50% (provisional reading).
- QĐ 387/QĐ-TTg of 25/03/2022, 2021–2030: the targets for 2025, 70% of families, 65% of
  clans, 65% of communities, 80% of organisations, are used for every year of the period
  until province staff enter the 2030 figures (provisional).

These figures were read in the public texts (domain brief, "verified") but how a province
applies them (which areas count as mountain, which target a year after 2025 is measured
against) is province staff's to confirm: the report marks them as provisional. They are data
here, not rules: a province is treated as a mountain area when its official code is in
`settings.REPORTS_MOUNTAIN_PROVINCES` (default: "11", Điện Biên, a mountain province).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from models_learning.models import ModelKind

DEFAULT_MOUNTAIN_PROVINCES = ("11",)
PROVISIONAL = True


@dataclass(frozen=True)
class Programme:
    basis: str  # the decision, as reports cite it
    first_year: int
    last_year: int
    targets: dict  # ModelKind -> percent
    mountain_targets: dict = field(default_factory=dict)  # overrides in mountain areas


PROGRAMMES = (
    Programme(
        basis="QĐ 281/QĐ-TTg",
        first_year=2014,
        last_year=2020,
        targets={
            ModelKind.FAMILY: 70,
            ModelKind.CLAN: 50,
            ModelKind.COMMUNITY: 60,
            ModelKind.ORGANISATION: 50,
        },
        mountain_targets={
            ModelKind.FAMILY: 60,
            ModelKind.CLAN: 40,
            ModelKind.COMMUNITY: 50,
        },
    ),
    Programme(
        basis="QĐ 387/QĐ-TTg",
        first_year=2021,
        last_year=2030,
        targets={
            ModelKind.FAMILY: 70,
            ModelKind.CLAN: 65,
            ModelKind.COMMUNITY: 65,
            ModelKind.ORGANISATION: 80,
        },
    ),
)


@dataclass(frozen=True)
class Targets:
    """The targets that apply to one unit in one year."""

    basis: str
    mountain: bool
    percents: dict  # ModelKind value ("family", …) -> percent
    provisional: bool = PROVISIONAL

    def of(self, kind):
        return self.percents.get(str(kind))

    @property
    def description(self):
        if self.mountain:
            return _("%(basis)s, mountain and hardship areas") % {"basis": self.basis}
        return self.basis


def programme_for(year):
    """The programme whose period holds `year`, or None (before 2014, after 2030)."""
    return next((p for p in PROGRAMMES if p.first_year <= year <= p.last_year), None)


def mountain_province_codes():
    """Official codes of the provinces counted as mountain and hardship areas."""
    codes = getattr(settings, "REPORTS_MOUNTAIN_PROVINCES", DEFAULT_MOUNTAIN_PROVINCES)
    return {str(code) for code in codes}


def is_mountain(province_code):
    """Is the province with official code `province_code` counted as a mountain area?"""
    return province_code is not None and str(province_code) in mountain_province_codes()


def targets_for(year, *, mountain=False):
    """The targets of `year` (mountain-area figures where the programme has them), or None."""
    programme = programme_for(year)
    if programme is None:
        return None
    percents = {str(kind): percent for kind, percent in programme.targets.items()}
    lowered = bool(mountain and programme.mountain_targets)
    if lowered:
        percents |= {str(kind): percent for kind, percent in programme.mountain_targets.items()}
    return Targets(basis=programme.basis, mountain=lowered, percents=percents)
