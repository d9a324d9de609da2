"""The registration page and the workflow's steps: only the allowed buttons, each step one
POST, refused steps explained and changing nothing, another commune's file a 404."""

import datetime

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from lib.dates import local_today
from models_learning import services
from models_learning.models import Recognition, Registration
from models_learning.workflow import Status

from .factories import fresh, full_marks, proposed_family, register_family
from .page_factories import family_in

pytestmark = pytest.mark.django_db

TODAY = local_today()


def page_url(registration):
    return reverse("models_learning:registration-detail", args=[registration.pk])


def step_url(step, registration):
    return reverse(f"models_learning:registration-{step}", args=[registration.pk])


def snapshot(registration):
    registration = fresh(registration)
    return (
        registration.status,
        registration.current_level,
        registration.awaiting_unit_id,
        registration.total_score,
        registration.events.count(),
        Recognition.objects.filter(registration=registration).count(),
    )


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def proposed(criteria_sets, officer, village):
    return proposed_family(officer, village)


# --- the page ------------------------------------------------------------------------------


def test_the_page_shows_the_subject_the_set_with_its_version_and_the_scores(
    client, criteria_sets, officer, village
):
    registration = register_family(
        officer,
        village,
        head_name="Quàng Văn Thắng",
        phone="0912345678",
        members=[{"name": "Quàng Thị Mai", "birth_year": 2012, "schooling": "primary"}],
    )
    response = signed_in(client, officer).get(page_url(registration))
    assert response.status_code == 200
    text = response.text
    assert "Quàng Văn Thắng" in text and "Quàng Thị Mai" in text and "0912345678" in text
    assert "Bản Co Muông" in text
    assert registration.criteria_set.name in text
    assert len(response.context["rows"]) == registration.criteria_set.criteria.count()
    assert response.context["actions"] == {
        "score",
        "withdraw",
        "attach_evidence",
        "remove_evidence",
    }
    assert step_url("score", registration) in text
    assert step_url("approve", registration) not in text


def test_the_approver_sees_approve_return_and_reject_but_not_the_officers_buttons(
    client, proposed, province_staff
):
    response = signed_in(client, province_staff).get(page_url(proposed))
    assert response.context["actions"] == {"approve", "return", "reject"}
    assert response.context["final_level"]
    text = response.text
    for step in ("approve", "return", "reject"):
        assert step_url(step, proposed) in text
    assert step_url("score", proposed) not in text
    assert step_url("withdraw", proposed) not in text
    assert 'name="decision_number"' in text


def test_the_officer_sees_no_approval_buttons_on_a_proposal(client, proposed, officer):
    response = signed_in(client, officer).get(page_url(proposed))
    assert response.context["actions"] == {"withdraw"}
    assert step_url("approve", proposed) not in response.text


def test_the_page_of_another_communes_registration_is_a_404(client, proposed, sibling_officer):
    assert signed_in(client, sibling_officer).get(page_url(proposed)).status_code == 404


def test_the_page_runs_a_fixed_number_of_queries(
    client, proposed, province_staff, django_assert_max_num_queries
):
    signed_in(client, province_staff)
    with django_assert_max_num_queries(20):
        client.get(page_url(proposed))


# --- propose ---------------------------------------------------------------------------------


def test_the_officer_proposes_a_scored_registration(client, criteria_sets, officer, village, tree):
    registration = register_family(officer, village)
    services.save_scores(registration, by=officer, points=full_marks(registration))
    response = signed_in(client, officer).post(step_url("propose", registration), follow=True)
    registration = fresh(registration)
    assert registration.status == Status.PROPOSED
    assert registration.awaiting_unit == tree["province"]
    assert response.redirect_chain[-1][0] == page_url(registration)
    assert "Tỉnh Điện Biên" in response.text


def test_proposing_below_the_pass_mark_is_refused_with_the_reason(
    client, criteria_sets, officer, village
):
    registration = register_family(officer, village)
    marks = full_marks(registration)
    for criterion in registration.criteria_set.criteria.filter(number__in=[3, 4]):
        marks[criterion.pk] = 0
    services.save_scores(registration, by=officer, points=marks)
    before = snapshot(registration)
    response = signed_in(client, officer).post(step_url("propose", registration))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert snapshot(registration) == before


def test_proposing_a_registration_not_scored_is_refused(client, criteria_sets, officer, village):
    registration = register_family(officer, village)
    before = snapshot(registration)
    response = signed_in(client, officer).post(step_url("propose", registration))
    assert response.status_code == 200
    assert snapshot(registration) == before


# --- approve -------------------------------------------------------------------------------


def test_the_province_approver_recognises_with_a_decision_number(client, proposed, province_staff):
    data = {"decision_number": "12/QĐ-HKH", "decision_date": TODAY.isoformat(), "note": "Đạt"}
    response = signed_in(client, province_staff).post(
        step_url("approve", proposed), data, follow=True
    )
    registration = fresh(proposed)
    assert registration.status == Status.RECOGNIZED
    recognition = registration.recognition
    assert recognition.decision_number == "12/QĐ-HKH"
    assert recognition.certificate_code in response.text
    assert "12/QĐ-HKH" in response.text
    assert response.context["recognition"] == recognition


def test_without_a_number_the_decision_is_numbered_automatically(client, proposed, province_staff):
    signed_in(client, province_staff).post(step_url("approve", proposed))
    assert fresh(proposed).recognition.decision_number.endswith("/QĐ-HKH")


def test_approving_twice_is_refused_the_second_time(client, proposed, province_staff):
    signed_in(client, province_staff).post(step_url("approve", proposed))
    before = snapshot(proposed)
    response = client.post(step_url("approve", proposed))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert snapshot(proposed) == before


def test_a_decision_date_in_the_future_is_refused_next_to_the_field(
    client, proposed, province_staff
):
    before = snapshot(proposed)
    data = {"decision_number": "3/QĐ", "decision_date": (TODAY + datetime.timedelta(days=3))}
    response = signed_in(client, province_staff).post(step_url("approve", proposed), data)
    assert response.status_code == 200
    assert response.context["form"].errors["decision_date"]
    assert snapshot(proposed) == before


def test_the_officer_cannot_approve_their_own_proposal(client, proposed, officer):
    before = snapshot(proposed)
    response = signed_in(client, officer).get(step_url("approve", proposed))
    assert response.context["problem"]
    response = client.post(step_url("approve", proposed))
    assert response.status_code == 200
    assert snapshot(proposed) == before


def test_a_forged_approval_of_another_communes_registration_is_a_404(
    client, criteria_sets, sibling_officer, sibling_village, officer
):
    theirs = proposed_family(sibling_officer, sibling_village)
    before = snapshot(theirs)
    response = signed_in(client, officer).post(step_url("approve", theirs))
    assert response.status_code == 404
    assert snapshot(theirs) == before


def test_the_old_chain_goes_through_the_district_before_the_province(
    client, criteria_sets, old_officer, old_village, district_reviewer, province_staff, tree
):
    registration = proposed_family(old_officer, old_village, year=2024)
    assert registration.awaiting_unit == tree["district"]
    # The province cannot act while the file waits at the district.
    before = snapshot(registration)
    response = signed_in(client, province_staff).post(step_url("approve", registration))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert snapshot(registration) == before
    # The district reviewer forwards it (no decision fields at that level) …
    response = signed_in(client, district_reviewer).get(page_url(registration))
    assert not response.context["final_level"]
    assert 'name="decision_number"' not in response.text
    response = client.post(step_url("approve", registration), follow=True)
    assert fresh(registration).awaiting_unit == tree["province"]
    # … and the province recognises it.
    signed_in(client, province_staff).post(step_url("approve", registration))
    assert fresh(registration).status == Status.RECOGNIZED


# --- return, reject, withdraw ---------------------------------------------------------------


def test_a_return_needs_a_reason(client, proposed, province_staff):
    before = snapshot(proposed)
    response = signed_in(client, province_staff).post(step_url("return", proposed), {"reason": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert snapshot(proposed) == before


def test_a_return_with_notes_per_criterion_shows_the_officer_what_to_fix(
    client, proposed, province_staff, officer
):
    criterion = proposed.criteria_set.criteria.get(number=3)
    data = {"reason": "Thiếu biên bản", f"note_{criterion.pk}": "Chưa có ảnh góc học tập"}
    signed_in(client, province_staff).post(step_url("return", proposed), data)
    registration = fresh(proposed)
    assert registration.status == Status.SCORED and registration.is_returned
    response = signed_in(client, officer).get(page_url(registration))
    assert response.context["return_event"].reason == "Thiếu biên bản"
    assert "Chưa có ảnh góc học tập" in response.text
    assert "score" in response.context["actions"]


def test_a_return_note_for_a_criterion_of_another_set_is_refused(client, proposed, province_staff):
    from models_learning.models import Criterion

    foreign = Criterion.objects.exclude(criteria_set=proposed.criteria_set_id).first()
    before = snapshot(proposed)
    data = {"reason": "Thiếu", f"note_{foreign.pk}": "x"}
    response = signed_in(client, province_staff).post(step_url("return", proposed), data)
    assert response.status_code == 200
    assert snapshot(proposed) == before


def test_reject_needs_a_reason_and_then_decides(client, proposed, province_staff):
    signed_in(client, province_staff)
    assert client.post(step_url("reject", proposed), {}).status_code == 200
    assert fresh(proposed).status == Status.PROPOSED
    response = client.post(step_url("reject", proposed), {"reason": "Không đủ minh chứng"})
    assert response.status_code == 302
    assert fresh(proposed).status == Status.NOT_RECOGNIZED


def test_the_officer_withdraws_a_registration(client, criteria_sets, officer, village):
    registration = register_family(officer, village)
    response = signed_in(client, officer).post(
        step_url("withdraw", registration), {"reason": "Chuyển nơi ở"}
    )
    assert response.status_code == 302
    assert fresh(registration).status == Status.WITHDRAWN


def test_withdrawing_a_recognised_registration_is_refused(
    client, criteria_sets, officer, province_staff, village
):
    registration = family_in(
        Status.RECOGNIZED, officer=officer, approver=province_staff, village=village
    )
    before = snapshot(registration)
    response = signed_in(client, officer).post(step_url("withdraw", registration))
    assert response.status_code == 200
    assert snapshot(registration) == before


# --- recognitions ------------------------------------------------------------------------


@pytest.fixture
def recognised(criteria_sets, officer, province_staff, village):
    return family_in(Status.RECOGNIZED, officer=officer, approver=province_staff, village=village)


def decision_url(registration):
    return reverse("models_learning:recognition-decision", args=[registration.recognition.pk])


def revoke_url(registration):
    return reverse("models_learning:recognition-revoke", args=[registration.recognition.pk])


def test_the_decision_is_corrected_then_issued(client, recognised, province_staff):
    signed_in(client, province_staff)
    data = {"decision_number": "21/QĐ-HKH", "decision_date": TODAY.isoformat()}
    assert client.post(decision_url(recognised), data).status_code == 302
    assert Recognition.objects.get().decision_number == "21/QĐ-HKH"
    assert client.post(decision_url(recognised), {"issue": "1"}).status_code == 302
    assert Recognition.objects.get().issued_at is not None
    response = client.post(decision_url(recognised), {**data, "decision_number": "22/QĐ"})
    assert response.status_code == 200
    assert Recognition.objects.get().decision_number == "21/QĐ-HKH"


def test_an_empty_decision_number_is_refused(client, recognised, province_staff):
    response = signed_in(client, province_staff).post(
        decision_url(recognised), {"decision_number": "", "decision_date": TODAY.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["decision_number"]


def test_the_officer_cannot_edit_the_decision(client, recognised, officer):
    before = Recognition.objects.values().get()
    response = signed_in(client, officer).post(
        decision_url(recognised), {"decision_number": "9/X", "decision_date": TODAY.isoformat()}
    )
    assert response.status_code == 200
    assert Recognition.objects.values().get() == before


def test_the_officer_cannot_issue_the_decision_and_the_page_says_why(client, recognised, officer):
    response = signed_in(client, officer).post(decision_url(recognised), {"issue": "1"})
    assert response.status_code == 200
    assert 'data-testid="problem"' in response.text
    assert response.context["problem"] in response.text
    assert Recognition.objects.get().issued_at is None


def test_revoking_needs_a_reason_and_is_shown_on_the_page(client, recognised, province_staff):
    signed_in(client, province_staff)
    assert client.post(revoke_url(recognised), {"reason": ""}).status_code == 200
    assert fresh(recognised).status == Status.RECOGNIZED
    response = client.post(revoke_url(recognised), {"reason": "Kê khai sai"}, follow=True)
    assert fresh(recognised).status == Status.REVOKED
    assert "Kê khai sai" in response.text
    assert response.context["recognition"].is_revoked


def test_another_communes_recognition_is_a_404(client, recognised, sibling_officer):
    signed_in(client, sibling_officer)
    assert client.get(decision_url(recognised)).status_code == 404
    assert client.post(revoke_url(recognised), {"reason": "x"}).status_code == 404
    assert fresh(recognised).status == Status.RECOGNIZED


def test_the_timeline_lists_every_step_with_who_and_why(
    client, criteria_sets, officer, province_staff, village
):
    registration = proposed_family(officer, village)
    services.return_registration(registration, by=province_staff, reason="Bổ sung ảnh")
    services.propose_registration(registration, by=officer)
    response = signed_in(client, officer).get(page_url(registration))
    actions = [e.action for e in response.context["events"]]
    assert actions == ["register", "score", "propose", "return", "propose"]
    assert "Bổ sung ảnh" in response.text
    assert Registration.objects.count() == 1


def test_the_page_of_a_clan_a_community_and_an_organisation_shows_its_subject(
    client, criteria_sets, officer, village, tree
):
    commune = tree["commune"]
    subjects = [
        services.create_clan(
            by=officer, commune=commune, surname="Lò", representative="Lò Văn Hặc"
        ),
        village,
        services.create_organisation(
            by=officer, commune=commune, name="Trường Mầm non", kind="school"
        ),
    ]
    signed_in(client, officer)
    for subject, text in zip(
        subjects, ("Lò Văn Hặc", "Bản Co Muông", "Trường Mầm non"), strict=True
    ):
        registration = services.register_subject(by=officer, year=2026, subject=subject)
        response = client.get(page_url(registration))
        assert response.status_code == 200
        assert text in response.text


def test_the_history_uses_the_shared_timeline_and_keeps_an_actor_who_left(
    client, proposed, province_staff, officer
):
    services.return_registration(proposed, by=province_staff, reason="Bổ sung ảnh")
    # History keeps its author: the account cannot be deleted, only switched off.
    with pytest.raises(ProtectedError):
        province_staff.delete()
    province_staff.is_active = False
    province_staff.save(update_fields=["is_active"])
    response = signed_in(client, officer).get(page_url(proposed))
    assert response.status_code == 200
    returned = response.context["timeline"][-1]
    assert (returned.action, returned.reason, returned.tone) == ("return", "Bổ sung ảnh", "warning")
    assert returned.actor
    assert 'data-action="return"' in response.text
