"""The centre rating workflow's pages, its refused actions and its history."""

from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from centers import services
from centers.models import (
    FIGURE_FIELDS,
    CenterRating,
    CenterYearReport,
    LearningCenter,
    RatingStatus,
)

from .builders import GOOD_SCORES, REPORT_FIGURES, this_year

S = RatingStatus


def signed_in(client, user):
    client.force_login(user)
    return client


def report_data(**overrides):
    data = dict.fromkeys(FIGURE_FIELDS, 0) | REPORT_FIGURES | {"year": this_year() - 1}
    return {k: v for k, v in (data | overrides).items() if v is not None}


def score_data(scores, **extra):
    return {f"c{n}": str(points) for n, points in scores.items()} | extra


# ------------------------------------------------------------------ the rating workflow


def test_officer_self_assesses_through_the_form_with_a_decimal_comma(client, officer, center):
    response = signed_in(client, officer).post(
        reverse("centers:rating-self-assess", args=[center.pk]),
        score_data({**GOOD_SCORES, 1: "21,5"}, year=this_year()),
    )
    rating = CenterRating.objects.get()
    assert response["Location"] == reverse("centers:rating-detail", args=[rating.pk])
    assert rating.total == Decimal("87.5")


def test_a_score_above_the_maximum_is_refused_next_to_its_criterion(client, officer, center):
    response = signed_in(client, officer).post(
        reverse("centers:rating-self-assess", args=[center.pk]),
        score_data({**GOOD_SCORES, 3: 21}, year=this_year()),
    )
    assert response.status_code == 200
    assert "c3" in response.context["form"].errors
    assert not CenterRating.objects.exists()


def test_a_second_rating_for_a_submitted_year_is_refused_next_to_the_year(
    client, officer, submitted
):
    response = signed_in(client, officer).post(
        reverse("centers:rating-self-assess", args=[submitted.center.pk]),
        score_data(GOOD_SCORES, year=submitted.year),
    )
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert CenterRating.objects.get().status == S.SUBMITTED


def test_the_self_assessment_page_of_a_submitted_year_says_it_cannot_change(
    client, officer, submitted
):
    response = signed_in(client, officer).get(
        reverse("centers:rating-self-assess", args=[submitted.center.pk]),
        {"year": submitted.year},
    )
    assert response.status_code == 200
    assert str(submitted.year) in response.context["problem"]
    assert 'data-testid="problem"' in response.text
    assert 'name="c1"' not in response.text


def test_the_rating_page_shows_each_persona_its_own_buttons(
    client, officer, province_staff, submitted
):
    url = reverse("centers:rating-detail", args=[submitted.pk])
    actions = signed_in(client, officer).get(url).context["actions"]
    assert not any(actions.values())
    actions = signed_in(client, province_staff).get(url).context["actions"]
    assert (actions["rate"], actions["return"], actions["publish"]) == (True, True, False)


def test_officer_submits_by_post(client, officer, self_assessed):
    response = signed_in(client, officer).post(
        reverse("centers:rating-submit", args=[self_assessed.pk])
    )
    assert response.status_code == 302
    assert CenterRating.objects.get().status == S.SUBMITTED


def test_state_changes_only_on_post(client, officer, self_assessed):
    response = signed_in(client, officer).get(
        reverse("centers:rating-submit", args=[self_assessed.pk])
    )
    assert response.status_code == 405
    assert CenterRating.objects.get().status == S.SELF_ASSESSED


def test_a_changed_score_without_reason_is_refused_on_the_rate_form(
    client, province_staff, submitted
):
    response = signed_in(client, province_staff).post(
        reverse("centers:rating-rate", args=[submitted.pk]),
        score_data({**GOOD_SCORES, 1: 10}),
    )
    assert response.status_code == 200
    assert "reason1" in response.context["form"].errors
    assert CenterRating.objects.get().status == S.SUBMITTED


def test_province_staff_rate_with_a_reason_and_publish(client, province_staff, submitted):
    client = signed_in(client, province_staff)
    response = client.post(
        reverse("centers:rating-rate", args=[submitted.pk]),
        score_data({**GOOD_SCORES, 1: 10}, reason1="Chưa có quy chế.", note="Nội bộ"),
    )
    assert response.status_code == 302
    rating = CenterRating.objects.get()
    assert (rating.status, rating.total, rating.band.code) == (S.RATED, Decimal(76), "kha")
    client.post(reverse("centers:rating-publish", args=[rating.pk]))
    assert CenterRating.objects.get().status == S.PUBLISHED


def test_publishing_an_unrated_centre_shows_the_rating_again_with_the_reason_and_changes_nothing(
    client, province_staff, submitted
):
    response = signed_in(client, province_staff).post(
        reverse("centers:rating-publish", args=[submitted.pk])
    )
    assert response.status_code == 200
    assert "xếp loại" in response.context["problem"]
    assert response.context["problem"] in response.text
    assert CenterRating.objects.get().status == S.SUBMITTED


def test_a_return_without_reason_is_refused(client, province_staff, submitted):
    response = signed_in(client, province_staff).post(
        reverse("centers:rating-return", args=[submitted.pk]), {"reason": ""}
    )
    assert "reason" in response.context["form"].errors
    assert CenterRating.objects.get().status == S.SUBMITTED


def test_province_staff_return_with_a_reason(client, province_staff, submitted):
    signed_in(client, province_staff).post(
        reverse("centers:rating-return", args=[submitted.pk]), {"reason": "Thiếu biên bản."}
    )
    rating = CenterRating.objects.get()
    assert rating.status == S.RETURNED
    assert rating.events.last().reason == "Thiếu biên bản."


# ------------------------------------------------------------------ refused actions, history


def test_a_step_without_an_actor_shows_as_the_system_in_the_history(client, officer, center):
    """Seeded ratings, and steps taken by commands, have no actor (the page answered 500)."""
    rating = services.save_self_assessment(center, by=None, year=this_year(), scores=GOOD_SCORES)
    services.submit_rating(rating, by=None)
    response = signed_in(client, officer).get(reverse("centers:rating-detail", args=[rating.pk]))
    assert response.status_code == 200
    assert [e.actor for e in response.context["timeline"]] == ["", ""]
    assert response.text.count("hệ thống") >= 2


def test_an_actor_who_left_keeps_their_name_in_the_history(
    client, officer, province_staff, submitted
):
    services.return_rating(submitted, by=province_staff, reason="Thiếu biên bản họp.")
    # History keeps its author: the account cannot be deleted, only switched off.
    with pytest.raises(ProtectedError):
        province_staff.delete()
    province_staff.is_active = False
    province_staff.save(update_fields=["is_active"])
    response = signed_in(client, officer).get(reverse("centers:rating-detail", args=[submitted.pk]))
    assert response.status_code == 200
    history = response.context["timeline"]
    assert [e.action for e in history] == ["self_assess", "submit", "return"]
    assert history[-1].actor and history[-1].actor in {
        province_staff.get_full_name(),
        province_staff.username,
    }
    assert history[-1].reason == "Thiếu biên bản họp."
    assert 'data-testid="timeline"' in response.text


def test_the_history_says_which_scores_province_staff_changed_and_why(client, officer, rated):
    response = signed_in(client, officer).get(reverse("centers:rating-detail", args=[rated.pk]))
    rate = next(e for e in response.context["timeline"] if e.action == "rate")
    assert rate.facts == ("Tiêu chí 2: 27 → 25 (Thiếu sổ theo dõi lớp học pháp luật.)",)
    assert rate.facts[0] in response.text


def test_the_rating_page_shows_its_status_with_the_shared_badge(client, officer, submitted):
    response = signed_in(client, officer).get(reverse("centers:rating-detail", args=[submitted.pk]))
    assert 'class="badge status-badge status-submitted" data-status="submitted"' in response.text


def _rating_state(rating):
    rating = CenterRating.objects.get(pk=rating.pk)
    return (rating.status, rating.total, rating.events.count(), rating.evidence.count())


@pytest.mark.parametrize(
    ("persona", "fixture", "url_name", "data"),
    [
        ("officer", "submitted", "centers:rating-rate", score_data(GOOD_SCORES)),
        ("officer", "submitted", "centers:rating-return", {"reason": "Thiếu"}),
        ("officer", "rated", "centers:rating-publish", {}),
        ("province_staff", "self_assessed", "centers:rating-submit", {}),
        ("officer", "submitted", "centers:rating-submit", {}),
        ("province_staff", "published", "centers:rating-rate", score_data(GOOD_SCORES)),
        ("province_staff", "published", "centers:rating-return", {"reason": "Xem lại"}),
    ],
)
def test_a_refused_rating_step_answers_its_page_with_the_reason_and_changes_nothing(
    client, request, persona, fixture, url_name, data
):
    rating = request.getfixturevalue(fixture)
    before = _rating_state(rating)
    url = reverse(url_name, args=[rating.pk])
    client = signed_in(client, request.getfixturevalue(persona))
    if url_name not in ("centers:rating-submit", "centers:rating-publish"):
        shown = client.get(url)
        assert shown.status_code == 200
        assert shown.context["problem"] in shown.text
        field = next(iter(shown.context["form"].fields))
        assert f'name="{field}"' not in shown.text
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'data-testid="problem"' in response.text
    assert _rating_state(rating) == before


@pytest.mark.parametrize(
    ("persona", "url_name", "data", "unchanged"),
    [
        (
            "province_staff",
            "centers:rating-self-assess",
            score_data(GOOD_SCORES, year=this_year()),
            lambda: CenterRating.objects.count(),
        ),
        (
            "province_staff",
            "centers:report-create",
            report_data(),
            lambda: CenterYearReport.objects.count(),
        ),
        (
            "officer",
            "centers:center-merge",
            {"predecessors": [], "date": "2026-01-01"},
            lambda: LearningCenter.objects.filter(valid_to__isnull=True).count(),
        ),
    ],
)
def test_a_refused_centre_action_answers_its_page_with_the_reason_and_changes_nothing(
    client, request, center, legacy_center, persona, url_name, data, unchanged
):
    if url_name == "centers:center-merge":
        data = {**data, "predecessors": [legacy_center.pk]}
    before = unchanged()
    client = signed_in(client, request.getfixturevalue(persona))
    url = reverse(url_name, args=[center.pk])
    assert client.get(url).context["problem"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["problem"] in response.text
    assert unchanged() == before


def test_a_page_of_a_role_held_nowhere_is_a_403_saying_why(client, officer, scheme):
    response = signed_in(client, officer).get(reverse("centers:scheme-list"))
    assert response.status_code == 403
    assert "Chỉ cán bộ tỉnh" in response.text


def test_the_rate_form_writes_the_communes_points_as_the_rest_of_the_portal(
    client, province_staff, submitted
):
    html = (
        signed_in(client, province_staff)
        .get(reverse("centers:rating-rate", args=[submitted.pk]))
        .content.decode()
    )
    # 22 points are "22,00" in the field, as totals read "82,50" elsewhere; never "22.00".
    assert 'value="22,00"' in html
    assert 'value="22.00"' not in html
