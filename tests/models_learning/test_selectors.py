"""Scoped reads: what each persona sees, diacritic-free search, the inbox, query counts."""

import pytest
from django.contrib.auth.models import AnonymousUser

from models_learning.models import CriteriaSet
from models_learning.selectors import (
    inbox_for,
    registration_page_queryset,
    registrations_visible_to,
    score_sheet,
    search_registrations,
)
from models_learning.workflow import Status, allowed_actions

from .factories import (
    bulk_registrations,
    in_status,
    proposed_family,
    register_family,
    score,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def files(
    criteria_sets, officer, village, sibling_officer, sibling_village, old_officer, old_village
):
    return {
        "mine": register_family(officer, village, head_name="Nguyễn Văn An"),
        "old": register_family(old_officer, old_village, year=2024, head_name="Đinh Văn Đức"),
        "sibling": register_family(sibling_officer, sibling_village, head_name="Lò Thị Xuân"),
    }


def _names(queryset):
    return sorted(r.subject_name for r in queryset)


def test_each_persona_sees_only_its_units_and_their_history(
    files, officer, sibling_officer, province_staff, stranger
):
    assert _names(registrations_visible_to(officer)) == ["Nguyễn Văn An", "Đinh Văn Đức"]
    assert _names(registrations_visible_to(sibling_officer)) == ["Lò Thị Xuân"]
    assert len(registrations_visible_to(province_staff)) == 3
    assert not registrations_visible_to(stranger).exists()
    assert not registrations_visible_to(AnonymousUser()).exists()


def test_a_sibling_sees_nothing_of_muong_phang_even_through_the_page_queryset(
    files, sibling_officer
):
    assert not registration_page_queryset(sibling_officer).filter(pk=files["mine"].pk).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van an", ["Nguyễn Văn An"]),
        ("NGUYỄN văn AN", ["Nguyễn Văn An"]),
        ("van an", ["Nguyễn Văn An"]),
        ("đức", ["Đinh Văn Đức"]),
        ("duc", ["Đinh Văn Đức"]),
        ("dinh", ["Đinh Văn Đức"]),
        ("co muong", ["Nguyễn Văn An"]),
        ("van", ["Nguyễn Văn An", "Đinh Văn Đức"]),
        ("xuan", []),
        ("không có ai", []),
    ],
)
def test_search_ignores_case_and_diacritics(files, officer, query, expected):
    found = search_registrations(registrations_visible_to(officer), q=query)
    assert _names(found) == expected


def test_filters_narrow_the_list(files, officer, tree):
    visible = registrations_visible_to(officer)
    assert _names(search_registrations(visible, year=2024)) == ["Đinh Văn Đức"]
    assert _names(search_registrations(visible, unit=tree["commune"])) == ["Nguyễn Văn An"]
    assert _names(search_registrations(visible, kind="clan")) == []
    assert len(search_registrations(visible, status=[Status.REGISTERED])) == 2
    ordered = search_registrations(visible, ordering="name")
    assert [r.subject_name for r in ordered] == ["Nguyễn Văn An", "Đinh Văn Đức"]
    fallback = search_registrations(visible, ordering="; DROP TABLE")
    assert [r.year for r in fallback] == [2026, 2024]


def test_the_inbox_shows_what_waits_for_each_persona(
    criteria_sets,
    tree,
    officer,
    village,
    province_staff,
    sibling_officer,
    old_officer,
    old_village,
    district_reviewer,
):
    register_family(officer, village)
    score(register_family(officer, village), officer)
    proposed = proposed_family(officer, village)
    returned = in_status(Status.PROPOSED, officer=officer, approver=province_staff, village=village)
    from models_learning import services

    services.return_registration(returned, by=province_staff, reason="Thiếu biên bản")
    historic = proposed_family(old_officer, old_village, year=2024)

    mine = inbox_for(officer)
    assert (mine.to_score.count(), mine.to_propose.count(), mine.to_fix.count()) == (1, 1, 1)
    assert not mine.to_approve.exists()
    assert mine.counts == [
        {
            "unit_id": tree["commune"].pk,
            "unit_name": "Xã Mường Phăng",
            "to_score": 1,
            "to_propose": 1,
            "to_fix": 1,
            "to_approve": 0,
            "total": 3,
        }
    ]

    province = inbox_for(province_staff)
    assert list(province.to_approve) == [proposed]
    assert province.total == 1
    assert [row["unit_name"] for row in province.counts] == ["Xã Mường Phăng"]

    district = inbox_for(district_reviewer)
    assert list(district.to_approve) == [historic]
    assert district.counts[0]["unit_name"] == "Xã Nà Nhạn"

    assert inbox_for(sibling_officer).total == 0
    assert inbox_for(AnonymousUser()).total == 0


def test_score_sheet_lists_every_criterion_with_its_points(criteria_sets, officer, village):
    registration = register_family(officer, village)
    first = registration.criteria_set.criteria.get(number=1)
    from models_learning import services

    services.save_scores(registration, by=officer, points={first: 20}, notes={first: "Tốt"})
    rows = score_sheet(registration_page_queryset(officer).get(pk=registration.pk))
    assert [row["criterion"].number for row in rows] == [1, 2, 3, 4]
    assert (rows[0]["points"], rows[0]["note"]) == (20, "Tốt")
    assert rows[1]["points"] is None


def test_the_list_runs_a_constant_number_of_queries(
    criteria_sets, tree, officer, province_staff, village, django_assert_max_num_queries
):
    criteria_set = CriteriaSet.objects.get(code="family-2021")
    bulk_registrations(300, unit=tree["commune"], village=village, criteria_set=criteria_set)
    bulk_registrations(
        200,
        unit=tree["commune"],
        village=village,
        criteria_set=criteria_set,
        year=2025,
        status=Status.PROPOSED,
        awaiting_unit=tree["province"],
    )
    for user, year, action in ((officer, 2026, "score"), (province_staff, 2025, "approve")):
        visible = registrations_visible_to(user)
        with django_assert_max_num_queries(4):
            rows = list(search_registrations(visible, q="quang van", year=year)[:100])
            actions = [allowed_actions(user, row) for row in rows]
        assert len(rows) == 100
        assert all(action in allowed for allowed in actions)


def test_the_inbox_runs_a_constant_number_of_queries(
    criteria_sets, tree, officer, province_staff, village, django_assert_max_num_queries
):
    criteria_set = CriteriaSet.objects.get(code="family-2021")
    bulk_registrations(250, unit=tree["commune"], village=village, criteria_set=criteria_set)
    bulk_registrations(
        250,
        unit=tree["commune"],
        village=village,
        criteria_set=criteria_set,
        year=2025,
        status=Status.PROPOSED,
        awaiting_unit=tree["province"],
    )
    for user, expected in ((officer, 250), (province_staff, 250)):
        with django_assert_max_num_queries(6):
            inbox = inbox_for(user)
            rows = list(inbox.to_score[:50]) + list(inbox.to_approve[:50])
            [allowed_actions(user, row) for row in rows]
        assert inbox.total == expected


def test_the_inbox_lists_the_files_waiting_longest_first(criteria_sets, officer, village):
    from datetime import timedelta

    from django.utils import timezone

    from models_learning.models import Registration
    from models_learning.selectors import inbox_for

    files = [register_family(officer, village, head_name=f"Lò Văn {n}") for n in "ABC"]
    now = timezone.now()
    for age, registration in zip((1, 3, 2), files, strict=True):  # days waiting
        Registration.objects.filter(pk=registration.pk).update(updated_at=now - timedelta(days=age))
    assert [r.subject_name for r in inbox_for(officer).to_score] == [
        "Lò Văn B",
        "Lò Văn C",
        "Lò Văn A",
    ]
