"""Reads of centres, reports and ratings for staff, always from what the viewer may see.

A centre is seen through the commune it belongs to now (units.scoping): the officer of a 2025
commune reads the centres its predecessors handed over, with their whole history.
"""

from django.db.models import Count, F, FilteredRelation, Q, Sum

from lib.dates import local_today
from units.models import Level, Role, Unit
from units.scoping import scope_of, scoped, under_paths

from .models import (
    FUND_FIELDS,
    LEARNER_FIELDS,
    TOPICS,
    CenterEvidence,
    CenterRating,
    CenterYearReport,
    LearningCenter,
)
from .statistics import band_choices as _band_choices
from .statistics import sum_of

CENTER_PATH = "commune__path"


def centers_visible_to(user):
    return scoped(LearningCenter.objects.all(), user, CENTER_PATH)


def ratings_visible_to(user):
    return scoped(CenterRating.objects.all(), user, f"center__{CENTER_PATH}")


def reports_visible_to(user):
    return scoped(CenterYearReport.objects.all(), user, f"center__{CENTER_PATH}")


def evidence_visible_to(user):
    return scoped(CenterEvidence.objects.all(), user, f"rating__center__{CENTER_PATH}")


def center_list(user, *, year, unit=None, band=None, status=None, include_ended=False):
    """Centres `user` sees, each with its report and rating of `year`: one query.

    `status` is a rating status, or "none" for centres without a rating that year.
    """
    centers = centers_visible_to(user)
    if not include_ended:
        centers = centers.filter(valid_to__isnull=True)
    if unit is not None:
        centers = centers.filter(commune__path__startswith=unit.path)
    centers = centers.annotate(
        year_rating=FilteredRelation("ratings", condition=Q(ratings__year=year)),
        year_report=FilteredRelation("reports", condition=Q(reports__year=year)),
    ).annotate(
        rating_id=F("year_rating__id"),
        rating_status=F("year_rating__status"),
        rating_total=F("year_rating__total"),
        band_name=F("year_rating__band__name"),
        band_code=F("year_rating__band__code"),
        report_id=F("year_report__id"),
    )
    if band:
        centers = centers.filter(year_rating__band__code=band)
    if status == "none":
        centers = centers.filter(year_rating__id__isnull=True)
    elif status:
        centers = centers.filter(year_rating__status=status)
    return centers.select_related("commune").order_by("commune__name", "name", "pk")


def centers_per_commune(commune_ids):
    """{commune id: number of current centres}: more than one means legacy centres to merge."""
    return dict(
        LearningCenter.objects.filter(commune_id__in=commune_ids, valid_to__isnull=True)
        .values_list("commune_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def filter_units(user):
    """Units to filter the staff list by: the current province(s) and communes in scope."""
    return (
        scoped(Unit.objects.current(), user)
        .filter(level__in=[Level.PROVINCE, Level.COMMUNE])
        .order_by("depth", "name", "pk")
    )


def band_choices():
    """(code, name) of every band any scheme defines, highest first (one query)."""
    return _band_choices()


def communes_for_new_center(user):
    """Current communes where `user` may register a centre (workflow.check_create_center):
    under an officer membership, or in a province where the user is staff. One filter, so
    that thousands of communes are never read to offer twenty."""
    communes = Unit.objects.current().filter(level=Level.COMMUNE).order_by("name", "pk")
    scope = scope_of(user)
    if scope.is_superuser:
        return communes
    paths = [
        m.unit.path
        for m in scope.memberships
        if m.role == Role.OFFICER
        or (m.role in (Role.APPROVER, Role.MANAGER) and m.unit.level == Level.PROVINCE)
    ]
    return communes.filter(under_paths(paths))


def centers_waiting_carry_over(user):
    """Current centres still attached to a commune that has ended."""
    return centers_visible_to(user).filter(
        valid_to__isnull=True, commune__valid_to__lt=local_today()
    )


def yearly_totals(reports):
    """Per year: centres reporting, classes, participant-visits (total and by topic), learners
    and funds: one GROUP BY over `reports`."""
    topic_sums = {f"{key}_participants": Sum(f"{key}_participants") for key, _label in TOPICS}
    rows = (
        reports.values("year")
        .annotate(
            centers=Count("id"),
            classes=sum_of(*(f"{key}_classes" for key, _label in TOPICS)),
            participants=sum_of(*(f"{key}_participants" for key, _label in TOPICS)),
            funds=sum_of(*FUND_FIELDS),
            **topic_sums,
            **{name: Sum(name) for name in LEARNER_FIELDS},
        )
        .order_by("-year")
    )
    result = []
    for row in rows:
        row["topics"] = [(label, row[f"{key}_participants"]) for key, label in TOPICS]
        result.append(row)
    return result
