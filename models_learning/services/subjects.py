"""Subjects of registrations: households, clans, organisations; likely duplicates."""

from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.dates import this_year
from lib.errors import DomainError
from lib.text import nfc, normalise
from units.models import Level, Unit, Village

from .. import workflow
from ..models import (
    Clan,
    Household,
    HouseholdMember,
    ModelKind,
    Organisation,
    OrganisationKind,
    Registration,
    Relationship,
    Schooling,
)
from ._common import clean_text, guard


def _check_birth_year(value, field):
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a year of birth such as 1975."), field) from None
    if not 1900 <= year <= this_year():
        raise DomainError(_("Enter a year of birth such as 1975."), field)
    return year


def _check_members(members):
    cleaned = []
    for position, member in enumerate(members or (), start=1):
        name = nfc(member.get("name", ""))
        if not name:
            raise DomainError(
                _("Member %(number)s: enter the name.") % {"number": position}, "members"
            )
        relationship = member.get("relationship") or Relationship.CHILD
        schooling = member.get("schooling") or Schooling.NONE
        if relationship not in Relationship.values or schooling not in Schooling.values:
            raise DomainError(
                _("Member %(number)s: choose the relationship and schooling from the list.")
                % {"number": position},
                "members",
            )
        cleaned.append(
            HouseholdMember(
                position=position,
                name=name[:200],
                birth_year=_check_birth_year(member.get("birth_year"), "members"),
                relationship=relationship,
                schooling=schooling,
            )
        )
    return cleaned


def _check_village(village):
    if not isinstance(village, Village):
        raise DomainError(_("Choose the village."), "village")
    return village


def new_household(*, village, head_name, head_birth_year=None, address="", phone=""):
    """A household of the village's commune (not yet saved), its fields checked and cleaned as
    every path that enters one does; the caller has checked who registers there."""
    village = _check_village(village)
    head_name = nfc(head_name)
    if not head_name:
        raise DomainError(_("Enter the name of the head of household."), "head_name")
    household = Household(
        commune=village.commune,
        village=village,
        head_name=head_name[:200],
        head_birth_year=_check_birth_year(head_birth_year, "head_birth_year"),
        address=clean_text(address, field="address", max_length=255),
        phone=clean_text(phone, field="phone", max_length=30),
    )
    # What Household.save() does, for writers that save many at once (bulk_create skips it).
    household.head_name_normalised = normalise(household.head_name)
    return household


@transaction.atomic
def create_household(
    *, by, village, head_name, head_birth_year=None, address="", phone="", members=()
):
    """Create a household in the village's commune, with its members (names in NFC)."""
    village = _check_village(village)
    guard(workflow.check_register(by, village.commune))
    household = new_household(
        village=village,
        head_name=head_name,
        head_birth_year=head_birth_year,
        address=address,
        phone=phone,
    )
    household.save(force_insert=True)
    HouseholdMember.objects.bulk_create([*_members_for(household, _check_members(members))])
    return household


def _members_for(household, members):
    for member in members:
        member.household = household
        yield member


HOUSEHOLD_FIELDS = ("village", "head_name", "head_birth_year", "address", "phone")


def change_household(household, fields):
    """Set checked `fields` (among HOUSEHOLD_FIELDS) on `household`, not yet saved; nothing is
    set when one is refused. Returns the names of the fields whose value changed."""
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    values = {}
    if "village" in fields:
        village = _check_village(fields["village"])
        if village.commune_id != household.commune_id:
            raise DomainError(_("Choose a village of the household's commune."), "village")
        values["village"] = village
    if "head_name" in fields:
        values["head_name"] = nfc(fields["head_name"])[:200]
        if not values["head_name"]:
            raise DomainError(_("Enter the name of the head of household."), "head_name")
    if "head_birth_year" in fields:
        values["head_birth_year"] = _check_birth_year(fields["head_birth_year"], "head_birth_year")
    for name in ("address", "phone"):
        if name in fields:
            values[name] = clean_text(
                fields[name], field=name, max_length=255 if name == "address" else 30
            )
    changed = [name for name, value in values.items() if getattr(household, name) != value]
    for name, value in values.items():
        setattr(household, name, value)
    return changed


@transaction.atomic
def update_household(household, *, by, members=None, **fields):
    """Change a household (and replace its members when given); registrations follow its name."""
    from .registrations import refresh_subject_text

    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    household = Household.objects.select_for_update().get(pk=household.pk)
    guard(workflow.check_register(by, household.commune))
    change_household(household, fields)
    household.save()
    if members is not None:
        household.members.all().delete()
        HouseholdMember.objects.bulk_create([*_members_for(household, _check_members(members))])
    refresh_subject_text(household)
    return household


def refresh_village_copies(village):
    """Registrations that copy `village`'s name show its new one: the community's own files
    (name and search text) and its households' files (the search text holds the village)."""
    from .registrations import refresh_subject_text

    refresh_subject_text(village)
    households = Household.objects.filter(village=village, registrations__isnull=False)
    for household in households.distinct().select_related("village"):
        refresh_subject_text(household)


def _check_commune(commune):
    if not isinstance(commune, Unit) or commune.level != Level.COMMUNE:
        raise DomainError(_("Choose the commune."), "commune")
    return commune


@transaction.atomic
def create_clan(*, by, commune, surname, branch="", representative="", communes=()):
    """Create a clan (or clan branch) registered through `commune`."""
    commune = _check_commune(commune)
    guard(workflow.check_register(by, commune))
    surname = nfc(surname)
    if not surname:
        raise DomainError(_("Enter the clan's surname."), "surname")
    clan = Clan.objects.create(
        commune=commune,
        surname=surname[:60],
        branch=nfc(branch)[:200],
        representative=nfc(representative)[:200],
    )
    clan.communes.set({commune, *communes})
    return clan


@transaction.atomic
def create_organisation(*, by, commune, name, kind):
    """Create an agency, school or enterprise of `commune`."""
    commune = _check_commune(commune)
    guard(workflow.check_register(by, commune))
    name = nfc(name)[:255]
    if not name:
        raise DomainError(_("Enter the organisation's name."), "name")
    if kind not in OrganisationKind.values:
        raise DomainError(_("Choose the kind of organisation."), "kind")
    # Names are unique on their folded form ("Truong tieu hoc" is "Trường Tiểu học"); the
    # database holds the rule too, for two officers entering one school at the same moment.
    taken = _("This commune already has an organisation of that name.")
    if Organisation.objects.filter(commune=commune, name_normalised=normalise(name)).exists():
        raise DomainError(taken, "name")
    try:
        with transaction.atomic():
            return Organisation.objects.create(commune=commune, name=name, kind=kind)
    except IntegrityError:
        raise DomainError(taken, "name") from None


# --- duplicates -------------------------------------------------------------------------


class DuplicateReason(models.TextChoices):
    SAME_VILLAGE_THIS_YEAR = (
        "same_village_this_year",
        gettext_lazy(
            "A household with the same head's name and year of birth is already registered in this "
            "village this year."
        ),
    )
    OTHER_COMMUNE_LAST_YEAR = (
        "other_commune_last_year",
        gettext_lazy(
            "A household with the same head's name and year of birth was registered last year in "
            "another commune."
        ),
    )
    SAME_HOUSEHOLD_EXISTS = (
        "same_household_exists",
        gettext_lazy(
            "A household with the same head's name and year of birth already exists in this "
            "village: register it instead of entering it again."
        ),
    )


@dataclass
class DuplicateMatch:
    reason: str  # a DuplicateReason
    household: Household
    registration: Registration | None = None  # may lie outside the viewer's units

    @property
    def message(self):
        return DuplicateReason(self.reason).label


class DuplicateWarning(DomainError):
    """Likely duplicates of a new household: confirm to register anyway, or open one of them."""

    def __init__(self, matches):
        super().__init__(
            _("This household may already be registered. Check the list, then confirm."),
            "head_name",
        )
        self.matches = matches


def _person_of(household):
    """Who the duplicate rule compares: the head's normalised name and year of birth."""
    return household.head_name_normalised, household.head_birth_year


class DuplicateLookup:
    """What the duplicate rule compares new households with, read once for one household or a
    whole chunk of an import: the family registrations of the heads' names in the given years,
    and the households of those names in the given villages."""

    def __init__(self, registrations, households):
        """`registrations`: family registrations (their households attached) of at least the
        years and villages the rule looks at; `households`: those of the villages. More is
        harmless: `matches` applies the rule to them."""
        # By person (normalised name, year of birth), in the order they were read.
        self.registrations = {}
        for registration in registrations:
            self.registrations.setdefault(_person_of(registration.household), []).append(
                registration
            )
        self.households = {}
        for household in households:
            self.households.setdefault(_person_of(household), []).append(household)

    @classmethod
    def read(cls, *, names, years, villages):
        """What the rule needs for households of `names` entered in `villages` for `years`:
        two queries whatever the number of names. (An import's chunk reads the same by the
        households' ids and builds the lookup itself: FamilyChunk.)"""
        names = sorted({name for name in names if name})
        if not names:
            return cls([], [])
        villages = list(villages)
        years = sorted(set(years))
        communes = {village.commune_id for village in villages}
        last_year = Q(year__in=[year - 1 for year in years])
        if len(communes) == 1:
            last_year &= ~Q(unit__in=communes)
        related = ("unit", "household__village", "criteria_set")
        registrations = list(
            Registration.objects.filter(
                Q(year__in=years, household__village__in=villages) | last_year,
                kind=ModelKind.FAMILY,
                household__head_name_normalised__in=names,
            ).select_related(*related)
        )
        households = Household.objects.filter(
            head_name_normalised__in=names, village__in=list(villages)
        ).select_related("village")
        return cls(registrations, list(households))

    def matches(self, *, name, birth_year, village, year):
        """THE rule: likely duplicates of a household (normalised head's name, checked year of
        birth) about to be entered in `village` for `year`, with the reason of each.

        Same normalised head's name and year of birth, and either registered in the same village
        this year, or registered last year in another commune (moved, or entered twice), or an
        existing household of the same village (to be registered instead of re-entered).
        """
        registrations = self.registrations.get((name, birth_year), ())
        matches = [
            DuplicateMatch(DuplicateReason.SAME_VILLAGE_THIS_YEAR, r.household, r)
            for r in registrations
            if r.year == year and r.household.village_id == village.pk
        ]
        matches += [
            DuplicateMatch(DuplicateReason.OTHER_COMMUNE_LAST_YEAR, r.household, r)
            for r in registrations
            if r.year == year - 1 and r.unit_id != village.commune_id
        ]
        seen = {m.household.pk for m in matches}
        matches += [
            DuplicateMatch(DuplicateReason.SAME_HOUSEHOLD_EXISTS, h)
            for h in self.households.get((name, birth_year), ())
            if h.village_id == village.pk and h.pk not in seen
        ]
        return matches


def find_duplicates(*, head_name, head_birth_year, village, year, lookup=None):
    """Likely duplicates of a household about to be entered, with the reason of each (the rule:
    DuplicateLookup.matches). `lookup`: read already, for many households at once."""
    name = normalise(head_name)
    if not name or village is None:
        return []
    birth_year = _check_birth_year(head_birth_year, "head_birth_year")
    if lookup is None:
        lookup = DuplicateLookup.read(names=[name], years=[year], villages=[village])
    return lookup.matches(name=name, birth_year=birth_year, village=village, year=year)
