"""Every write to learning centres, their reports, rating schemes and ratings: one function each.

Each is atomic, locks the rows it changes (select_for_update), checks its guard from
`centers.workflow`, and leaves a trace: a CenterRatingEvent for a rating's step, an AuditEntry
for the rest. A broken rule raises DomainError and changes nothing.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.dates import local_today
from lib.errors import DomainError
from lib.uploads import check_evidence
from units import lineage
from units.services import audit

from . import workflow
from .bands import band_for, format_points
from .models import (
    FIGURE_FIELDS,
    LEARNER_FIELDS,
    TOPICS,
    YEAR_MAX,
    YEAR_MIN,
    CenterChange,
    CenterEvidence,
    CenterRating,
    CenterRatingEvent,
    CenterScore,
    CenterYearReport,
    LearningCenter,
    RatingBand,
    RatingCriterion,
    RatingScheme,
    RatingStatus,
)
from .schemes import DEFAULT_SCHEME

CENTER_FIELDS = (
    "name",
    "founding_decision",
    "founded_on",
    "director",
    "phone",
    "email",
    "address",
    "premises",
    "full_time_staff",
    "seconded_teachers",
    "volunteers",
    "valid_from",
)


def _actor(by):
    return by if by is not None and by.is_authenticated else None


def _today():
    return local_today()


# ---------------------------------------------------------------- registry


def _check_center(center):
    if not (center.name or "").strip():
        raise DomainError(_("Give the centre a name."), "name")
    for name in ("full_time_staff", "seconded_teachers", "volunteers"):
        value = getattr(center, name)
        if value is None or value < 0:
            raise DomainError(_("Enter a whole number, 0 or more."), name)
    if center.valid_from and center.valid_from > _today():
        raise DomainError(_("The start of validity cannot be in the future."), "valid_from")


@transaction.atomic
def create_center(*, by, commune, **fields):
    """Register a learning centre in a current commune (its officer, or province staff)."""
    if not workflow.can_create_center(by, commune):
        raise DomainError(_("You cannot register a centre in this commune."), "commune")
    unknown = set(fields) - set(CENTER_FIELDS)
    if unknown:
        raise ValueError(f"unknown centre fields: {sorted(unknown)}")
    center = LearningCenter(commune=commune, **fields)
    _check_center(center)
    center.save()
    audit(by=by, action="center.create", target=center, unit=commune, changes={"name": center.name})
    return center


@transaction.atomic
def update_center(center, *, by, **fields):
    """Change a centre's registry data (not its commune: see carry_centers_over)."""
    center = LearningCenter.objects.select_for_update().select_related("commune").get(pk=center.pk)
    if not workflow.can_edit_center(by, center):
        raise DomainError(_("You cannot change this centre."))
    unknown = set(fields) - set(CENTER_FIELDS)
    if unknown:
        raise ValueError(f"unknown centre fields: {sorted(unknown)}")
    before = {name: str(getattr(center, name)) for name in fields}
    for name, value in fields.items():
        setattr(center, name, value)
    _check_center(center)
    center.save(update_fields=[*fields, "updated_at"])
    changes = {
        n: [before[n], str(getattr(center, n))]
        for n in fields
        if before[n] != str(getattr(center, n)) and n not in ("phone", "email")
    }
    audit(by=by, action="center.update", target=center, unit=center.commune, changes=changes)
    return center


@transaction.atomic
def carry_centers_over(*, by, day=None):
    """Attach each current centre whose commune ended before `day` to the commune it became.

    A centre outlives its commune's merger: it stays, attached to the new commune, until
    province staff merge it (merge_centers). Returns (centres moved, centres left without a
    successor commune).
    """
    day = day or _today()
    if not workflow.is_province_staff(by):
        raise DomainError(_("Only province staff can attach centres to the new communes."))
    centers = list(
        LearningCenter.objects.select_for_update()
        .filter(valid_to__isnull=True, commune__valid_to__lt=day)
        .select_related("commune")
        .order_by("pk")
    )
    if not all(workflow.is_province_staff(by, center.commune) for center in centers):
        raise DomainError(_("Some of these centres are outside your province."))
    moved, stuck = [], []
    for center in centers:
        old = center.commune
        new = lineage.unit_on(old, day)
        if new is None or new.pk == old.pk:
            stuck.append(center)
            continue
        center.commune = new
        center.save(update_fields=["commune", "updated_at"])
        audit(
            by=by,
            action="center.carry_over",
            target=center,
            unit=new,
            changes={"commune": [old.name, new.name], "day": day.isoformat()},
        )
        moved.append(center)
    return moved, stuck


@transaction.atomic
def merge_centers(successor, predecessors, *, by, date, legal_basis="", note=""):
    """Record that the legacy centres `predecessors` of one commune merged into `successor`.

    The merged centres end the day before `date` and keep their reports and ratings; the
    link is the centres' lineage, like the units'.
    """
    ids = sorted({successor.pk, *(p.pk for p in predecessors)})
    locked = {
        c.pk: c
        for c in LearningCenter.objects.select_for_update()
        .select_related("commune")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    successor = locked[successor.pk]
    predecessors = [locked[p.pk] for p in predecessors if p.pk != successor.pk]
    if not workflow.can_merge_centers(by, successor.commune):
        raise DomainError(_("Only province staff can merge the centres of this commune."))
    if not successor.is_current:
        raise DomainError(_("The centre to merge into has itself ended."))
    if not predecessors:
        raise DomainError(_("Choose at least one other centre to merge."), "predecessors")
    if date is None:
        raise DomainError(_("Give the date of the merger."), "date")
    if date > _today():
        raise DomainError(_("The date of the merger cannot be in the future."), "date")
    for center in predecessors:
        if not center.is_current:
            raise DomainError(
                _("%(center)s has already ended.") % {"center": center.name}, "predecessors"
            )
        if center.commune_id != successor.commune_id:
            raise DomainError(
                _("%(center)s belongs to another commune: only centres of one commune merge.")
                % {"center": center.name},
                "predecessors",
            )
        if center.valid_from and center.valid_from >= date:
            raise DomainError(
                _("The merger date must come after %(center)s was founded.")
                % {"center": center.name},
                "date",
            )
        open_rating = center.ratings.exclude(status=RatingStatus.PUBLISHED).order_by("year").first()
        if open_rating is not None:
            raise DomainError(
                _(
                    "%(center)s has an unfinished rating for %(year)s: publish it first, "
                    "or merge later."
                )
                % {"center": center.name, "year": open_rating.year},
                "predecessors",
            )
    last_day = date - datetime.timedelta(days=1)
    for center in predecessors:
        center.valid_to = last_day
        center.save(update_fields=["valid_to", "updated_at"])
        CenterChange.objects.create(
            predecessor=center,
            successor=successor,
            date=date,
            legal_basis=legal_basis,
            note=note,
            recorded_by=_actor(by),
        )
    audit(
        by=by,
        action="center.merge",
        target=successor,
        unit=successor.commune,
        changes={"merged": [c.name for c in predecessors], "date": date.isoformat()},
    )
    return successor


# ---------------------------------------------------------------- yearly reports


def _whole_number(value, field):
    if isinstance(value, bool):
        raise DomainError(_("Enter a whole number, 0 or more."), field)
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise DomainError(_("Enter a whole number, 0 or more."), field) from None
    if number < 0:
        raise DomainError(_("Enter a whole number, 0 or more."), field)
    return number


def _clean_figures(figures):
    unknown = set(figures) - set(FIGURE_FIELDS)
    if unknown:
        raise ValueError(f"unknown report fields: {sorted(unknown)}")
    clean = {name: _whole_number(figures.get(name, 0), name) for name in FIGURE_FIELDS}
    for key, label in TOPICS:
        if clean[f"{key}_classes"] > 0 and clean[f"{key}_participants"] == 0:
            raise DomainError(
                _("%(topic)s: classes were held, so count their participant-visits.")
                % {"topic": label},
                f"{key}_participants",
            )
    visits = sum(clean[f"{key}_participants"] for key, _label in TOPICS)
    for name in LEARNER_FIELDS:
        if clean[name] > visits:
            raise DomainError(
                _("A group of learners cannot outnumber the participant-visits (%(visits)s).")
                % {"visits": visits},
                name,
            )
    return clean


def _check_year(year, center, field="year"):
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a year."), field) from None
    if not YEAR_MIN <= year <= YEAR_MAX or year > _today().year:
        raise DomainError(_("Choose a year up to this one."), field)
    if center.valid_from and year < center.valid_from.year:
        raise DomainError(_("The centre did not exist yet in %(year)s.") % {"year": year}, field)
    if center.valid_to and year > center.valid_to.year:
        raise DomainError(_("The centre had ended by %(year)s.") % {"year": year}, field)
    return year


@transaction.atomic
def file_year_report(center, *, by, year, note="", **figures):
    """File a centre's activity report for a year (one per centre and year)."""
    center = LearningCenter.objects.select_for_update().select_related("commune").get(pk=center.pk)
    if not workflow.can_file_report(by, center):
        raise DomainError(_("You cannot file reports for this centre."))
    year = _check_year(year, center)
    if CenterYearReport.objects.filter(center=center, year=year).exists():
        raise DomainError(
            _("The report for %(year)s is already filed: open it to correct it.") % {"year": year},
            "year",
        )
    clean = _clean_figures(figures)
    try:
        with transaction.atomic():
            report = CenterYearReport.objects.create(
                center=center,
                year=year,
                commune=center.commune,
                note=note,
                filed_by=_actor(by),
                **clean,
            )
    except IntegrityError:
        raise DomainError(
            _("The report for %(year)s is already filed: open it to correct it.") % {"year": year},
            "year",
        ) from None
    audit(by=by, action="center.report.file", target=report, unit=center.commune)
    return report


@transaction.atomic
def update_year_report(report, *, by, note=None, **figures):
    """Correct a filed report; the year and the commune of the year stay."""
    report = (
        CenterYearReport.objects.select_for_update()
        .select_related("center__commune")
        .get(pk=report.pk)
    )
    if not workflow.can_file_report(by, report.center):
        raise DomainError(_("You cannot file reports for this centre."))
    clean = _clean_figures(
        {name: figures.get(name, getattr(report, name)) for name in FIGURE_FIELDS}
    )
    changes = {n: [getattr(report, n), v] for n, v in clean.items() if getattr(report, n) != v}
    for name, value in clean.items():
        setattr(report, name, value)
    if note is not None:
        report.note = note
    report.save(update_fields=[*FIGURE_FIELDS, "note", "updated_at"])
    audit(
        by=by,
        action="center.report.update",
        target=report,
        unit=report.center.commune,
        changes=changes,
    )
    return report


# ---------------------------------------------------------------- rating schemes


def scheme_for_year(year):
    """The scheme a new rating of `year` uses: the newest active version covering the year."""
    return (
        RatingScheme.objects.filter(is_active=True, year_from__lte=year)
        .filter(Q(year_to__isnull=True) | Q(year_to__gte=year))
        .order_by("-year_from", "-version", "-pk")
        .first()
    )


def _decimal(value, field):
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Enter a number."), field) from None
    if not number.is_finite():
        raise DomainError(_("Enter a number."), field)
    return number


def _check_scheme_parts(criteria, bands):
    if not criteria:
        raise DomainError(_("A scheme needs at least one criterion."))
    numbers, total = set(), Decimal(0)
    clean_criteria = []
    for row in criteria:
        number = _whole_number(row.get("number"), None)
        if number in numbers:
            raise DomainError(_("Criterion number %(n)s appears twice.") % {"n": number})
        numbers.add(number)
        title = (row.get("title") or "").strip()
        if not title:
            raise DomainError(_("Criterion %(n)s needs a title.") % {"n": number})
        max_points = _decimal(row.get("max_points"), None)
        if max_points <= 0 or max_points >= 1000:
            raise DomainError(
                _("Criterion %(n)s: the maximum must be more than 0 and less than 1000.")
                % {"n": number}
            )
        total += max_points
        clean_criteria.append(
            {
                "number": number,
                "title": title,
                "guidance": (row.get("guidance") or "").strip(),
                "max_points": max_points,
            }
        )
    if not bands:
        raise DomainError(_("A scheme needs at least one band."))
    codes, thresholds, clean_bands = set(), set(), []
    for row in bands:
        code = (row.get("code") or "").strip()
        name = (row.get("name") or "").strip()
        if not code or not name:
            raise DomainError(_("Each band needs a code and a name."))
        threshold = _decimal(row.get("min_total"), None)
        if code in codes:
            raise DomainError(_("Band code “%(code)s” appears twice.") % {"code": code})
        if threshold in thresholds:
            raise DomainError(_("Two bands start at the same total %(t)s.") % {"t": threshold})
        if threshold < 0 or threshold > total:
            raise DomainError(
                _("Band “%(name)s” starts at %(t)s, outside 0 to the maximum total %(max)s.")
                % {"name": name, "t": threshold, "max": total}
            )
        codes.add(code)
        thresholds.add(threshold)
        clean_bands.append({"code": code, "name": name, "min_total": threshold})
    if Decimal(0) not in thresholds:
        raise DomainError(_("One band must start at 0, so that every total earns a band."))
    return clean_criteria, clean_bands


def _check_scheme_fields(fields):
    if not (fields.get("name") or "").strip():
        raise DomainError(_("Give the scheme a name."), "name")
    year_from, year_to = fields.get("year_from"), fields.get("year_to")
    if year_from is None or not YEAR_MIN <= year_from <= YEAR_MAX:
        raise DomainError(_("Enter a year."), "year_from")
    if year_to is not None and year_to < year_from:
        raise DomainError(_("The last year must not come before the first."), "year_to")


SCHEME_DEFAULTS = {"legal_basis": "", "year_to": None, "provisional": False}
SCHEME_FIELDS = ("name", "legal_basis", "year_from", "year_to", "provisional")


def _scheme_values(fields):
    values = {n: fields.get(n, SCHEME_DEFAULTS.get(n)) for n in SCHEME_FIELDS}
    values["legal_basis"] = values["legal_basis"] or ""
    return values


def _fill_scheme(scheme, criteria, bands):
    RatingCriterion.objects.bulk_create(RatingCriterion(scheme=scheme, **row) for row in criteria)
    RatingBand.objects.bulk_create(RatingBand(scheme=scheme, **row) for row in bands)


@transaction.atomic
def create_scheme(*, by, key, criteria, bands, **fields):
    """Create a rating scheme (version 1 of a new key) with its criteria and bands."""
    if not workflow.can_manage_schemes(by):
        raise DomainError(_("Only province staff can manage rating schemes."))
    key = (key or "").strip()
    if not key:
        raise DomainError(_("Give the scheme a key."), "key")
    if RatingScheme.objects.filter(key=key).exists():
        raise DomainError(_("This key is already used by another scheme."), "key")
    _check_scheme_fields(fields)
    criteria, bands = _check_scheme_parts(criteria, bands)
    scheme = RatingScheme.objects.create(
        key=key, version=1, created_by=_actor(by), **_scheme_values(fields)
    )
    _fill_scheme(scheme, criteria, bands)
    audit(by=by, action="center.scheme.create", target=scheme, changes={"key": key})
    return scheme


@transaction.atomic
def edit_scheme(scheme, *, by, criteria, bands, **fields):
    """Change a scheme. One already used is frozen: the change becomes its next version.

    Ratings keep the version they were made with; new ratings take the newest version.
    """
    if not workflow.can_manage_schemes(by):
        raise DomainError(_("Only province staff can manage rating schemes."))
    scheme = RatingScheme.objects.select_for_update().get(pk=scheme.pk)
    if not scheme.is_active:
        raise DomainError(_("A newer version of this scheme exists: edit that one."))
    _check_scheme_fields(fields)
    criteria, bands = _check_scheme_parts(criteria, bands)
    values = _scheme_values(fields)
    if scheme.is_frozen:
        latest = RatingScheme.objects.filter(key=scheme.key).aggregate(v=Max("version"))["v"]
        new = RatingScheme.objects.create(
            key=scheme.key,
            version=latest + 1,
            replaces=scheme,
            created_by=_actor(by),
            **values,
        )
        scheme.is_active = False
        scheme.save(update_fields=["is_active"])
        _fill_scheme(new, criteria, bands)
        audit(
            by=by,
            action="center.scheme.version",
            target=new,
            changes={"replaces": str(scheme), "version": new.version},
        )
        return new
    for name, value in values.items():
        setattr(scheme, name, value)
    scheme.save(update_fields=list(values))
    scheme.criteria.all().delete()
    scheme.bands.all().delete()
    _fill_scheme(scheme, criteria, bands)
    audit(by=by, action="center.scheme.update", target=scheme)
    return scheme


@transaction.atomic
def ensure_default_scheme():
    """The default (provisional) scheme, created if missing: migrations and demo data call it."""
    existing = RatingScheme.objects.filter(key=DEFAULT_SCHEME["key"]).order_by("-version").first()
    if existing is not None:
        return existing
    scheme = RatingScheme.objects.create(
        key=DEFAULT_SCHEME["key"],
        version=1,
        **{n: DEFAULT_SCHEME[n] for n in ("name", "legal_basis", "year_from", "provisional")},
    )
    _fill_scheme(scheme, DEFAULT_SCHEME["criteria"], DEFAULT_SCHEME["bands"])
    return scheme


# ---------------------------------------------------------------- ratings


def _clean_points(criteria, scores):
    """{criterion number: Decimal points}, each present, a number, 0 ≤ points ≤ its maximum."""
    clean = {}
    for criterion in criteria:
        field = f"c{criterion.number}"
        value = scores.get(criterion.number)
        if value is None or str(value).strip() == "":
            raise DomainError(
                _("Give the points for criterion %(n)s.") % {"n": criterion.number}, field
            )
        points = _decimal(value, field)
        if points < 0:
            raise DomainError(_("Points cannot be negative."), field)
        if points > criterion.max_points:
            raise DomainError(
                _("Criterion %(n)s allows at most %(max)s points.")
                % {"n": criterion.number, "max": format_points(criterion.max_points)},
                field,
            )
        if points != points.quantize(Decimal("0.01")):
            raise DomainError(_("Use at most two decimals."), field)
        clean[criterion.number] = points
    return clean


def _event(rating, *, by, action, from_status, reason="", changes=None):
    return CenterRatingEvent.objects.create(
        rating=rating,
        action=action,
        from_status=from_status or "",
        to_status=rating.status,
        actor=_actor(by),
        reason=reason,
        changes=changes or {},
    )


def _lock_rating(rating):
    return (
        CenterRating.objects.select_for_update()
        .select_related("center__commune", "scheme")
        .get(pk=rating.pk)
    )


def _status_label(status):
    return RatingStatus(status).label


@transaction.atomic
def save_self_assessment(center, *, by, year, scores, note=""):
    """The commune's own scores for a year: creates the year's rating or corrects it.

    One rating per centre and year (a database constraint): once submitted, a rating is no
    longer changed by the commune unless province staff return it.
    """
    center = LearningCenter.objects.select_for_update().select_related("commune").get(pk=center.pk)
    if not workflow.is_commune_officer(by, center) or not center.is_current:
        raise DomainError(_("You cannot assess this centre."))
    year = _check_year(year, center)
    rating = CenterRating.objects.select_for_update().filter(center=center, year=year).first()
    if rating is not None and not workflow.allowed("self_assess", rating.status):
        raise DomainError(
            _(
                "The rating for %(year)s already exists and is %(status)s: "
                "the commune can no longer change it."
            )
            % {"year": year, "status": _status_label(rating.status).lower()},
            "year",
        )
    scheme = rating.scheme if rating is not None else scheme_for_year(year)
    if scheme is None:
        raise DomainError(
            _("No rating scheme covers %(year)s: ask province staff to set one up.")
            % {"year": year},
            "year",
        )
    criteria = list(scheme.criteria.all())
    points = _clean_points(criteria, scores)
    total = sum(points.values(), Decimal(0))
    band = band_for(total, list(scheme.bands.all()))
    from_status = rating.status if rating is not None else None
    if rating is None:
        try:
            with transaction.atomic():
                rating = CenterRating.objects.create(
                    center=center,
                    year=year,
                    scheme=scheme,
                    commune=center.commune,
                    status=RatingStatus.SELF_ASSESSED,
                    total=total,
                    band=band,
                    created_by=_actor(by),
                )
        except IntegrityError:
            raise DomainError(
                _("The rating for %(year)s already exists.") % {"year": year}, "year"
            ) from None
        CenterScore.objects.bulk_create(
            CenterScore(
                rating=rating,
                criterion=c,
                max_points=c.max_points,
                self_points=points[c.number],
                points=points[c.number],
            )
            for c in criteria
        )
    else:
        rating.status, rating.total, rating.band = RatingStatus.SELF_ASSESSED, total, band
        rating.save(update_fields=["status", "total", "band", "updated_at"])
        existing = {s.criterion_id: s for s in rating.scores.all()}
        for c in criteria:
            score = existing[c.id]
            score.self_points = score.points = points[c.number]
            score.save(update_fields=["self_points", "points"])
    RatingScheme.objects.filter(pk=scheme.pk, frozen_at__isnull=True).update(
        frozen_at=timezone.now()
    )
    _event(
        rating,
        by=by,
        action="self_assess",
        from_status=from_status,
        reason=note,
        changes={"scores": {str(n): str(p) for n, p in points.items()}, "total": str(total)},
    )
    return rating


@transaction.atomic
def submit_rating(rating, *, by):
    """Send the self-assessment to province staff."""
    rating = _lock_rating(rating)
    if not workflow.is_commune_officer(by, rating.center):
        raise DomainError(_("You cannot submit this centre's rating."))
    if not workflow.allowed("submit", rating.status):
        raise DomainError(
            _("Only a self-assessed rating can be submitted; this one is %(status)s.")
            % {"status": _status_label(rating.status).lower()}
        )
    from_status = rating.status
    rating.status = workflow.target("submit")
    rating.save(update_fields=["status", "updated_at"])
    _event(rating, by=by, action="submit", from_status=from_status)
    return rating


def _require_approver(by, rating):
    if not workflow.is_province_approver(by, rating):
        raise DomainError(_("Only province staff can rate this centre."))


@transaction.atomic
def rate_center(rating, *, by, scores, reasons=None, note=""):
    """Province staff's rating: the scores may change, each change with its reason."""
    rating = _lock_rating(rating)
    _require_approver(by, rating)
    if not workflow.allowed("rate", rating.status):
        raise DomainError(
            _("Only a submitted rating can be rated; this one is %(status)s.")
            % {"status": _status_label(rating.status).lower()}
        )
    reasons = reasons or {}
    current = {s.criterion.number: s for s in rating.scores.select_related("criterion")}
    criteria = [s.criterion for s in sorted(current.values(), key=lambda s: s.criterion.number)]
    points = _clean_points(criteria, scores)
    changed = []
    for number, value in points.items():
        score = current[number]
        if value == score.points:
            continue
        reason = (reasons.get(number) or "").strip()
        if not reason:
            raise DomainError(
                _("Say why the points of criterion %(n)s change from %(old)s to %(new)s.")
                % {"n": number, "old": format_points(score.points), "new": format_points(value)},
                f"reason{number}",
            )
        changed.append(
            {"criterion": number, "from": str(score.points), "to": str(value), "reason": reason}
        )
        score.points = value
        score.save(update_fields=["points"])
    from_status = rating.status
    rating.total = sum(points.values(), Decimal(0))
    rating.band = band_for(rating.total, list(rating.scheme.bands.all()))
    rating.status = workflow.target("rate")
    rating.save(update_fields=["status", "total", "band", "updated_at"])
    _event(
        rating,
        by=by,
        action="rate",
        from_status=from_status,
        reason=note,
        changes={"scores": changed, "total": str(rating.total)},
    )
    return rating


@transaction.atomic
def return_rating(rating, *, by, reason):
    """Send a rating back to the commune for correction, saying why."""
    rating = _lock_rating(rating)
    _require_approver(by, rating)
    if not workflow.allowed("return", rating.status):
        raise DomainError(
            _("Only a submitted or rated rating can be returned; this one is %(status)s.")
            % {"status": _status_label(rating.status).lower()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what the commune should correct."), "reason")
    from_status = rating.status
    rating.status = workflow.target("return")
    rating.save(update_fields=["status", "updated_at"])
    _event(rating, by=by, action="return", from_status=from_status, reason=reason)
    return rating


@transaction.atomic
def publish_rating(rating, *, by):
    """Make a rated centre's band public."""
    rating = _lock_rating(rating)
    _require_approver(by, rating)
    if not workflow.allowed("publish", rating.status):
        raise DomainError(
            _("Only a rated centre can be published; this rating is %(status)s.")
            % {"status": _status_label(rating.status).lower()}
        )
    from_status = rating.status
    rating.status = workflow.target("publish")
    rating.published_at = timezone.now()
    rating.save(update_fields=["status", "published_at", "updated_at"])
    _event(rating, by=by, action="publish", from_status=from_status)
    return rating


@transaction.atomic
def add_evidence(rating, upload, *, by, description=""):
    """Attach a PDF, JPEG or PNG to a self-assessment; stored privately."""
    rating = _lock_rating(rating)
    if not workflow.can_add_evidence(by, rating):
        raise DomainError(_("Evidence can be added only by the commune while it self-assesses."))
    checked = check_evidence(upload)
    evidence = CenterEvidence(
        rating=rating,
        original_name=(getattr(upload, "name", "") or "file")[-255:],
        content_type=checked.content_type,
        size=checked.size,
        description=description,
        uploaded_by=_actor(by),
    )
    evidence.file.save(upload.name or "file", upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    audit(
        by=by,
        action="center.evidence.add",
        target=evidence,
        unit=rating.center.commune,
        changes={"rating": rating.pk, "size": upload.size},
    )
    return evidence
