"""Registering a subject for a year's title: a household (made on the spot if new), a clan,
a village community or an organisation. Each registration starts the file's history."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lib import figures_cache
from lib.errors import DomainError
from lib.text import normalise
from lib.workflow import actor
from units.models import Level, Village

from .. import workflow
from ..models import (
    SUBJECT_FIELDS,
    Clan,
    CriteriaSet,
    Household,
    ModelKind,
    Organisation,
    Registration,
)
from ..workflow import Action
from ._common import event, guard
from .criteria import criteria_set_for
from .subjects import DuplicateWarning, create_household, find_duplicates

KIND_OF_SUBJECT = {
    Household: ModelKind.FAMILY,
    Clan: ModelKind.CLAN,
    Village: ModelKind.COMMUNITY,
    Organisation: ModelKind.ORGANISATION,
}


def subject_texts(subject):
    """(display name, normalised search text) of a subject, stored on its registrations."""
    if isinstance(subject, Household):
        name = subject.head_name
        extra = [subject.village.name, str(subject.head_birth_year or "")]
    elif isinstance(subject, Clan):
        name = f"{subject.surname} ({subject.branch})" if subject.branch else subject.surname
        extra = [subject.representative]
    elif isinstance(subject, Village):
        name = subject.name
        extra = []
    else:
        name = subject.name
        extra = []
    return name[:255], normalise(" ".join([name, *extra]))[:500]


def refresh_subject_text(subject):
    """Copy a subject's (new) name onto its registrations' name and search columns; the public
    search's cached ids and results drop (`update()` sends no signal), so a corrected name is
    shown and found at once."""
    name, search = subject_texts(subject)
    field = SUBJECT_FIELDS[KIND_OF_SUBJECT[type(subject)]]
    changed = Registration.objects.filter(**{field: subject}).update(
        subject_name=name, search_text=search
    )
    if changed:
        figures_cache.bump()


def _subject_commune(subject):
    return subject.commune


def registration_year(unit, year):
    """`year` as a number, a year in which `unit` exists; else DomainError on the year."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("Enter the year, such as 2026."), "year") from None
    if not 1990 <= year <= 2100:
        raise DomainError(_("Enter the year, such as 2026."), "year")
    if unit.valid_from and year < unit.valid_from.year:
        raise DomainError(
            _("%(unit)s only exists from %(date)s.")
            % {"unit": unit, "date": unit.valid_from.strftime("%d/%m/%Y")},
            "year",
        )
    if unit.valid_to and year > unit.valid_to.year:
        raise DomainError(
            _("%(unit)s ended on %(date)s: register under the commune that replaced it.")
            % {"unit": unit, "date": unit.valid_to.strftime("%d/%m/%Y")},
            "year",
        )
    return year


def check_criteria_set(criteria_set, kind, year, unit):
    """The set a registration of `kind` and `year` uses: `criteria_set` checked, or the one
    that fits (criteria_set_for)."""
    if criteria_set is None:
        return criteria_set_for(kind, year, unit)
    if criteria_set.kind != kind or not criteria_set.covers(year):
        raise DomainError(_("This criteria set is not for this title and year."), "criteria_set")
    if not criteria_set.is_current:
        raise DomainError(
            _("This criteria set has a newer version: use the newest one."), "criteria_set"
        )
    return criteria_set


def already_registered(subject, kind, year):
    """The refusal when `subject` already has its registration for `kind` and `year`."""
    return DomainError(
        _("%(subject)s is already registered as %(kind)s for %(year)s.")
        % {
            "subject": subject_texts(subject)[0],
            "kind": ModelKind(kind).label.lower(),
            "year": year,
        }
    )


def new_registration(*, by, kind, year, unit, subject, criteria_set):
    """The registration of `subject` (not yet saved) for a checked year and criteria set."""
    name, search = subject_texts(subject)
    return Registration(
        kind=kind,
        year=year,
        unit=unit,
        criteria_set=criteria_set,
        subject_name=name,
        search_text=search,
        entered_by=actor(by),
        **{SUBJECT_FIELDS[kind]: subject},
    )


def registration_started(registration, *, by, data=None):
    """The first event of a registration (not yet saved): registered by the commune."""
    return event(
        registration,
        Action.REGISTER,
        by=by,
        level=Level.COMMUNE,
        unit=registration.unit,
        data=data,
    )


def freeze_criteria_sets(criteria_sets):
    """The sets are now in use: later edits make a new version."""
    pks = {criteria_set.pk for criteria_set in criteria_sets}
    if pks:
        CriteriaSet.objects.filter(pk__in=pks, is_frozen=False).update(is_frozen=True)
    for criteria_set in criteria_sets:
        criteria_set.is_frozen = True


def add_registration(*, by, kind, year, unit, subject, criteria_set=None, data=None):
    """The registration of `subject` for `kind` and `year` and its first event; the caller has
    checked that `by` registers for `unit`."""
    year = registration_year(unit, year)
    criteria_set = check_criteria_set(criteria_set, kind, year, unit)
    field = SUBJECT_FIELDS[kind]
    if Registration.objects.filter(**{field: subject, "kind": kind, "year": year}).exists():
        raise already_registered(subject, kind, year)
    registration = new_registration(
        by=by, kind=kind, year=year, unit=unit, subject=subject, criteria_set=criteria_set
    )
    try:
        with transaction.atomic():
            registration.save(force_insert=True)
    except IntegrityError:
        # Someone registered the same subject a moment ago: the constraint held.
        raise already_registered(subject, kind, year) from None
    freeze_criteria_sets([criteria_set])
    registration_started(registration, by=by, data=data).save(force_insert=True)
    return registration


def check_new_household(*, by, year, new_household, confirm_duplicate=False, lookup=None):
    """The rules a new household meets before it is entered and registered: who registers in
    its commune, the year, and (unless `confirm_duplicate`) no likely duplicate, which raises
    DuplicateWarning. `lookup` is a DuplicateLookup already read for many households (an
    import's chunk). Returns (commune, year)."""
    village = new_household.get("village")
    if not isinstance(village, Village):
        raise DomainError(_("Choose the village."), "village")
    unit = village.commune
    guard(workflow.check_register(by, unit))
    year = registration_year(unit, year)
    if not confirm_duplicate:
        matches = find_duplicates(
            head_name=new_household.get("head_name", ""),
            head_birth_year=new_household.get("head_birth_year"),
            village=village,
            year=year,
            lookup=lookup,
        )
        if matches:
            raise DuplicateWarning(matches)
    return unit, year


@transaction.atomic
def register_household(
    *, by, year, household=None, new_household=None, criteria_set=None, confirm_duplicate=False
):
    """Register a household as a learning family for `year` (creating it if `new_household`).

    `new_household` is a dict of `create_household` arguments (village, head_name,
    head_birth_year, address, phone, members). Unless `confirm_duplicate`, a likely
    duplicate raises DuplicateWarning (a DomainError) whose `matches` list them.
    """
    if household is None and not new_household:
        raise DomainError(_("Choose a household or enter a new one."), "household")
    if household is not None:
        unit = household.commune
        guard(workflow.check_register(by, unit))
    else:
        unit, year = check_new_household(
            by=by, year=year, new_household=new_household, confirm_duplicate=confirm_duplicate
        )
        household = create_household(by=by, **new_household)
    return add_registration(
        by=by,
        kind=ModelKind.FAMILY,
        year=year,
        unit=unit,
        subject=household,
        criteria_set=criteria_set,
    )


@transaction.atomic
def register_subject(*, by, year, subject, criteria_set=None):
    """Register a clan, a village community or an organisation (or a household) for `year`.

    The title follows the subject: Clan → learning clan, Village → learning community,
    Organisation → learning organisation. The registering commune is the subject's commune.
    """
    kind = KIND_OF_SUBJECT.get(type(subject))
    if kind is None:
        raise DomainError(_("Choose what to register."), "subject")
    unit = _subject_commune(subject)
    guard(workflow.check_register(by, unit))
    return add_registration(
        by=by, kind=kind, year=year, unit=unit, subject=subject, criteria_set=criteria_set
    )
