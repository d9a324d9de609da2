"""Scores are checked on the server whatever the form sends; bad input changes nothing."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from lib.errors import DomainError
from models_learning import services
from models_learning.models import Criterion, Registration, Score
from models_learning.scoring import assess_registration
from models_learning.workflow import Action, Status

from .factories import full_marks, in_status, register_family

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def registration(criteria_sets, officer, village):
    return register_family(officer, village)


@pytest.fixture
def criteria(registration):
    return {c.number: c for c in registration.criteria_set.criteria.all()}


def _state(registration):
    registration = Registration.objects.get(pk=registration.pk)
    return (
        registration.status,
        registration.events.count(),
        sorted(registration.scores.values_list("criterion_id", "points", "note")),
    )


def test_a_draft_saves_some_scores_and_the_file_still_waits_for_scores(
    registration, criteria, officer
):
    services.save_scores(
        registration,
        by=officer,
        points={criteria[1]: "25", criteria[2]: 20},
        notes={criteria[1]: "Cháu út học lớp 3"},
    )
    registration.refresh_from_db()
    assert registration.status == Status.REGISTERED
    assert registration.events.last().action == Action.SCORE_PARTLY
    score = registration.scores.get(criterion=criteria[1])
    assert (score.points, score.max_points, score.note) == (25, 30, "Cháu út học lớp 3")
    result = assess_registration(registration)
    assert (result.total, result.complete, result.passes) == (45, False, False)
    event = registration.events.last()
    assert event.data == {"total": "45.0", "scored": 2, "criteria": 4}


def test_saving_again_updates_and_clears(registration, criteria, officer):
    services.save_scores(registration, by=officer, points=full_marks(registration))
    services.save_scores(registration, by=officer, points={criteria[1]: 20, criteria[2]: None})
    points = dict(registration.scores.values_list("criterion__number", "points"))
    assert points == {1: 20, 3: 20, 4: 20}
    # A criterion cleared: the file is a draft again, no longer scored.
    assert Registration.objects.get(pk=registration.pk).status == Status.REGISTERED


def test_an_empty_sheet_is_refused_and_scores_nothing(registration, criteria, officer):
    """An empty form moved a registered file to "scored" with no points."""
    before = _state(registration)
    with pytest.raises(DomainError, match="every criterion has its points"):
        services.save_scores(registration, by=officer, points=dict.fromkeys(criteria.values(), ""))
    with pytest.raises(DomainError, match="every criterion has its points"):
        services.save_scores(registration, by=officer, points={}, notes={criteria[1]: "Ghi chú"})
    assert _state(registration) == before


def test_zero_is_a_value_and_every_criterion_scored_makes_the_file_scored(
    registration, criteria, officer
):
    services.save_scores(registration, by=officer, points=dict.fromkeys(criteria.values(), 0))
    registration.refresh_from_db()
    assert registration.status == Status.SCORED
    assert registration.events.last().action == Action.SCORE
    # Clearing every criterion of a scored file would leave no points at all: refused too.
    before = _state(registration)
    with pytest.raises(DomainError):
        services.save_scores(registration, by=officer, points=dict.fromkeys(criteria.values()))
    assert _state(registration) == before


@pytest.mark.parametrize(
    "value", ["31", "-1", "abc", "7.5", "NaN", "1e9", Decimal("30.1")], ids=str
)
def test_bad_points_are_refused_and_nothing_changes(registration, criteria, officer, value):
    services.save_scores(registration, by=officer, points={criteria[2]: 10})
    before = _state(registration)
    with pytest.raises(DomainError) as error:
        services.save_scores(registration, by=officer, points={criteria[2]: 12, criteria[1]: value})
    assert error.value.field == f"criterion_{criteria[1].pk}"
    assert _state(registration) == before


def test_a_criterion_of_another_set_is_refused(registration, criteria, officer):
    foreign = Criterion.objects.exclude(criteria_set=registration.criteria_set).first()
    before = _state(registration)
    with pytest.raises(DomainError, match="another criteria set"):
        services.save_scores(registration, by=officer, points={criteria[1]: 10, foreign.pk: 5})
    with pytest.raises(DomainError):
        services.save_scores(registration, by=officer, points={"not-an-id": 5})
    assert _state(registration) == before


def test_scores_cannot_change_once_proposed(criteria_sets, officer, province_staff, village):
    registration = in_status(
        Status.PROPOSED, officer=officer, approver=province_staff, village=village
    )
    before = _state(registration)
    with pytest.raises(DomainError, match="proposed"):
        services.save_scores(registration, by=officer, points=full_marks(registration))
    assert _state(registration) == before


def test_a_sibling_officer_cannot_score_another_communes_file(
    registration, criteria, sibling_officer
):
    before = _state(registration)
    with pytest.raises(DomainError, match="Xã Mường Phăng"):
        services.save_scores(registration, by=sibling_officer, points={criteria[1]: 10})
    assert _state(registration) == before


def test_halves_are_accepted_when_the_set_allows_them(tree, province_staff, officer, village):
    services.create_criteria_set(
        by=province_staff,
        code="family-halves",
        kind="family",
        name="Nửa điểm",
        valid_from_year=2026,
        valid_to_year=2026,
        max_score=10,
        pass_mark=8,
        half_points=True,
        criteria=[{"number": 1, "title": "A", "max_points": "10"}],
    )
    registration = register_family(officer, village)
    criterion = registration.criteria_set.criteria.get()
    services.save_scores(registration, by=officer, points={criterion: "8,5"})
    assert registration.scores.get().points == Decimal("8.5")
    with pytest.raises(DomainError, match=r"steps of 0\.5"):
        services.save_scores(registration, by=officer, points={criterion: "8.25"})


def test_the_database_itself_refuses_points_above_the_maximum(registration, criteria):
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            registration=registration, criterion=criteria[1], points=31, max_points=30
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            registration=registration, criterion=criteria[1], points=-1, max_points=30
        )
