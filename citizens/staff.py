"""Every write about the staff of organisations (Đơn vị học tập): the staff list a commune
officer keeps, and their learning-citizen results (QĐ 677/QĐ-TTg: 60% of the staff by 2025).
A result is a CitizenResult as for a household's adult, one per person and year."""

from django.db import transaction
from django.utils.translation import gettext as _

from lib.dates import this_year
from lib.errors import DomainError
from lib.text import nfc, normalise
from lib.workflow import actor
from units.services import audit

from .models import Source, StaffMember
from .services import (
    _check_may_assess,
    assess_group,
    check_year,
    write_result,
)

OLDEST_BIRTH_YEAR = 1900
FIRST_STAFF_YEAR = 1950


def _optional_year(value, field, message):
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(message, field) from None


def _clean(name, birth_year, position, first_year, last_year):
    """The staff member's fields checked and tidied; DomainError naming the field if not."""
    name = nfc(name or "").strip()
    if not normalise(name):
        raise DomainError(_("Enter the person's full name."), "name")
    if len(name) > 200:
        raise DomainError(_("The name is too long (200 characters at most)."), "name")
    birth_year = _optional_year(
        birth_year, "birth_year", _("Enter the year of birth as four digits, such as 1985.")
    )
    if birth_year is not None and not OLDEST_BIRTH_YEAR <= birth_year <= this_year() - 15:
        raise DomainError(
            _("The year of birth must be between %(first)s and %(last)s.")
            % {"first": OLDEST_BIRTH_YEAR, "last": this_year() - 15},
            "birth_year",
        )
    position = nfc(position or "").strip()
    if len(position) > 120:
        raise DomainError(_("The position is too long (120 characters at most)."), "position")
    first_year = _optional_year(
        first_year, "first_year", _("Enter the year as four digits, such as 2022.")
    )
    if first_year is None or not FIRST_STAFF_YEAR <= first_year <= this_year():
        raise DomainError(
            _("Enter the year the person joined the staff, from %(first)s to %(last)s.")
            % {"first": FIRST_STAFF_YEAR, "last": this_year()},
            "first_year",
        )
    last_year = _optional_year(
        last_year, "last_year", _("Enter the year as four digits, such as 2022.")
    )
    if last_year is not None and not first_year <= last_year <= this_year():
        raise DomainError(
            _("The year the person left is between the year they joined and this year."),
            "last_year",
        )
    return {
        "name": name,
        "birth_year": birth_year,
        "position": position,
        "first_year": first_year,
        "last_year": last_year,
    }


@transaction.atomic
def add_staff_member(
    organisation, *, by, name, birth_year=None, position="", first_year=None, last_year=None
):
    """Add a person to `organisation`'s staff (the commune officer's step)."""
    _check_may_assess(by, organisation.commune)
    values = _clean(name, birth_year, position, first_year or this_year(), last_year)
    staff = StaffMember.objects.create(organisation=organisation, **values)
    audit(
        by=actor(by),
        action="citizens.add_staff",
        target=staff,
        unit=organisation.commune,
        changes={"organisation": organisation.pk, "name": staff.name},
    )
    return staff


@transaction.atomic
def update_staff_member(
    staff, *, by, name, birth_year=None, position="", first_year=None, last_year=None
):
    """Correct a staff member's name, year of birth, position or years on the staff."""
    _check_may_assess(by, staff.organisation.commune)
    values = _clean(name, birth_year, position, first_year, last_year)
    if values["last_year"] is not None:
        later = staff.citizen_results.filter(year__gt=values["last_year"]).order_by("year").first()
        if later is not None:
            raise DomainError(
                _("%(name)s has a result for %(year)s: they cannot have left before it.")
                % {"name": staff.name, "year": later.year},
                "last_year",
            )
    earlier = staff.citizen_results.filter(year__lt=values["first_year"]).order_by("year").first()
    if earlier is not None:
        raise DomainError(
            _("%(name)s has a result for %(year)s: they were on the staff by then.")
            % {"name": staff.name, "year": earlier.year},
            "first_year",
        )
    changes = {key: value for key, value in values.items() if getattr(staff, key) != value}
    for key, value in values.items():
        setattr(staff, key, value)
    staff.save(update_fields=list(values))
    audit(
        by=actor(by),
        action="citizens.update_staff",
        target=staff,
        unit=staff.organisation.commune,
        changes={key: str(value) for key, value in changes.items()},
    )
    return staff


def on_staff(staff, year):
    return staff.first_year <= year and (staff.last_year is None or year <= staff.last_year)


@transaction.atomic
def record_staff_result(
    staff,
    *,
    by,
    year,
    answers=None,
    achieved=None,
    digital_skills,
    source=Source.OFFICER,
    level="",
    assessed_on=None,
    criteria_set=None,
    check_permission=True,
):
    """Record (or correct) a staff member's result for `year`, as `record_result` does for a
    household's adult: one row per person and year, in the organisation's commune."""
    organisation = staff.organisation
    if check_permission:
        _check_may_assess(by, organisation.commune)
    year = check_year(year)
    if not on_staff(staff, year):
        raise DomainError(
            _("%(name)s was not on the staff in %(year)s.") % {"name": staff.name, "year": year}
        )
    return write_result(
        staff,
        year,
        commune_id=organisation.commune_id,
        village_id=None,
        by=by,
        answers=answers,
        achieved=achieved,
        digital_skills=digital_skills,
        source=source,
        level=level,
        assessed_on=assessed_on,
        criteria_set=criteria_set,
    )


@transaction.atomic
def assess_organisation(organisation, *, by, year, rows):
    """Record the results of several of `organisation`'s staff at once, all or none.

    `rows`: [{"staff": StaffMember, "answers": {…}, "digital_skills": bool}, …]; a row with
    `skip` true is left as it is.
    """
    return assess_group(
        organisation,
        by=by,
        year=year,
        rows=[{**row, "person": row["staff"]} for row in rows],
        belongs=lambda staff: staff.organisation_id == organisation.pk,
        record=record_staff_result,
        foreign=_("A person of another organisation was sent: reload the page."),
        action="citizens.assess_organisation",
    )
