"""The scoring form: one row per criterion, saved as a draft, checked on the server."""

from decimal import Decimal

import pytest
from django.urls import reverse

from models_learning import services
from models_learning.models import CriteriaSet
from models_learning.workflow import Status

from .factories import fresh, full_marks, register_family

pytestmark = pytest.mark.django_db


def score_url(registration):
    return reverse("models_learning:registration-score", args=[registration.pk])


@pytest.fixture
def registration(criteria_sets, officer, village):
    return register_family(officer, village)


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


def points(registration, **by_number):
    """POST data: full marks, except the criteria numbered in `by_number` (n1=…, n2=…)."""
    data = {}
    for criterion in registration.criteria_set.criteria.all():
        value = by_number.get(f"n{criterion.number}", criterion.max_points)
        data[f"criterion_{criterion.pk}"] = str(value)
    return data


def snapshot(registration):
    registration = fresh(registration)
    return (
        registration.status,
        list(registration.scores.values_list("criterion_id", "points", "note")),
        registration.events.count(),
    )


def test_the_form_has_one_row_per_criterion_with_its_guidance_and_items(signed_in, registration):
    response = signed_in.get(score_url(registration))
    assert response.status_code == 200
    criteria = list(registration.criteria_set.criteria.all())
    assert len(response.context["fields"]) == len(criteria)
    assert "Học tập của trẻ em" in response.text
    assert "Mỗi mục 10 điểm." in response.text
    assert 'step="1"' in response.text and 'max="30"' in response.text
    assert "js/score-total.js" in response.text
    assert "<script>" not in response.text  # no inline script (CSP)


def test_scores_are_saved_as_a_draft_and_the_total_is_computed_on_the_server(
    signed_in, registration
):
    data = points(registration, n3="15", n4="10")
    data[f"note_{registration.criteria_set.criteria.get(number=3).pk}"] = "Chưa có tủ sách"
    response = signed_in.post(score_url(registration), data, follow=True)
    assert response.redirect_chain[-1][0] == score_url(registration)
    registration = fresh(registration)
    assert registration.status == Status.SCORED
    assessment = response.context["assessment"]
    assert assessment.total == Decimal("85")
    assert assessment.passes
    assert "đạt điểm chuẩn" in response.text
    assert registration.scores.get(criterion__number=3).note == "Chưa có tủ sách"


def test_a_total_below_the_pass_mark_says_it_does_not_meet_it(signed_in, registration):
    response = signed_in.post(
        score_url(registration), points(registration, n4="0", n3="0"), follow=True
    )
    assessment = response.context["assessment"]
    assert assessment.total == Decimal("60")
    assert not assessment.passes
    assert response.context["can_propose"]  # proposing is refused by the service, with a reason


@pytest.mark.parametrize(
    ("value", "message"),
    [("31", "tối đa"), ("-1", "âm"), ("7.5", "số nguyên"), ("abc", "nhập số điểm")],
)
def test_bad_points_are_refused_next_to_the_field_and_nothing_is_saved(
    signed_in, registration, value, message
):
    before = snapshot(registration)
    response = signed_in.post(score_url(registration), points(registration, n1=value))
    assert response.status_code == 200
    criterion = registration.criteria_set.criteria.get(number=1)
    errors = response.context["form"].errors[f"criterion_{criterion.pk}"]
    assert errors
    assert message in " ".join(errors)
    assert snapshot(registration) == before


def test_a_criterion_of_another_set_in_a_forged_post_is_refused(signed_in, registration):
    other = CriteriaSet.objects.exclude(pk=registration.criteria_set_id).first()
    foreign = other.criteria.first()
    before = snapshot(registration)
    data = {**points(registration), f"criterion_{foreign.pk}": "5"}
    response = signed_in.post(score_url(registration), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert snapshot(registration) == before


def test_half_points_are_accepted_when_the_set_allows_them(
    signed_in, officer, province_staff, village, criteria_sets
):
    family_set = CriteriaSet.objects.get(code="family-2021")
    services.update_criteria_set(family_set, by=province_staff, half_points=True)
    registration = register_family(officer, village)
    response = signed_in.get(score_url(registration))
    assert 'step="0.5"' in response.text
    response = signed_in.post(score_url(registration), points(registration, n3="17.5"))
    assert response.status_code == 302
    assert fresh(registration).scores.get(criterion__number=3).points == Decimal("17.5")


def test_scoring_a_proposed_registration_is_refused_and_changes_nothing(
    signed_in, registration, officer
):
    services.save_scores(registration, by=officer, points=full_marks(registration))
    services.propose_registration(registration, by=officer)
    response = signed_in.get(score_url(registration))
    assert response.context["problem"]
    assert 'name="criterion_' not in response.text
    before = snapshot(registration)
    response = signed_in.post(score_url(registration), points(registration, n1="0"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert snapshot(registration) == before


def test_province_staff_cannot_score(client, province_staff, registration):
    client.force_login(province_staff)
    before = snapshot(registration)
    response = client.post(score_url(registration), points(registration))
    assert response.status_code == 200
    assert snapshot(registration) == before


def test_another_communes_officer_gets_a_404(client, sibling_officer, registration):
    client.force_login(sibling_officer)
    before = snapshot(registration)
    assert client.get(score_url(registration)).status_code == 404
    assert client.post(score_url(registration), points(registration)).status_code == 404
    assert snapshot(registration) == before


def test_after_a_return_the_form_shows_what_to_fix_per_criterion(
    signed_in, registration, officer, province_staff
):
    services.save_scores(registration, by=officer, points=full_marks(registration))
    services.propose_registration(registration, by=officer)
    criterion = registration.criteria_set.criteria.get(number=2)
    services.return_registration(
        registration,
        by=province_staff,
        reason="Thiếu biên bản bình xét",
        criterion_notes={criterion.pk: "Chưa có xác nhận học xóa mù chữ"},
    )
    response = signed_in.get(score_url(registration))
    assert "Thiếu biên bản bình xét" in response.text
    assert "Chưa có xác nhận học xóa mù chữ" in response.text
    assert response.context["fields"][1]["to_fix"] == "Chưa có xác nhận học xóa mù chữ"


def test_an_empty_post_does_not_score_the_file(signed_in, registration):
    """An empty POST moved a registered file to "scored" with no points."""
    before = snapshot(registration)
    response = signed_in.post(score_url(registration), {})
    assert response.status_code == 200
    assert "khi mọi tiêu chí đều có điểm" in response.text
    assert snapshot(registration) == before


def test_a_sheet_with_a_criterion_left_empty_is_saved_as_a_draft(signed_in, registration):
    data = points(registration, n4="")
    signed_in.post(score_url(registration), data)
    registration = fresh(registration)
    assert registration.status == Status.REGISTERED
    assert registration.scores.count() == 3
    response = signed_in.get(reverse("models_learning:registration-detail", args=[registration.pk]))
    assert "Đã lưu điểm, chưa đủ" in response.text
