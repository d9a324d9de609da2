import pytest
from django.db import IntegrityError

from citizens import services
from citizens.models import CitizenResult, SelfAssessment, Source
from models_learning import services as learning_services
from models_learning.models import CriteriaSet
from tests.citizens.builders import ALL_MET, FOUR_MET, THREE_MET, adults_of, household_of
from tests.helpers import refused

pytestmark = pytest.mark.django_db


def test_the_seeded_citizen_set_is_provisional_with_its_basis_and_the_gap(citizen_criteria):
    criteria_set = CriteriaSet.objects.get(code="citizen-2021")
    assert criteria_set.kind == "citizen"
    assert criteria_set.provisional
    assert (criteria_set.valid_from_year, criteria_set.valid_to_year) == (2021, 2030)
    assert "QĐ 677/QĐ-TTg" in criteria_set.legal_basis
    assert "chưa tìm được" in criteria_set.note
    assert criteria_set.criteria.count() == 5


def test_province_staff_edit_the_provisional_set_in_place_even_when_used(
    household, officer, province_staff
):
    head = adults_of(household)[0]
    services.record_result(head, by=officer, year=2026, answers=ALL_MET, digital_skills=True)
    criteria_set = CriteriaSet.objects.get(code="citizen-2021")
    edited = learning_services.update_criteria_set(criteria_set, by=province_staff, pass_mark=60)
    assert edited.pk == criteria_set.pk and edited.pass_mark == 60


def test_once_verified_and_used_an_edit_makes_a_new_version(household, officer, province_staff):
    criteria_set = CriteriaSet.objects.get(code="citizen-2021")
    learning_services.update_criteria_set(criteria_set, by=province_staff, provisional=False)
    head = adults_of(household)[0]
    result = services.record_result(
        head, by=officer, year=2026, answers=ALL_MET, digital_skills=True
    )
    edited = learning_services.update_criteria_set(criteria_set, by=province_staff, pass_mark=60)
    assert edited.pk != criteria_set.pk and edited.version == 2
    result.refresh_from_db()
    assert result.criteria_set_id == criteria_set.pk


def test_an_officer_records_a_result_scored_against_the_set(household, officer):
    head = adults_of(household)[0]
    result = services.record_result(
        head, by=officer, year=2026, answers=FOUR_MET, digital_skills=True
    )
    assert (result.achieved, result.total, result.source) == (True, 80, Source.OFFICER)
    assert result.commune_id == household.commune_id and result.assessed_by == officer
    again = services.record_result(
        head, by=officer, year=2026, answers=THREE_MET, digital_skills=False
    )
    assert again.pk == result.pk and (again.achieved, again.total) == (False, 60)
    assert CitizenResult.objects.count() == 1


def test_one_result_per_person_and_year_is_a_database_rule(household, officer):
    head = adults_of(household)[0]
    result = services.record_result(
        head, by=officer, year=2026, answers=ALL_MET, digital_skills=True
    )
    result.pk = None
    with pytest.raises(IntegrityError):
        result.save()


def test_a_sibling_commune_officer_and_a_stranger_cannot_record(
    household, sibling_officer, stranger
):
    head = adults_of(household)[0]
    for user in (sibling_officer, stranger):
        refused(
            lambda u=user: services.record_result(
                head, by=u, year=2026, answers=ALL_MET, digital_skills=True
            )
        )
    assert not CitizenResult.objects.exists()


@pytest.mark.parametrize(
    ("year", "answers", "digital", "field"),
    [
        (2020, ALL_MET, True, "year"),
        (2099, ALL_MET, True, "year"),
        ("20x6", ALL_MET, True, "year"),
        (2026, {"1": True}, True, "answers"),
        (2026, {**ALL_MET, "3": "yes"}, True, "answers"),
        (2026, ALL_MET, None, "digital_skills"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    household, officer, year, answers, digital, field
):
    head = adults_of(household)[0]
    refused(
        lambda: services.record_result(
            head, by=officer, year=year, answers=answers, digital_skills=digital
        ),
        field=field,
    )
    assert not CitizenResult.objects.exists()


def test_a_child_is_not_assessed(household, officer):
    child = household.members.get(birth_year=2014)
    refused(
        lambda: services.record_result(
            child, by=officer, year=2026, answers=ALL_MET, digital_skills=True
        ),
        contains=child.name,
    )


def test_a_household_is_assessed_all_or_nothing(household, officer):
    head, spouse, third = adults_of(household)
    rows = [
        {"member": head, "answers": ALL_MET, "digital_skills": True},
        {"member": spouse, "answers": {"1": True}, "digital_skills": True},
    ]
    refused(lambda: services.assess_household(household, by=officer, year=2026, rows=rows))
    assert not CitizenResult.objects.exists()
    rows[1]["answers"] = THREE_MET
    rows.append({"member": third, "skip": True})
    saved = services.assess_household(household, by=officer, year=2026, rows=rows)
    assert [r.achieved for r in saved] == [True, False]


def test_a_person_of_another_household_is_refused(household, officer, village):
    other = adults_of(household_of(village, head="Quàng Văn Khác"))[0]
    rows = [{"member": other, "answers": ALL_MET, "digital_skills": True}]
    refused(lambda: services.assess_household(household, by=officer, year=2026, rows=rows))


def test_a_self_assessment_lands_as_received_and_is_confirmed_by_the_officer(
    household, officer, village
):
    link = services.open_village_link(village, by=officer, year=2026)
    assert services.open_village_link(village, by=officer, year=2026) == link
    head = adults_of(household)[0]
    sheet = services.receive_self_assessment(
        link, name="lò văn đôi", birth_year=1970, head_name="", answers=ALL_MET, digital_skills=True
    )
    assert sheet.status == SelfAssessment.Status.RECEIVED
    assert not CitizenResult.objects.exists()
    # the same person again: not stored, not an error
    assert (
        services.receive_self_assessment(
            link,
            name="Lò Văn Đôi",
            birth_year=1970,
            head_name="",
            answers=ALL_MET,
            digital_skills=True,
        )
        is None
    )
    result = services.confirm_self_assessment(sheet, by=officer, member=head)
    assert (result.source, result.achieved, result.assessed_by) == (Source.SELF, True, officer)
    refused(lambda: services.confirm_self_assessment(sheet, by=officer, member=head))


def test_a_closed_link_takes_no_more_sheets(village, officer, citizen_criteria):
    link = services.open_village_link(village, by=officer, year=2026)
    services.close_village_link(link, by=officer)
    assert services.open_link_by_token(link.token) is None
    assert services.open_link_by_token("x" * 200) is None


@pytest.mark.parametrize(
    ("name", "birth_year", "field"),
    [("  ", 1970, "name"), ("Lò Văn A", "abc", "birth_year"), ("Lò Văn A", 2015, "birth_year")],
)
def test_a_bad_self_assessment_is_refused(
    village, officer, citizen_criteria, name, birth_year, field
):
    link = services.open_village_link(village, by=officer, year=2026)
    refused(
        lambda: services.receive_self_assessment(
            link,
            name=name,
            birth_year=birth_year,
            head_name="",
            answers=ALL_MET,
            digital_skills=False,
        ),
        field=field,
    )
    assert not SelfAssessment.objects.exists()


def test_a_sibling_officer_cannot_confirm(household, officer, sibling_officer, village):
    link = services.open_village_link(village, by=officer, year=2026)
    sheet = services.receive_self_assessment(
        link,
        name="Lò Văn Đôi",
        birth_year=1970,
        head_name="",
        answers=ALL_MET,
        digital_skills=True,
    )
    head = adults_of(household)[0]
    refused(lambda: services.confirm_self_assessment(sheet, by=sibling_officer, member=head))
    refused(lambda: services.set_aside_self_assessment(sheet, by=sibling_officer))
    services.set_aside_self_assessment(sheet, by=officer)
    sheet.refresh_from_db()
    assert sheet.status == SelfAssessment.Status.SET_ASIDE


def test_the_database_keeps_one_open_link_per_village_and_year(village, officer):
    from django.db import transaction

    from citizens.models import VillageLink

    link = services.open_village_link(village, by=officer, year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        VillageLink.objects.create(
            village=village, commune=link.commune, year=2026, token=VillageLink.new_token()
        )
    services.close_village_link(link, by=officer)
    assert services.open_village_link(village, by=officer, year=2026) != link
