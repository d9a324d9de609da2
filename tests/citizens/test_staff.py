"""The staff of organisations: the list a commune officer keeps, their results (one per
person and year, exactly one person per result), and the organisation's page."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from citizens import staff as staff_services
from citizens.models import CitizenResult, StaffMember
from lib.errors import DomainError
from tests.citizens.builders import ALL_MET, THREE_MET, adults_of, organisation_of, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(tree, citizen_criteria):
    return organisation_of(tree["commune"], "Trường Tiểu học Mường Phăng", kind="school")


def test_the_officer_adds_a_staff_member_and_it_is_audited(officer, school):
    from units.models import AuditEntry

    person = staff_services.add_staff_member(
        school, by=officer, name="  Lò Thị Hoa ", birth_year="1988", position="Giáo viên",
        first_year=2023,
    )  # fmt: skip
    assert (person.name, person.birth_year, person.first_year, person.last_year) == (
        "Lò Thị Hoa",
        1988,
        2023,
        None,
    )
    assert AuditEntry.objects.filter(action="citizens.add_staff").count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"birth_year": "19x8"}, "birth_year"),
        ({"birth_year": "1850"}, "birth_year"),
        ({"first_year": "2099"}, "first_year"),
        ({"first_year": ""}, "first_year"),
        ({"first_year": "2024", "last_year": "2022"}, "last_year"),
        ({"position": "x" * 121}, "position"),
    ],
)
def test_bad_staff_details_are_refused_on_their_field(officer, school, fields, field):
    values = {"name": "Lò Thị Hoa", "first_year": "2022"} | fields
    with pytest.raises(DomainError) as raised:
        staff_services.update_staff_member(
            StaffMember.objects.create(organisation=school, name="A", first_year=2022),
            by=officer,
            **values,
        )
    assert raised.value.field == field


@pytest.mark.parametrize("persona", ["sibling_officer", "province_staff"])
def test_only_the_commune_s_officer_keeps_the_staff_list(request, school, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(DomainError):
        staff_services.add_staff_member(school, by=user, name="Lò Thị Hoa", first_year=2022)
    assert not StaffMember.objects.exists()


def test_a_result_per_staff_member_and_year_corrected_in_place(officer, school):
    (person,) = staff_of(school, 1)
    staff_services.record_staff_result(
        person, by=officer, year=2025, answers=THREE_MET, digital_skills=False
    )
    result = staff_services.record_staff_result(
        person, by=officer, year=2025, answers=ALL_MET, digital_skills=True
    )
    assert CitizenResult.objects.count() == 1
    assert (result.achieved, result.commune_id, result.village_id, result.member_id) == (
        True,
        school.commune_id,
        None,
        None,
    )


def test_a_year_off_the_staff_is_refused(officer, school):
    (person,) = staff_of(school, 1, first_year=2023, last_year=2024)
    for year in (2022, 2025):
        with pytest.raises(DomainError):
            staff_services.record_staff_result(
                person, by=officer, year=year, answers=ALL_MET, digital_skills=True
            )
    staff_services.record_staff_result(
        person, by=officer, year=2024, answers=ALL_MET, digital_skills=True
    )
    with pytest.raises(DomainError) as raised:  # they cannot have left before their result
        staff_services.update_staff_member(
            person, by=officer, name=person.name, first_year=2023, last_year=2023
        )
    assert raised.value.field == "last_year"


def test_a_result_holds_exactly_one_person_and_one_per_year(officer, school, household):
    (person,) = staff_of(school, 1)
    member = adults_of(household)[0]
    base = {
        "year": 2025,
        "commune": school.commune,
        "achieved": True,
        "digital_skills": True,
        "source": "officer",
        "assessed_on": "2025-05-01",
    }
    for people in ({}, {"member": member, "staff_member": person}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CitizenResult.objects.create(**base, **people)
    CitizenResult.objects.create(**base, staff_member=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenResult.objects.create(**base, staff_member=person)
    CitizenResult.objects.create(**base, member=member, village=household.village)
    assert CitizenResult.objects.count() == 2


def _assess_post(staff, year="2026"):
    data = {"year": year}
    for n, person in enumerate(staff):
        prefix = f"s{person.pk}"
        data[f"{prefix}-assess"] = "on"
        data |= {f"{prefix}-c{c}": "on" for c in range(1, 6 if n == 0 else 4)}
        if n == 0:
            data[f"{prefix}-digital"] = "on"
    return data


def test_the_officer_assesses_an_organisation_s_staff_on_one_page(client, officer, school):
    staff = staff_of(school, 3)
    staff_of(school, 1, first_year=2022, last_year=2024, prefix="Đã nghỉ")
    client.force_login(officer)
    url = reverse("citizens:organisation", args=[school.pk])
    page = client.get(url, {"year": 2026}).content.decode()
    assert page.count('data-testid="staff-member"') == 3  # not the one who left
    assert "Đã nghỉ 1" in page  # still on the list
    response = client.post(url, _assess_post(staff))
    assert response.status_code == 302
    results = CitizenResult.objects.order_by("staff_member__name_normalised")
    assert [(r.achieved, r.digital_skills) for r in results] == [
        (True, True),
        (False, False),
        (False, False),
    ]
    page = client.get(url, {"year": 2026}).content.decode()
    assert "33,3%" in page  # 1 of 3 against 80% in 2026


def test_the_organisation_page_runs_a_fixed_number_of_queries(
    client, officer, school, django_assert_num_queries
):
    staff_of(school, 2)
    client.force_login(officer)
    url = reverse("citizens:organisation", args=[school.pk])
    client.get(url, {"year": 2026})
    with django_assert_num_queries(10):
        client.get(url, {"year": 2026})
    staff_of(school, 25, prefix="Giáo viên")
    with django_assert_num_queries(10):
        client.get(url, {"year": 2026})


def test_the_officer_adds_and_edits_staff_through_the_forms(client, officer, school):
    client.force_login(officer)
    add = reverse("citizens:staff-add", args=[school.pk])
    assert client.get(add).status_code == 200
    response = client.post(
        add, {"name": "Quàng Văn Sơn", "birth_year": "1979", "first_year": "2021"}
    )
    assert response.status_code == 302
    person = StaffMember.objects.get()
    edit = reverse("citizens:staff-edit", args=[person.pk])
    data = {"name": "Quàng Văn Sơn", "position": "Hiệu trưởng", "first_year": "2021"}
    response = client.post(edit, data | {"last_year": "2025"})
    person.refresh_from_db()
    assert (response.status_code, person.position, person.last_year) == (302, "Hiệu trưởng", 2025)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Lò Văn A", "first_year": "20x2"}, "Nhập năm"),
        ({"name": "Lò Văn A", "first_year": "2022", "birth_year": "3000"}, "Năm sinh"),
        ({"name": "", "first_year": "2022"}, "bắt buộc"),
    ],
)
def test_bad_input_answers_the_form_with_a_vietnamese_message(
    client, officer, school, data, message
):
    client.force_login(officer)
    response = client.post(reverse("citizens:staff-add", args=[school.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StaffMember.objects.exists()


def test_a_bad_year_on_the_organisation_page_is_a_message(client, officer, school):
    client.force_login(officer)
    url = reverse("citizens:organisation", args=[school.pk])
    response = client.get(url, {"year": "20x5"})
    assert response.status_code == 200 and 'data-testid="problem"' in response.content.decode()
    response = client.post(url, {"year": "1999"})
    assert response.status_code == 200 and not CitizenResult.objects.exists()


def test_the_public_pages_never_show_a_staff_member(client, officer, school):
    (person,) = staff_of(school, 1, prefix="Tên Riêng Không Công Khai")
    staff_services.record_staff_result(
        person, by=officer, year=2025, answers=ALL_MET, digital_skills=True
    )
    for url in ("/", "/stats/?year=2025", "/stats/?year=2025&view=today"):
        page = client.get(url).content.decode()
        assert "Tên Riêng Không Công Khai" not in page
    page = client.get("/stats/", {"year": 2025}).content.decode()
    assert 'data-testid="stats-staff"' in page and "100,0% (chỉ tiêu 60%" in page
