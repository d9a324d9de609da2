"""Every move of the rating workflow's table, from every status, by every persona.

As for registrations (tests/models_learning/test_transitions.py): a move allowed from a
status works for the persona whose job it is and writes one event; from any other status, or
by anyone else, it raises DomainError and changes nothing.
"""

import pytest

from centers import services
from centers.models import CenterRating, RatingStatus
from centers.workflow import MOVES, Action, allows, target
from tests.helpers import PERSONAS, persona_user, refused

from .builders import (
    FAIR_SCORES,
    make_published,
    make_rated,
    make_self_assessed,
    make_submitted,
)

STATUSES = list(RatingStatus)
# The four personas, and a signed-in user with no membership at all.
ACTORS = (*PERSONAS, "stranger")


def _same_scores(rating):
    return {s.criterion.number: s.points for s in rating.scores.select_related("criterion")}


# action -> (whose job it is, how the service is called)
CALLS = {
    Action.SELF_ASSESS: (
        "officer",
        lambda r, by: services.save_self_assessment(
            r.center, by=by, year=r.year, scores=FAIR_SCORES
        ),
    ),
    Action.SUBMIT: ("officer", lambda r, by: services.submit_rating(r, by=by)),
    Action.RATE: (
        "province_staff",
        lambda r, by: services.rate_center(r, by=by, scores=_same_scores(r)),
    ),
    Action.RETURN: (
        "province_staff",
        lambda r, by: services.return_rating(r, by=by, reason="Thiếu biên bản họp."),
    ),
    Action.PUBLISH: ("province_staff", lambda r, by: services.publish_rating(r, by=by)),
}


@pytest.fixture
def make(center, officer, province_staff):
    def make(status):
        if status == RatingStatus.SELF_ASSESSED:
            return make_self_assessed(center, officer)
        if status == RatingStatus.SUBMITTED:
            return make_submitted(center, officer)
        if status == RatingStatus.RETURNED:
            return services.return_rating(
                make_submitted(center, officer), by=province_staff, reason="Bổ sung."
            )
        if status == RatingStatus.RATED:
            return make_rated(center, officer, province_staff)
        return make_published(center, officer, province_staff)

    return make


def _snapshot(rating):
    rating = CenterRating.objects.get(pk=rating.pk)
    return (
        rating.status,
        rating.total,
        rating.band_id,
        rating.published_at,
        rating.events.count(),
        sorted(rating.scores.values_list("criterion_id", "self_points", "points")),
    )


def test_every_action_of_the_table_is_covered_here():
    assert set(MOVES) == set(CALLS)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(CALLS), ids=str)
def test_a_move_works_only_from_the_statuses_the_table_allows(request, make, action, status):
    rating = make(status)
    job, call = CALLS[action]
    actor = request.getfixturevalue(job)
    before = _snapshot(rating)
    if not allows(action, status):
        refused(lambda: call(rating, actor))
        assert _snapshot(rating) == before
        return
    call(rating, actor)
    rating.refresh_from_db()
    assert rating.status == target(action, status)
    assert rating.events.count() == before[4] + 1
    event = rating.events.order_by("-id").first()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        action,
        status,
        rating.status,
        actor,
    )


# One rating in a status each action may start from.
START = {
    Action.SELF_ASSESS: RatingStatus.RETURNED,
    Action.SUBMIT: RatingStatus.SELF_ASSESSED,
    Action.RATE: RatingStatus.SUBMITTED,
    Action.RETURN: RatingStatus.RATED,
    Action.PUBLISH: RatingStatus.RATED,
}


@pytest.mark.parametrize("persona", ACTORS)
@pytest.mark.parametrize("action", list(CALLS), ids=str)
def test_only_the_persona_whose_job_it_is_may_make_a_move(request, make, action, persona):
    rating = make(START[action])
    job, call = CALLS[action]
    actor = persona_user(request, persona)
    before = _snapshot(rating)
    if persona != job:
        refused(lambda: call(rating, actor))
        assert _snapshot(rating) == before
        return
    call(rating, actor)
    assert _snapshot(rating)[4] == before[4] + 1
    event = CenterRating.objects.get(pk=rating.pk).events.order_by("-id").first()
    assert (event.action, event.actor) == (action, actor)


@pytest.mark.parametrize("persona", ACTORS)
def test_only_the_commune_officer_makes_the_first_self_assessment(request, center, persona):
    actor = persona_user(request, persona)
    if persona != "officer":
        refused(lambda: make_self_assessed(center, actor))
        assert not CenterRating.objects.exists()
        return
    event = make_self_assessed(center, actor).events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        Action.SELF_ASSESS,
        "",
        RatingStatus.SELF_ASSESSED,
        actor,
    )
