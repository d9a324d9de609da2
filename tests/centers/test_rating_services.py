"""The centre rating workflow's services: self-assessment, submit, rate, return, publish."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from centers import services
from centers.models import (
    CenterRating,
    CenterRatingEvent,
    CenterScore,
    RatingScheme,
    RatingStatus,
)
from tests.factories import make_member, make_unit
from tests.helpers import refused
from units.models import Level, Role

from .builders import FAIR_SCORES, GOOD_SCORES, this_year

# Messages are matched in their English source form.
pytestmark = pytest.mark.usefixtures("english")

S = RatingStatus


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# ------------------------------------------------------------------ self-assessment


def test_self_assessment_creates_the_years_rating_with_total_band_scores_and_event(
    self_assessed, officer, scheme
):
    rating = self_assessed
    assert rating.status == S.SELF_ASSESSED
    assert rating.total == Decimal(88)
    assert rating.band.code == "tot"
    assert rating.commune == rating.center.commune
    assert {s.criterion.number: s.self_points for s in rating.scores.all()} == GOOD_SCORES
    event = rating.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "self_assess",
        "",
        S.SELF_ASSESSED,
        officer,
    )
    assert fresh(scheme).is_frozen


def test_saving_the_self_assessment_again_corrects_the_same_rating(self_assessed, officer):
    rating = services.save_self_assessment(
        self_assessed.center, by=officer, year=self_assessed.year, scores=FAIR_SCORES
    )
    assert rating.pk == self_assessed.pk
    assert CenterRating.objects.count() == 1
    assert rating.total == Decimal(74)
    assert rating.band.code == "kha"
    assert rating.events.count() == 2


@pytest.mark.parametrize(
    ("scores", "field", "contains"),
    [
        ({**GOOD_SCORES, 2: Decimal("30.5")}, "c2", "30"),
        ({**GOOD_SCORES, 1: 26}, "c1", "25"),
        ({**GOOD_SCORES, 3: -1}, "c3", None),
        ({**GOOD_SCORES, 4: "tốt"}, "c4", None),
        ({**GOOD_SCORES, 4: "1e400"}, "c4", None),
        ({1: 20, 2: 20, 3: 10}, "c4", None),
        ({**GOOD_SCORES, 1: "20.125"}, "c1", None),
    ],
)
def test_a_bad_score_is_refused_next_to_its_criterion_and_nothing_is_created(
    center, officer, scores, field, contains
):
    refused(
        lambda: services.save_self_assessment(center, by=officer, year=this_year(), scores=scores),
        field=field,
        contains=contains,
    )
    assert not CenterRating.objects.exists()
    assert not CenterScore.objects.exists()


def test_scores_may_use_a_decimal_comma(center, officer):
    rating = services.save_self_assessment(
        center, by=officer, year=this_year(), scores={**GOOD_SCORES, 1: "21,5"}
    )
    assert rating.total == Decimal("87.5")


def test_only_the_commune_officer_self_assesses(center, sibling_officer, province_staff):
    for user in (sibling_officer, province_staff):
        refused(
            lambda user=user: services.save_self_assessment(
                center, by=user, year=this_year(), scores=GOOD_SCORES
            )
        )
    assert not CenterRating.objects.exists()


def test_a_year_without_a_scheme_is_refused_with_a_message(center, officer, scheme):
    RatingScheme.objects.filter(pk=scheme.pk).update(year_from=this_year() + 1)
    refused(
        lambda: services.save_self_assessment(
            center, by=officer, year=this_year(), scores=GOOD_SCORES
        ),
        field="year",
        contains=str(this_year()),
    )


# ------------------------------------------------------------------ submit, rate, return, publish


def test_officer_submits_the_self_assessment(submitted, officer):
    assert submitted.status == S.SUBMITTED
    event = submitted.events.last()
    assert (event.from_status, event.to_status, event.actor) == (
        S.SELF_ASSESSED,
        S.SUBMITTED,
        officer,
    )


def test_a_submitted_rating_cannot_be_submitted_again(submitted, officer):
    refused(lambda: services.submit_rating(submitted, by=officer))
    assert submitted.events.count() == 2


def test_sibling_officer_cannot_submit(self_assessed, sibling_officer):
    refused(lambda: services.submit_rating(self_assessed, by=sibling_officer))
    assert fresh(self_assessed).status == S.SELF_ASSESSED


def test_a_second_rating_for_the_same_year_is_refused_once_submitted_and_nothing_changes(
    submitted, officer
):
    error = refused(
        lambda: services.save_self_assessment(
            submitted.center, by=officer, year=submitted.year, scores=FAIR_SCORES
        ),
        field="year",
    )
    assert str(submitted.year) in str(error.message)
    rating = fresh(submitted)
    assert (rating.status, rating.total) == (S.SUBMITTED, Decimal(88))
    assert CenterRating.objects.count() == 1


def test_the_database_itself_keeps_one_rating_per_centre_and_year(self_assessed):
    with pytest.raises(IntegrityError), transaction.atomic():
        CenterRating.objects.create(
            center=self_assessed.center,
            year=self_assessed.year,
            scheme=self_assessed.scheme,
            commune=self_assessed.commune,
        )


def test_the_database_refuses_points_above_the_criterions_maximum(self_assessed):
    score = self_assessed.scores.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        CenterScore.objects.filter(pk=score.pk).update(points=score.max_points + 1)


def test_province_staff_rate_unchanged_scores_without_a_reason(submitted, province_staff):
    rating = services.rate_center(submitted, by=province_staff, scores=GOOD_SCORES)
    assert rating.status == S.RATED
    assert rating.total == Decimal(88)
    event = rating.events.last()
    assert (event.action, event.actor, event.changes["scores"]) == ("rate", province_staff, [])


def test_a_changed_score_without_its_reason_is_refused_and_nothing_changes(
    submitted, province_staff
):
    refused(
        lambda: services.rate_center(
            submitted, by=province_staff, scores={**GOOD_SCORES, 2: 20}, reasons={2: "  "}
        ),
        field="reason2",
    )
    rating = fresh(submitted)
    assert rating.status == S.SUBMITTED
    assert rating.scores.get(criterion__number=2).points == 27


def test_each_changed_score_and_its_reason_are_recorded(rated, province_staff):
    assert rated.status == S.RATED
    assert rated.total == Decimal(86)
    assert rated.band.code == "tot"
    score = rated.scores.get(criterion__number=2)
    assert (score.self_points, score.points, score.adjusted) == (27, 25, True)
    event = rated.events.last()
    assert event.changes["scores"] == [
        {
            "criterion": 2,
            "from": "27.00",
            "to": "25",
            "reason": "Thiếu sổ theo dõi lớp học pháp luật.",
        }
    ]
    assert event.reason == "Ghi chú nội bộ của người chấm."


def test_a_lower_score_moves_the_band_down(submitted, province_staff):
    rating = services.rate_center(
        submitted,
        by=province_staff,
        scores={**GOOD_SCORES, 4: Decimal("17.5")},
        reasons={4: "Hiệu quả chưa rõ."},
    )
    assert rating.total == Decimal("84.5")
    assert rating.band.code == "kha"


def test_province_staff_may_rate_again_before_publishing(rated, province_staff):
    rating = services.rate_center(
        rated, by=province_staff, scores={**GOOD_SCORES, 2: 26}, reasons={2: "Đã bổ sung sổ."}
    )
    assert rating.total == Decimal(87)
    assert rating.events.filter(action="rate").count() == 2


def test_only_a_submitted_rating_is_rated(self_assessed, province_staff):
    refused(lambda: services.rate_center(self_assessed, by=province_staff, scores=GOOD_SCORES))
    assert fresh(self_assessed).status == S.SELF_ASSESSED


@pytest.mark.parametrize("persona", ["officer", "sibling_officer"])
def test_a_commune_officer_cannot_rate(submitted, persona, request):
    user = request.getfixturevalue(persona)
    refused(lambda: services.rate_center(submitted, by=user, scores=GOOD_SCORES))
    assert fresh(submitted).status == S.SUBMITTED


def test_staff_of_another_province_cannot_rate_a_centre_outside_their_scope(submitted, db):
    other = make_unit("Tỉnh Lai Châu", Level.PROVINCE, admin_code="12")
    stranger = make_member(other, Role.APPROVER, Role.MANAGER, username="laichau")
    for call in (
        lambda: services.rate_center(submitted, by=stranger, scores=GOOD_SCORES),
        lambda: services.return_rating(submitted, by=stranger, reason="x"),
    ):
        refused(call)
    assert fresh(submitted).status == S.SUBMITTED


def test_a_province_manager_without_approver_role_cannot_rate(submitted, tree):
    manager = make_member(tree["province"], Role.MANAGER, username="manager-only")
    refused(lambda: services.rate_center(submitted, by=manager, scores=GOOD_SCORES))


def test_return_needs_a_reason(submitted, province_staff):
    refused(
        lambda: services.return_rating(submitted, by=province_staff, reason=" "), field="reason"
    )
    assert fresh(submitted).status == S.SUBMITTED


def test_returned_rating_is_corrected_and_submitted_again_in_the_same_row(
    submitted, officer, province_staff
):
    rating = services.return_rating(submitted, by=province_staff, reason="Thiếu biên bản họp.")
    assert rating.status == S.RETURNED
    assert rating.events.last().reason == "Thiếu biên bản họp."
    rating = services.save_self_assessment(
        rating.center, by=officer, year=rating.year, scores=FAIR_SCORES
    )
    rating = services.submit_rating(rating, by=officer)
    assert rating.status == S.SUBMITTED
    assert CenterRating.objects.count() == 1
    assert [e.to_status for e in rating.events.all()] == [
        S.SELF_ASSESSED,
        S.SUBMITTED,
        S.RETURNED,
        S.SELF_ASSESSED,
        S.SUBMITTED,
    ]


def test_a_rated_rating_can_be_returned_too(rated, province_staff):
    assert services.return_rating(rated, by=province_staff, reason="Xem lại").status == S.RETURNED


def test_the_officer_cannot_return(submitted, officer):
    refused(lambda: services.return_rating(submitted, by=officer, reason="x"))


@pytest.mark.parametrize("fixture", ["self_assessed", "submitted"])
def test_publishing_an_unrated_centre_is_refused_and_nothing_changes(
    fixture, province_staff, request
):
    rating = request.getfixturevalue(fixture)
    before = rating.status
    refused(lambda: services.publish_rating(rating, by=province_staff), contains="rated")
    rating = fresh(rating)
    assert rating.status == before
    assert rating.published_at is None


def test_province_staff_publish_a_rated_centre(rated, province_staff):
    rating = services.publish_rating(rated, by=province_staff)
    assert rating.status == S.PUBLISHED
    assert rating.published_at is not None
    event = rating.events.last()
    assert (event.action, event.from_status, event.to_status) == ("publish", S.RATED, S.PUBLISHED)


def test_the_officer_cannot_publish(rated, officer):
    refused(lambda: services.publish_rating(rated, by=officer))
    assert fresh(rated).status == S.RATED


def test_a_published_rating_is_final(published, province_staff, officer):
    for call in (
        lambda: services.publish_rating(published, by=province_staff),
        lambda: services.return_rating(published, by=province_staff, reason="x"),
        lambda: services.rate_center(published, by=province_staff, scores=GOOD_SCORES),
        lambda: services.save_self_assessment(
            published.center, by=officer, year=published.year, scores=FAIR_SCORES
        ),
    ):
        refused(call)
    assert fresh(published).status == S.PUBLISHED


def test_every_step_writes_one_event_with_its_actor(published, officer, province_staff):
    steps = list(
        CenterRatingEvent.objects.filter(rating=published).values_list(
            "action", "from_status", "to_status", "actor"
        )
    )
    assert steps == [
        ("self_assess", "", S.SELF_ASSESSED, officer.pk),
        ("submit", S.SELF_ASSESSED, S.SUBMITTED, officer.pk),
        ("rate", S.SUBMITTED, S.RATED, province_staff.pk),
        ("publish", S.RATED, S.PUBLISHED, province_staff.pk),
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks exist on PostgreSQL")
def test_each_transition_locks_the_rating_row(submitted, province_staff):
    with CaptureQueriesContext(connection) as queries:
        services.rate_center(submitted, by=province_staff, scores=GOOD_SCORES)
    assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)
