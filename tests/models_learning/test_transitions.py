"""Every move of the workflow table, from every status, by every persona.

A move allowed from a status works for the persona whose job it is and writes one event;
from any other status, or by anyone else, it raises DomainError and changes nothing.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lib.errors import DomainError
from models_learning import services
from models_learning.models import Registration
from models_learning.workflow import MOVES, Action, Status, allows, target
from tests.helpers import PERSONAS, persona_user

from .factories import full_marks, in_status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _one_score_left_empty(registration):
    first, second, *_rest = registration.criteria_set.criteria.all()
    return {first: 5, second: None}


def _png():
    return SimpleUploadedFile("minutes.png", PNG, content_type="image/png")


# action -> (whose job it is, how the service is called)
CALLS = {
    Action.SCORE: (
        "officer",
        lambda r, by: services.save_scores(r, by=by, points=full_marks(r)),
    ),
    Action.SCORE_PARTLY: (
        "officer",
        lambda r, by: services.save_scores(r, by=by, points=_one_score_left_empty(r)),
    ),
    Action.PROPOSE: ("officer", lambda r, by: services.propose_registration(r, by=by)),
    Action.RECOGNIZE: ("province_staff", lambda r, by: services.approve_registration(r, by=by)),
    Action.RETURN: (
        "province_staff",
        lambda r, by: services.return_registration(r, by=by, reason="Thiếu biên bản"),
    ),
    Action.REJECT: (
        "province_staff",
        lambda r, by: services.reject_registration(r, by=by, reason="Không đủ minh chứng"),
    ),
    Action.REVOKE: (
        "province_staff",
        lambda r, by: services.revoke_recognition(r, by=by, reason="Kê khai sai"),
    ),
    Action.WITHDRAW: ("officer", lambda r, by: services.withdraw_registration(r, by=by)),
    Action.ATTACH_EVIDENCE: (
        "officer",
        lambda r, by: services.attach_evidence(r, by=by, file=_png()),
    ),
    Action.EDIT_DECISION: (
        "province_staff",
        lambda r, by: services.update_decision(
            r, by=by, decision_number="7/QĐ-HKH", decision_date=datetime.date(2026, 1, 5)
        ),
    ),
    Action.ISSUE_DECISION: ("province_staff", lambda r, by: services.issue_decision(r, by=by)),
}
STATUSES = list(Status)
# The four personas, and a signed-in user with no membership at all.
ACTORS = (*PERSONAS, "stranger")


def _snapshot(registration):
    registration = Registration.objects.get(pk=registration.pk)
    return (
        registration.status,
        registration.current_level,
        registration.awaiting_unit_id,
        registration.total_score,
        registration.events.count(),
        list(registration.scores.values_list("criterion_id", "points")),
        registration.evidence.count(),
    )


@pytest.fixture
def make(criteria_sets, officer, province_staff, village):
    def make(status):
        return in_status(status, officer=officer, approver=province_staff, village=village)

    return make


def test_every_action_of_the_table_is_covered_here():
    assert set(MOVES) - set(CALLS) == {
        Action.REGISTER,  # tested in test_registration.py (there is no file yet)
        Action.APPROVE,  # the intermediate approval: tested in test_chains.py
        Action.REMOVE_EVIDENCE,  # needs a file: tested in test_evidence.py
        Action.PASS_ON,  # the rule acts, not a person: tested in test_chains.py
    }


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(CALLS), ids=str)
def test_a_move_works_only_from_the_statuses_the_table_allows(request, make, action, status):
    registration = make(status)
    job, call = CALLS[action]
    actor = request.getfixturevalue(job)
    before = _snapshot(registration)
    if not allows(action, status):
        with pytest.raises(DomainError):
            call(registration, actor)
        assert _snapshot(registration) == before
        return
    call(registration, actor)
    registration.refresh_from_db()
    assert registration.status == target(action, status)
    event = registration.events.order_by("-id").first()
    assert registration.events.count() == before[4] + 1
    assert (event.action, event.from_status, event.to_status) == (
        action,
        status,
        registration.status,
    )
    assert event.actor == actor


# One registration in a status each action may start from.
START = {
    Action.SCORE: Status.REGISTERED,
    Action.SCORE_PARTLY: Status.SCORED,
    Action.PROPOSE: Status.SCORED,
    Action.RECOGNIZE: Status.PROPOSED,
    Action.RETURN: Status.PROPOSED,
    Action.REJECT: Status.PROPOSED,
    Action.REVOKE: Status.RECOGNIZED,
    Action.WITHDRAW: Status.SCORED,
    Action.ATTACH_EVIDENCE: Status.REGISTERED,
    Action.EDIT_DECISION: Status.RECOGNIZED,
    Action.ISSUE_DECISION: Status.RECOGNIZED,
}


@pytest.mark.parametrize("persona", ACTORS)
@pytest.mark.parametrize("action", list(CALLS), ids=str)
def test_only_the_persona_whose_job_it_is_may_make_a_move(request, make, action, persona):
    registration = make(START[action])
    job, call = CALLS[action]
    actor = persona_user(request, persona)
    before = _snapshot(registration)
    if persona != job:
        with pytest.raises(DomainError):
            call(registration, actor)
        assert _snapshot(registration) == before
        return
    call(registration, actor)
    after = _snapshot(registration)
    assert after[4] == before[4] + 1
    event = Registration.objects.get(pk=registration.pk).events.order_by("-id").first()
    assert event.action == action
    assert event.actor == actor


@pytest.mark.parametrize("persona", ACTORS)
def test_only_the_commune_officer_may_register_in_the_commune(
    request, criteria_sets, village, persona
):
    actor = persona_user(request, persona)
    new = {"village": village, "head_name": "Lò Văn Pánh", "head_birth_year": 1972}
    if persona != "officer":
        with pytest.raises(DomainError):
            services.register_household(by=actor, year=2026, new_household=new)
        assert not Registration.objects.exists()
        return
    registration = services.register_household(by=actor, year=2026, new_household=new)
    event = registration.events.get()
    assert (event.action, event.from_status, event.to_status) == (
        Action.REGISTER,
        "",
        Status.REGISTERED,
    )
    assert event.actor == actor
    assert event.unit == village.commune


def test_approving_twice_is_refused(criteria_sets, officer, province_staff, village):
    registration = in_status(
        Status.PROPOSED, officer=officer, approver=province_staff, village=village
    )
    services.approve_registration(registration, by=province_staff)
    with pytest.raises(DomainError, match="not waiting"):
        services.approve_registration(registration, by=province_staff)
    assert registration.events.filter(action=Action.RECOGNIZE).count() == 1


def test_a_returned_file_is_fixed_and_proposed_again_keeping_every_round(
    criteria_sets, officer, province_staff, village
):
    registration = in_status(
        Status.PROPOSED, officer=officer, approver=province_staff, village=village
    )
    criterion = registration.criteria_set.criteria.get(number=2)
    services.return_registration(
        registration,
        by=province_staff,
        reason="Thiếu danh sách người lớn đi học",
        criterion_notes={criterion.pk: "Bổ sung danh sách"},
    )
    registration.refresh_from_db()
    assert (registration.status, registration.is_returned) == (Status.SCORED, True)
    assert registration.total_score is None
    returned = registration.events.get(action=Action.RETURN)
    assert returned.reason == "Thiếu danh sách người lớn đi học"
    assert returned.criterion_notes == [
        {
            "criterion": criterion.pk,
            "number": 2,
            "title": criterion.title,
            "note": "Bổ sung danh sách",
        }
    ]
    services.save_scores(registration, by=officer, points={criterion: 25})
    services.propose_registration(registration, by=officer)
    registration.refresh_from_db()
    assert (registration.status, registration.is_returned) == (Status.PROPOSED, False)
    assert registration.total_score == 95
    assert list(registration.events.values_list("action", flat=True)) == [
        Action.REGISTER,
        Action.SCORE,
        Action.PROPOSE,
        Action.RETURN,
        Action.SCORE,
        Action.PROPOSE,
    ]


def test_return_and_reject_need_a_reason(criteria_sets, officer, province_staff, village):
    registration = in_status(
        Status.PROPOSED, officer=officer, approver=province_staff, village=village
    )
    with pytest.raises(DomainError) as error:
        services.return_registration(registration, by=province_staff, reason="  ")
    assert error.value.field == "reason"
    with pytest.raises(DomainError):
        services.reject_registration(registration, by=province_staff, reason="")
    with pytest.raises(DomainError):
        services.revoke_recognition(registration, by=province_staff, reason="")
    assert Registration.objects.get(pk=registration.pk).status == Status.PROPOSED


def test_a_note_for_a_criterion_of_another_set_is_refused(
    criteria_sets, officer, province_staff, village
):
    from models_learning.models import Criterion

    registration = in_status(
        Status.PROPOSED, officer=officer, approver=province_staff, village=village
    )
    foreign = Criterion.objects.exclude(criteria_set=registration.criteria_set).first()
    with pytest.raises(DomainError):
        services.return_registration(
            registration, by=province_staff, reason="x", criterion_notes={foreign.pk: "y"}
        )
    assert Registration.objects.get(pk=registration.pk).status == Status.PROPOSED


def test_propose_needs_every_criterion_and_the_pass_mark(
    criteria_sets, officer, province_staff, village
):
    registration = in_status(
        Status.REGISTERED, officer=officer, approver=province_staff, village=village
    )
    criteria = list(registration.criteria_set.criteria.order_by("number"))
    services.save_scores(registration, by=officer, points={criteria[0]: 30})
    with pytest.raises(DomainError, match="Score every criterion"):
        services.propose_registration(registration, by=officer)
    services.save_scores(
        registration, by=officer, points={criteria[1]: 20, criteria[2]: 10, criteria[3]: 10}
    )
    with pytest.raises(DomainError, match="below the pass mark"):
        services.propose_registration(registration, by=officer)
    assert Registration.objects.get(pk=registration.pk).status == Status.SCORED
