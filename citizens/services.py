"""Every write of learning-citizen data: results (one per person and year), village links,
self-assessments and their confirmation. Views, imports, the demo and tests call these."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.dates import local_today, this_year
from lib.errors import DomainError
from lib.text import nfc, normalise
from lib.workflow import actor, guard
from models_learning import workflow as learning_workflow
from models_learning.models import CriteriaKind, CriteriaSet, HouseholdMember
from units.models import Village
from units.services import audit

from .adults import is_adult
from .models import CitizenResult, SelfAssessment, Source, VillageLink

FIRST_YEAR = 2021  # QĐ 677/QĐ-TTg: the programme 2021–2030


def check_year(year, field="year"):
    """The year as an int, between 2021 (the programme) and this year; DomainError if not."""
    try:
        value = int(str(year).strip())
    except (TypeError, ValueError):
        raise DomainError(_("Enter the year as four digits, such as 2025."), field) from None
    if not FIRST_YEAR <= value <= this_year():
        raise DomainError(
            _("Learning citizens are assessed from %(first)s to this year (%(last)s).")
            % {"first": FIRST_YEAR, "last": this_year()},
            field,
        )
    return value


def criteria_set_for(year):
    """The current learning-citizen criteria set covering `year`; DomainError when none."""
    found = (
        CriteriaSet.objects.filter(
            kind=CriteriaKind.CITIZEN,
            is_current=True,
            valid_from_year__lte=year,
            valid_to_year__gte=year,
        )
        .prefetch_related("criteria")
        .order_by("-valid_from_year", "-pk")
        .first()
    )
    if found is None:
        raise DomainError(
            _(
                "There is no learning-citizen criteria set for %(year)s: "
                "ask the province staff to create one."
            )
            % {"year": year}
        )
    return found


def score_answers(criteria_set, answers):
    """(total, achieved, level, cleaned answers) for `answers` {number: met?}.

    Every criterion of the set must be answered; a required criterion not met fails the
    result whatever the total.
    """
    cleaned, total, required_missed = {}, Decimal(0), False
    for criterion in sorted(criteria_set.criteria.all(), key=lambda c: c.number):
        key = str(criterion.number)
        if key not in answers or answers[key] not in (True, False):
            raise DomainError(
                _("Answer criterion %(number)s (met or not met).") % {"number": criterion.number},
                "answers",
            )
        met = answers[key]
        cleaned[key] = met
        if met:
            total += criterion.max_points
        elif criterion.required:
            required_missed = True
    achieved = total >= criteria_set.pass_mark and not required_missed
    level = criteria_set.band_for(total) if achieved else ""
    return total, achieved, level, cleaned


def _check_may_assess(by, commune):
    guard(
        learning_workflow.check_register(by, commune)
        if by is not None and by.is_authenticated
        else _("Sign in to record results.")
    )


def _freeze_verified(criteria_set):
    # A set still provisional stays editable in place (its text is being checked); once
    # verified, a set used by a result is frozen like one used by a registration, so that
    # an edit makes a new version and old results keep theirs.
    if criteria_set is not None and not criteria_set.provisional and not criteria_set.is_frozen:
        CriteriaSet.objects.filter(pk=criteria_set.pk).update(is_frozen=True)


def _write(person, year, values):
    """Insert or update the (person, year) row (a household's adult or a staff member); two
    people at once end with one row."""
    field = "member" if isinstance(person, HouseholdMember) else "staff_member"
    for _attempt in range(2):
        try:
            with transaction.atomic():
                result, _created = CitizenResult.objects.update_or_create(
                    **{field: person}, year=year, defaults=values
                )
                return result
        except IntegrityError:  # the other one inserted first: update theirs
            continue
    raise DomainError(_("Someone else saved this person's result at the same time: try again."))


@transaction.atomic
def record_result(
    member,
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
    """Record (or correct) `member`'s result for `year`: from per-criterion `answers` scored
    against the year's set, or a given `achieved` (an import). One row per person and year."""
    household = member.household
    if check_permission:
        _check_may_assess(by, household.commune)
    year = check_year(year)
    if not is_adult(member, year):
        raise DomainError(
            _("%(name)s is not an adult in %(year)s: only adults are assessed.")
            % {"name": member.name, "year": year}
        )
    return write_result(
        member,
        year,
        commune_id=household.commune_id,
        village_id=household.village_id,
        by=by,
        answers=answers,
        achieved=achieved,
        digital_skills=digital_skills,
        source=source,
        level=level,
        assessed_on=assessed_on,
        criteria_set=criteria_set,
    )


def write_result(
    person,
    year,
    *,
    commune_id,
    village_id,
    by,
    answers,
    achieved,
    digital_skills,
    source,
    level,
    assessed_on,
    criteria_set,
):
    """Write `person`'s (a household's adult or a staff member, already checked: may be
    assessed in `year`) result, filed under `commune_id` and `village_id`: scored from
    `answers` against the year's set, or the given `achieved` (an import)."""
    if digital_skills not in (True, False):
        raise DomainError(_("Say whether the person has digital skills."), "digital_skills")
    total, cleaned = None, {}
    if answers is not None:
        criteria_set = criteria_set or criteria_set_for(year)
        total, achieved, level, cleaned = score_answers(criteria_set, answers)
    elif achieved not in (True, False):
        raise DomainError(_("Say whether the person is a learning citizen."), "achieved")
    result = _write(
        person,
        year,
        {
            "commune_id": commune_id,
            "village_id": village_id,
            "achieved": achieved,
            "level": nfc(level or "")[:60],
            "digital_skills": digital_skills,
            "source": source,
            "criteria_set": criteria_set,
            "answers": cleaned,
            "total": total,
            "assessed_by": actor(by),
            "assessed_on": assessed_on or local_today(),
        },
    )
    _freeze_verified(criteria_set)
    return result


@transaction.atomic
def assess_household(household, *, by, year, rows):
    """Record the results of several adults of `household` at once, all or none.

    `rows`: [{"member": HouseholdMember, "answers": {…}, "digital_skills": bool}, …]; a row
    with `skip` true is left as it is (not assessed this time).
    """
    return assess_group(
        household,
        by=by,
        year=year,
        rows=[{**row, "person": row["member"]} for row in rows],
        belongs=lambda member: member.household_id == household.pk,
        record=record_result,
        foreign=_("A person of another household was sent: reload the page."),
        action="citizens.assess_household",
    )


def assess_group(owner, *, by, year, rows, belongs, record, foreign, action):
    """Record the results of several people of `owner` (a household or an organisation) at
    once, in the caller's transaction: each row's `person` through `record` (the one-person
    service), a person not `belongs` to the owner refused with `foreign`; one audit row."""
    _check_may_assess(by, owner.commune)
    year = check_year(year)
    criteria_set = criteria_set_for(year)
    saved = []
    for row in rows:
        if row.get("skip"):
            continue
        person = row["person"]
        if not belongs(person):
            raise DomainError(foreign)
        try:
            saved.append(
                record(
                    person,
                    by=by,
                    year=year,
                    answers=row["answers"],
                    digital_skills=row["digital_skills"],
                    criteria_set=criteria_set,
                    check_permission=False,
                )
            )
        except DomainError as error:
            raise DomainError(f"{person.name}: {error.message}", error.field) from None
    audit(
        by=actor(by),
        action=action,
        target=owner,
        unit=owner.commune,
        changes={"year": year, "people": len(saved)},
    )
    return saved


# --- village links and self-assessments -----------------------------------------------------


@transaction.atomic
def open_village_link(village, *, by, year):
    """The open self-assessment link of `village` for `year`, made if there is none."""
    _check_may_assess(by, village.commune)
    year = check_year(year)
    if village.valid_to is not None:
        raise DomainError(_("This village no longer exists."))
    # Two officers opening the village's link at once get the same one: the village row is
    # the lock, and the database keeps one open link per village and year besides.
    Village.objects.select_for_update().filter(pk=village.pk).first()
    link = VillageLink.objects.filter(village=village, year=year, closed_at__isnull=True).first()
    if link is None:
        link = VillageLink.objects.create(
            village=village,
            commune=village.commune,
            year=year,
            token=VillageLink.new_token(),
            created_by=actor(by),
        )
        audit(by=actor(by), action="citizens.open_link", target=link, unit=village.commune)
    return link


@transaction.atomic
def close_village_link(link, *, by):
    """Close a link: its printed QR code takes no more sheets."""
    _check_may_assess(by, link.commune)
    if link.closed_at is None:
        link.closed_at = timezone.now()
        link.save(update_fields=["closed_at"])
        audit(by=actor(by), action="citizens.close_link", target=link, unit=link.commune)
    return link


def open_link_by_token(token):
    """The open link of `token`, or None (unknown, closed, or of a past year)."""
    token = (token or "").strip()
    if not token or len(token) > 40:
        return None
    link = (
        VillageLink.objects.filter(token=token, closed_at__isnull=True)
        .select_related("village", "commune")
        .first()
    )
    if link is None or link.year < this_year() - 1:
        return None
    return link


def receive_self_assessment(link, *, name, birth_year, head_name, answers, digital_skills):
    """Store a citizen's sheet as received (a draft). A second sheet of the same person on the
    same link is not stored; the citizen is told "received" either way."""
    name = nfc(name or "").strip()
    if not normalise(name):
        raise DomainError(_("Enter your full name."), "name")
    try:
        birth_year = int(birth_year)
    except (TypeError, ValueError):
        raise DomainError(_("Enter your year of birth, such as 1980."), "birth_year") from None
    if not 1900 <= birth_year <= link.year - 18:
        raise DomainError(_("The self-assessment is for adults (18 and over)."), "birth_year")
    score_answers(criteria_set_for(link.year), answers)  # every criterion answered
    try:
        with transaction.atomic():
            return SelfAssessment.objects.create(
                link=link,
                commune_id=link.commune_id,
                name=name[:200],
                birth_year=birth_year,
                head_name=nfc(head_name or "").strip()[:200],
                answers=answers,
                digital_skills=bool(digital_skills),
            )
    except IntegrityError:
        return None


def likely_members(sheet):
    """Members of the sheet's village whose folded name and year of birth match it."""
    return HouseholdMember.objects.filter(
        household__village_id=sheet.link.village_id,
        birth_year=sheet.birth_year,
    ).select_related("household")


def _lock_sheet(sheet):
    found = SelfAssessment.objects.select_for_update().filter(pk=sheet.pk).first()
    if found is None:
        raise DomainError(_("This self-assessment no longer exists."))
    return found


@transaction.atomic
def confirm_self_assessment(sheet, *, by, member):
    """Confirm a received sheet as `member`'s result of the link's year (source: self)."""
    _check_may_assess(by, sheet.commune)
    sheet = _lock_sheet(sheet)
    if sheet.status != SelfAssessment.Status.RECEIVED:
        raise DomainError(_("This self-assessment was already dealt with."))
    if member is None or member.household.village_id != sheet.link.village_id:
        raise DomainError(_("Choose the person among the village's households."), "member")
    result = record_result(
        member,
        by=by,
        year=sheet.link.year,
        answers=sheet.answers,
        digital_skills=sheet.digital_skills,
        source=Source.SELF,
        check_permission=False,
    )
    sheet.status = SelfAssessment.Status.CONFIRMED
    sheet.member = member
    sheet.decided_by = actor(by)
    sheet.decided_at = timezone.now()
    sheet.save(update_fields=["status", "member", "decided_by", "decided_at"])
    return result


@transaction.atomic
def set_aside_self_assessment(sheet, *, by):
    """Set aside a received sheet (not a person of the village, a joke, a duplicate)."""
    _check_may_assess(by, sheet.commune)
    sheet = _lock_sheet(sheet)
    if sheet.status != SelfAssessment.Status.RECEIVED:
        raise DomainError(_("This self-assessment was already dealt with."))
    sheet.status = SelfAssessment.Status.SET_ASIDE
    sheet.decided_by = actor(by)
    sheet.decided_at = timezone.now()
    sheet.save(update_fields=["status", "decided_by", "decided_at"])
    return sheet
