"""Staff pages: each form refuses bad input next to its field and changes nothing; lists are
filtered and scoped and keep a fixed number of queries however many centres there are."""

import datetime

import pytest
from django.urls import reverse

from centers import services
from centers.models import (
    FIGURE_FIELDS,
    CenterChange,
    CenterRating,
    CenterYearReport,
    LearningCenter,
    RatingScheme,
    RatingStatus,
)
from tests.factories import make_unit
from units.models import Level

from .builders import REPORT_FIGURES, published_rating, this_year

S = RatingStatus


def signed_in(client, user):
    client.force_login(user)
    return client


def report_data(**overrides):
    data = dict.fromkeys(FIGURE_FIELDS, 0) | REPORT_FIGURES | {"year": this_year() - 1}
    return {k: v for k, v in (data | overrides).items() if v is not None}


def score_data(scores, **extra):
    return {f"c{n}": str(points) for n, points in scores.items()} | extra


# ------------------------------------------------------------------ the list


def test_officer_lists_the_centres_of_their_commune_only(client, officer, center, sibling_center):
    response = signed_in(client, officer).get(reverse("centers:center-list"))
    assert [c.pk for c in response.context["page_obj"]] == [center.pk]


def test_province_staff_filter_the_list_by_unit_band_and_status(
    client, province_staff, center, sibling_center, tree
):
    published_rating(center, 2024, 90)
    published_rating(sibling_center, 2024, 72)
    client = signed_in(client, province_staff)
    url = reverse("centers:center-list")

    def listed(**params):
        return [c.pk for c in client.get(url, params).context["page_obj"]]

    assert set(listed(year=2024)) == {center.pk, sibling_center.pk}
    assert listed(year=2024, band="tot") == [center.pk]
    assert listed(year=2024, band="kha") == [sibling_center.pk]
    assert listed(year=2024, unit=tree["sibling"].pk) == [sibling_center.pk]
    assert listed(year=2023, status="none") != []
    assert listed(year=2024, status="none") == []
    assert listed(year=2024, status=S.PUBLISHED, unit=tree["commune"].pk) == [center.pk]


def test_bad_filters_are_ignored_not_an_error(client, province_staff, center):
    response = signed_in(client, province_staff).get(
        reverse("centers:center-list"), {"year": "abc", "unit": "x", "band": "?", "page": "9"}
    )
    assert response.status_code == 200
    assert response.context["year"] == this_year()


def test_a_commune_with_several_legacy_centres_is_flagged(client, officer, center, legacy_center):
    response = signed_in(client, officer).get(reverse("centers:center-list"))
    assert {c.legacy_count for c in response.context["page_obj"]} == {2}
    detail = client.get(reverse("centers:center-detail", args=[center.pk]))
    assert detail.context["siblings"] == [legacy_center]
    assert not detail.context["can_merge"]  # the officer sees it; province staff merge


@pytest.fixture
def many_centres(tree, scheme, officer):
    """40 centres in the officer's commune and 40 in the sibling one, rated and reported."""
    for commune in (tree["commune"], tree["sibling"]):
        for n in range(40):
            center = LearningCenter.objects.create(
                name=f"TTHTCĐ {commune.name} {n:02d}", commune=commune
            )
            published_rating(center, this_year(), 60 + n % 40)
            CenterYearReport.objects.create(
                center=center, year=this_year(), commune=commune, law_classes=1, law_participants=20
            )


@pytest.mark.parametrize("persona", ["officer", "province_staff"])
def test_the_staff_list_keeps_its_query_count_with_many_centres(
    persona, request, client, many_centres, django_assert_max_num_queries
):
    client = signed_in(client, request.getfixturevalue(persona))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("centers:center-list"))
    assert len(response.context["page_obj"]) == 30
    with django_assert_max_num_queries(10):
        client.get(reverse("centers:center-list"), {"page": 2, "band": "tot"})


def test_the_yearly_totals_page_sums_the_reports_in_scope(client, officer, many_centres):
    response = signed_in(client, officer).get(reverse("centers:report-totals"))
    (row,) = response.context["rows"]
    assert (row["centers"], row["participants"], row["classes"]) == (40, 800, 40)


# ------------------------------------------------------------------ registry


def test_officer_registers_a_centre_through_the_form(client, officer, tree, scheme):
    response = signed_in(client, officer).post(
        reverse("centers:center-create"),
        {
            "commune": tree["commune"].pk,
            "name": "TTHTCĐ bản Co Muông",
            "premises": "own",
            "full_time_staff": 1,
            "seconded_teachers": 2,
            "volunteers": 3,
        },
    )
    center = LearningCenter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("centers:center-detail", args=[center.pk])


def test_the_registration_form_offers_only_the_officers_commune(client, officer, tree, scheme):
    response = signed_in(client, officer).post(
        reverse("centers:center-create"), {"commune": tree["sibling"].pk, "name": "X"}
    )
    assert "commune" in response.context["form"].errors
    assert not LearningCenter.objects.exists()


@pytest.mark.parametrize("persona", ["officer", "sibling_officer", "province_staff", "stranger"])
def test_the_new_centre_communes_are_those_the_workflow_lets_the_user_register_in(
    request, tree, scheme, persona
):
    from centers import selectors, workflow
    from units.models import Role, Unit

    user = request.getfixturevalue(persona)
    if persona == "officer":  # a viewer of the province too: reading is not registering
        from tests.factories import make_member

        make_member(tree["province"], Role.VIEWER, user=user)
    everywhere = Unit.objects.filter(level=Level.COMMUNE).order_by("name", "pk")
    allowed = [u for u in everywhere if workflow.can_create_center(user, u)]
    assert list(selectors.communes_for_new_center(user)) == allowed


# ------------------------------------------------------------------ yearly report


def test_officer_files_the_yearly_report(client, officer, center):
    response = signed_in(client, officer).post(
        reverse("centers:report-create", args=[center.pk]), report_data()
    )
    assert response.status_code == 302
    report = CenterYearReport.objects.get()
    assert report.total_participants == 1850


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"law_classes": -2}, "law_classes"),
        ({"health_participants": "nhiều"}, "health_participants"),
        ({"culture_classes": 3, "culture_participants": 0}, "culture_participants"),
        ({"learners_women": 999_999}, "learners_women"),
        ({"year": this_year() + 1}, "year"),
        ({"year": "hai nghìn"}, "year"),
    ],
)
def test_a_bad_report_is_shown_again_with_the_message_next_to_the_field(
    client, officer, center, overrides, field
):
    response = signed_in(client, officer).post(
        reverse("centers:report-create", args=[center.pk]), report_data(**overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "is-invalid" in response.content.decode()
    assert not CenterYearReport.objects.exists()


def test_filing_a_second_report_for_a_year_says_so_and_changes_nothing(client, officer, report):
    response = signed_in(client, officer).post(
        reverse("centers:report-create", args=[report.center.pk]),
        report_data(year=report.year, law_participants=1),
    )
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert CenterYearReport.objects.get().law_participants == 400


def test_officer_corrects_a_report_with_numbers_written_the_vietnamese_way(client, officer, report):
    data = report_data(law_participants="1.200", funds_state_budget="20.000.000")
    data.pop("year")
    response = signed_in(client, officer).post(
        reverse("centers:report-edit", args=[report.pk]), data
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.law_participants, report.funds_state_budget) == (1200, 20_000_000)


# ------------------------------------------------------------------ mergers, carry-over, schemes


def test_province_staff_merge_legacy_centres_through_the_form(
    client, province_staff, center, legacy_center
):
    response = signed_in(client, province_staff).post(
        reverse("centers:center-merge", args=[center.pk]),
        {"predecessors": [legacy_center.pk], "date": "2026-03-01", "legal_basis": "QĐ 5"},
    )
    assert response.status_code == 302
    assert CenterChange.objects.get().predecessor == legacy_center


def test_the_merge_form_offers_only_centres_of_the_same_commune(
    client, province_staff, center, sibling_center
):
    response = signed_in(client, province_staff).post(
        reverse("centers:center-merge", args=[center.pk]),
        {"predecessors": [sibling_center.pk], "date": "2026-03-01"},
    )
    assert "predecessors" in response.context["form"].errors
    assert not CenterChange.objects.exists()


def test_province_staff_attach_centres_of_ended_communes(client, province_staff, tree, scheme):
    old = LearningCenter.objects.create(name="TTHTCĐ Nà Nhạn", commune=tree["old_commune"])
    listing = signed_in(client, province_staff).get(reverse("centers:center-list"))
    assert listing.context["can_carry_over"]
    client.post(reverse("centers:carry-over"))
    old.refresh_from_db()
    assert old.commune == tree["commune"]


def test_province_staff_create_a_scheme_through_the_formsets(client, province_staff, scheme):
    data = {
        "key": "tt-2030",
        "name": "Thang 2030",
        "year_from": 2030,
        "provisional": "on",
        "criteria-TOTAL_FORMS": 3,
        "criteria-INITIAL_FORMS": 0,
        "criteria-0-number": 1,
        "criteria-0-title": "Tổ chức",
        "criteria-0-max_points": "50",
        "criteria-1-number": 2,
        "criteria-1-title": "Hoạt động",
        "criteria-1-max_points": "50",
        "bands-TOTAL_FORMS": 2,
        "bands-INITIAL_FORMS": 0,
        "bands-0-code": "dat",
        "bands-0-name": "Đạt",
        "bands-0-min_total": "60",
        "bands-1-code": "chua-dat",
        "bands-1-name": "Chưa đạt",
        "bands-1-min_total": "0",
    }
    response = signed_in(client, province_staff).post(reverse("centers:scheme-create"), data)
    assert response.status_code == 302
    new = RatingScheme.objects.get(key="tt-2030")
    assert new.criteria.count() == 2
    assert new.bands.count() == 2


def test_a_scheme_without_a_band_at_zero_is_refused_on_the_form(client, province_staff, scheme):
    response = signed_in(client, province_staff).post(
        reverse("centers:scheme-edit", args=[scheme.pk]),
        {
            "name": scheme.name,
            "year_from": 2014,
            "criteria-TOTAL_FORMS": 1,
            "criteria-INITIAL_FORMS": 0,
            "criteria-0-number": 1,
            "criteria-0-title": "A",
            "criteria-0-max_points": "100",
            "bands-TOTAL_FORMS": 1,
            "bands-INITIAL_FORMS": 0,
            "bands-0-code": "tot",
            "bands-0-name": "Tốt",
            "bands-0-min_total": "85",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert scheme.criteria.count() == 4


def test_editing_a_used_scheme_says_a_new_version_was_made(
    client, province_staff, self_assessed, scheme
):
    page = signed_in(client, province_staff).get(reverse("centers:scheme-edit", args=[scheme.pk]))
    formsets = page.context["criteria"], page.context["bands"]
    data = {"name": scheme.name, "year_from": 2014, "provisional": "on"}
    for formset in formsets:
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.forms)
        data[f"{formset.prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for index, initial in enumerate(formset.initial):
            for key, value in initial.items():
                data[f"{formset.prefix}-{index}-{key}"] = str(value).replace(".", ",")
    data["bands-0-min_total"] = "90"
    response = client.post(reverse("centers:scheme-edit", args=[scheme.pk]), data, follow=True)
    assert response.status_code == 200
    new = RatingScheme.objects.get(version=2)
    assert new.bands.get(code="tot").min_total == 90
    assert CenterRating.objects.get().scheme == scheme


def test_no_page_breaks_on_a_commune_without_centres(client, province_staff, tree, scheme):
    make_unit("Xã Trống", Level.COMMUNE, tree["province"], valid_from=datetime.date(2025, 7, 1))
    response = signed_in(client, province_staff).get(reverse("centers:center-list"))
    assert response.status_code == 200
    assert services.scheme_for_year(this_year()) == scheme


def test_the_yearly_totals_show_a_year_by_unit_as_it_was_or_mapped_onto_today(
    client, province_staff, tree, scheme
):
    old = LearningCenter.objects.create(name="TTHTCĐ Nà Nhạn", commune=tree["old_commune"])
    today = LearningCenter.objects.create(name="TTHTCĐ Mường Phăng", commune=tree["commune"])
    for center in (old, today):
        CenterYearReport.objects.create(
            center=center, year=2024, commune=center.commune, law_classes=2, law_participants=50
        )
    client = signed_in(client, province_staff)
    url = reverse("centers:report-totals")
    as_was = client.get(url, {"year": 2024}).context["page_obj"]
    assert {(r["unit"]["name"], r["participants"]) for r in as_was} == {
        ("Huyện Điện Biên", 50),
        ("Xã Mường Phăng", 50),
    }
    mapped = client.get(url, {"year": 2024, "view": "today"}).context["page_obj"]
    assert [(r["unit"]["name"], r["centers"], r["participants"]) for r in mapped] == [
        ("Xã Mường Phăng", 2, 100)
    ]
    assert client.get(url, {"year": "x"}).status_code == 200
    for page in ("x", "-1", "99999999999999999999", "2"):  # a bad page is the first or last
        response = client.get(url, {"year": 2024, "page": page})
        assert response.status_code == 200
        assert "Tổng" in response.text or "Total" in response.text


def test_the_officer_sees_why_the_rating_was_returned(client, officer, province_staff, submitted):
    services.return_rating(submitted, by=province_staff, reason="Thiếu biên bản họp.")
    response = signed_in(client, officer).get(reverse("centers:rating-detail", args=[submitted.pk]))
    assert response.context["returned"].reason == "Thiếu biên bản họp."
    assert response.context["actions"]["self_assess"]
    assert "Thiếu biên bản họp." in response.content.decode()


def test_the_activity_by_unit_is_in_the_readers_name_order_a_page_at_a_time(
    client, province_staff, tree
):
    year = this_year() - 1
    names = ["Xã Ea Sol", "Xã Đắk Mil", "Xã Dray Sáp", "Xã An Bình", "Xã Đông Hà"]
    names += [f"Xã Z{n:02}" for n in range(25)]
    for name in names:
        commune = make_unit(name, Level.COMMUNE, tree["province"])
        center = LearningCenter.objects.create(name=f"TTHTCĐ {name}", commune=commune)
        CenterYearReport.objects.create(
            center=center, year=year, commune=commune, law_classes=1, law_participants=3
        )
    url = reverse("centers:report-totals")
    response = signed_in(client, province_staff).get(url, {"year": year})
    rows = list(response.context["page_obj"])
    # Đ sorts with D, the diacritics after the letter; 25 a page, the totals of all.
    assert [r["unit"]["name"] for r in rows[:5]] == [
        "Xã An Bình",
        "Xã Đắk Mil",
        "Xã Đông Hà",
        "Xã Dray Sáp",
        "Xã Ea Sol",
    ]
    assert len(rows) == 25 and rows[0] == {
        "unit": {"pk": rows[0]["unit"]["pk"], "name": "Xã An Bình"},
        "centers": 1,
        "classes": 1,
        "participants": 3,
    }
    assert response.context["page_obj"].paginator.count == 30
    second = client.get(url, {"year": year, "page": 2}).context["page_obj"]
    assert [r["unit"]["name"] for r in second] == [f"Xã Z{n:02}" for n in range(20, 25)]
