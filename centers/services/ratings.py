"""A centre's yearly rating, step by step: the commune's self-assessment (with evidence),
submission, the province's rating (each changed score with its reason), return, publication.

Each step locks the rating, guards with its predicate of `centers.workflow` and goes through
`lib.workflow.transition` (the table of moves, save(update_fields=…), one CenterRatingEvent),
the shape registrations share.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.errors import DomainError
from lib.uploads import check_evidence, name_for_content
from lib.workflow import actor, guard, record
from units.services import audit

from .. import workflow
from ..bands import band_for, format_points
from ..models import CenterEvidence, CenterRating, CenterScore, RatingScheme, RatingStatus
from ..workflow import Action
from ._common import (
    center_year,
    commune_of_year,
    decimal_number,
    lock_center,
    lock_rating,
    move,
)
from .rating_schemes import scheme_for_year


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
        points = decimal_number(value, field)
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


def _new_rating(center, *, by, year, scheme, criteria, points, total, band):
    """The year's first rating of `center`, self-assessed, with its scores."""
    try:
        with transaction.atomic():
            rating = CenterRating.objects.create(
                center=center,
                year=year,
                scheme=scheme,
                commune=commune_of_year(center, year),
                status=RatingStatus.SELF_ASSESSED,
                total=total,
                band=band,
                created_by=actor(by),
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
    return rating


@transaction.atomic
def save_self_assessment(center, *, by, year, scores, note=""):
    """The commune's own scores for a year: creates the year's rating or corrects it.

    One rating per centre and year (a database constraint): once submitted, a rating is no
    longer changed by the commune unless province staff return it.
    """
    center = lock_center(center)
    guard(workflow.check_self_assess(by, center))
    year = center_year(year, center)
    rating = CenterRating.objects.select_for_update().filter(center=center, year=year).first()
    if rating is not None:
        guard(workflow.check_self_assess(by, center, rating), "year")
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
    changes = {"scores": {str(n): str(p) for n, p in points.items()}, "total": str(total)}
    if rating is None:
        rating = _new_rating(
            center,
            by=by,
            year=year,
            scheme=scheme,
            criteria=criteria,
            points=points,
            total=total,
            band=band,
        )
        record(rating, Action.SELF_ASSESS, by=by, reason=note, changes=changes)
    else:
        for score in rating.scores.select_related("criterion"):
            score.self_points = score.points = points[score.criterion.number]
            score.save(update_fields=["self_points", "points"])
        rating.total, rating.band = total, band
        move(
            rating,
            Action.SELF_ASSESS,
            by=by,
            fields=("total", "band"),
            reason=note,
            changes=changes,
        )
    RatingScheme.objects.filter(pk=scheme.pk, frozen_at__isnull=True).update(
        frozen_at=timezone.now()
    )
    return rating


@transaction.atomic
def submit_rating(rating, *, by):
    """Send the self-assessment to province staff."""
    rating = lock_rating(rating)
    move(rating, Action.SUBMIT, by=by, problem=workflow.check_submit(by, rating))
    return rating


@transaction.atomic
def rate_center(rating, *, by, scores, reasons=None, note=""):
    """Province staff's rating: the scores may change, each change with its reason."""
    rating = lock_rating(rating)
    guard(workflow.check_rate(by, rating))
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
    rating.total = sum(points.values(), Decimal(0))
    rating.band = band_for(rating.total, list(rating.scheme.bands.all()))
    move(
        rating,
        Action.RATE,
        by=by,
        fields=("total", "band"),
        reason=note,
        changes={"scores": changed, "total": str(rating.total)},
    )
    return rating


@transaction.atomic
def return_rating(rating, *, by, reason):
    """Send a rating back to the commune for correction, saying why."""
    rating = lock_rating(rating)
    guard(workflow.check_return(by, rating))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what the commune should correct."), "reason")
    move(rating, Action.RETURN, by=by, reason=reason)
    return rating


@transaction.atomic
def publish_rating(rating, *, by):
    """Make a rated centre's band public."""
    rating = lock_rating(rating)
    guard(workflow.check_publish(by, rating))
    rating.published_at = timezone.now()
    move(rating, Action.PUBLISH, by=by, fields=("published_at",))
    return rating


@transaction.atomic
def add_evidence(rating, upload, *, by, description=""):
    """Attach a PDF, JPEG or PNG to a self-assessment; stored privately."""
    rating = lock_rating(rating)
    guard(workflow.check_add_evidence(by, rating))
    checked = check_evidence(upload)
    evidence = CenterEvidence(
        rating=rating,
        # The name people see and download ends with the type found by content.
        original_name=name_for_content(getattr(upload, "name", "") or "file", checked.content_type),
        content_type=checked.content_type,
        size=checked.size,
        description=description,
        uploaded_by=actor(by),
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
