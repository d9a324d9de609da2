import pytest
from django.core.cache import cache
from django.urls import reverse

from citizens import services
from citizens.models import CitizenResult, SelfAssessment
from tests.citizens.builders import ALL_MET, adults_of, household_of, organisation_of, staff_of

pytestmark = pytest.mark.django_db


def _assess_all(household, **extra):
    data = {"year": "2026"}
    for n, member in enumerate(adults_of(household)):
        prefix = f"m{member.pk}"
        data[f"{prefix}-assess"] = "on"
        data |= {f"{prefix}-c{c}": "on" for c in range(1, 6 if n == 0 else 4)}
        if n == 0:
            data[f"{prefix}-digital"] = "on"
    return data | extra


def test_the_officer_assesses_a_household_s_three_adults_on_one_page(client, officer, household):
    client.force_login(officer)
    url = reverse("citizens:household", args=[household.pk])
    page = client.get(url, {"year": 2026}).content.decode()
    assert page.count('data-testid="adult"') == 3  # the child is not listed
    response = client.post(url, _assess_all(household))
    assert response.status_code == 302
    results = CitizenResult.objects.order_by("member__position")
    assert [(r.achieved, r.digital_skills) for r in results] == [
        (True, True),
        (False, False),
        (False, False),
    ]


def test_a_bad_year_is_refused_with_a_message_and_saves_nothing(client, officer, household):
    client.force_login(officer)
    url = reverse("citizens:household", args=[household.pk])
    response = client.post(url, _assess_all(household, year="1999"))
    assert response.status_code == 200
    assert "2021" in response.content.decode()
    assert not CitizenResult.objects.exists()


def test_the_person_page_saves_one_result(client, officer, household):
    client.force_login(officer)
    head = adults_of(household)[0]
    url = reverse("citizens:person", args=[head.pk])
    data = {"year": "2026", "digital": "on"} | {f"c{n}": "on" for n in range(1, 6)}
    assert client.post(url, data).status_code == 302
    assert CitizenResult.objects.get().achieved


def test_the_household_page_runs_a_fixed_number_of_queries(
    client, officer, village, citizen_criteria, django_assert_num_queries
):
    client.force_login(officer)
    small = household_of(village, head="Lò Văn Một", adults=2)
    large = household_of(village, head="Lò Văn Mười", adults=12, children=4)
    client.get(reverse("citizens:household", args=[small.pk]))  # the session, the scope
    with django_assert_num_queries(10) as small_queries:
        client.get(reverse("citizens:household", args=[small.pk]), {"year": 2026})
    with django_assert_num_queries(len(small_queries.captured_queries)):
        client.get(reverse("citizens:household", args=[large.pk]), {"year": 2026})


def test_the_commune_page_and_the_list_run_a_fixed_number_of_queries(
    client, officer, village, citizen_criteria, tree, django_assert_num_queries
):
    client.force_login(officer)
    for n in range(3):
        household_of(village, head=f"Lò Văn {n}")
    commune = reverse("citizens:commune", args=[tree["commune"].pk])
    index = reverse("citizens:index")
    client.get(index)
    organisation = organisation_of(tree["commune"])
    staff_of(organisation, 2)
    with django_assert_num_queries(12):  # + its organisations and one GROUP BY of their staff
        client.get(commune, {"year": 2026})
    with django_assert_num_queries(9):
        client.get(index, {"year": 2026})
    for n in range(30):
        household_of(village, head=f"Quàng Văn {n}")
    for n in range(5):
        staff_of(organisation_of(tree["commune"], f"Trường {n}"), 4, prefix=f"Giáo viên {n}")
    with django_assert_num_queries(12):
        client.get(commune, {"year": 2026})
    with django_assert_num_queries(9):
        client.get(index, {"year": 2026})


def test_the_commune_page_shows_the_village_shares(client, officer, household, tree):
    head = adults_of(household)[0]
    services.record_result(head, by=officer, year=2026, answers=ALL_MET, digital_skills=True)
    client.force_login(officer)
    page = client.get(reverse("citizens:commune", args=[tree["commune"].pk]), {"year": 2026})
    text = page.content.decode()
    assert "33,3%" in text or "33.3%" in text  # 1 of 3 adults


@pytest.fixture
def link(village, officer, household):
    return services.open_village_link(village, by=officer, year=2026)


def test_a_citizen_sends_a_sheet_and_sees_only_received(client, link):
    url = reverse("citizen-self", args=[link.token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Lò Văn Đôi" not in page.content.decode()  # no one's name is shown
    data = {"name": "Lò Văn Đôi", "birth_year": "1970", "c1": "on", "c2": "on", "digital": "on"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'data-testid="received"' in response.content.decode()
    assert "Lò Văn Đôi" not in response.content.decode()
    sheet = SelfAssessment.objects.get()
    assert sheet.status == SelfAssessment.Status.RECEIVED
    assert sheet.answers == {"1": True, "2": True, "3": False, "4": False, "5": False}
    assert not CitizenResult.objects.exists()


def test_a_robot_filling_the_hidden_field_is_told_received_and_nothing_is_kept(client, link):
    url = reverse("citizen-self", args=[link.token])
    response = client.post(url, {"name": "Bot", "birth_year": "1970", "website": "x"})
    assert 'data-testid="received"' in response.content.decode()
    assert not SelfAssessment.objects.exists()


@pytest.mark.parametrize("birth_year", ["", "abc", "2015", "99999999999999999999"])
def test_a_bad_sheet_gets_a_message_and_nothing_is_kept(client, link, birth_year):
    url = reverse("citizen-self", args=[link.token])
    response = client.post(url, {"name": "Lò Văn Đôi", "birth_year": birth_year})
    assert response.status_code == 200
    assert 'data-testid="self-form"' in response.content.decode()
    assert not SelfAssessment.objects.exists()


def test_an_unknown_or_closed_link_is_a_404(client, link, officer):
    assert client.get(reverse("citizen-self", args=["nope"])).status_code == 404
    services.close_village_link(link, by=officer)
    assert client.get(reverse("citizen-self", args=[link.token])).status_code == 404


def test_sheets_are_rate_limited_per_address(client, link, settings):
    settings.CITIZENS_SELF_LIMIT = 3
    cache.clear()
    url = reverse("citizen-self", args=[link.token])
    for n in range(3):
        client.post(url, {"name": f"Người {n}", "birth_year": "1980"})
    response = client.post(url, {"name": "Người 4", "birth_year": "1980"})
    assert response.status_code == 429
    assert SelfAssessment.objects.count() == 3
    cache.clear()


def test_the_officer_confirms_a_sheet_onto_the_person(client, officer, link, household):
    sheet = services.receive_self_assessment(
        link, name="Lo Van Doi", birth_year=1970, head_name="", answers=ALL_MET, digital_skills=True
    )
    client.force_login(officer)
    url = reverse("citizens:sheet", args=[sheet.pk])
    head = adults_of(household)[0]
    assert f'value="{head.pk}"' in client.get(url).content.decode()
    assert client.post(url, {"member": head.pk, "confirm": "1"}).status_code == 302
    assert CitizenResult.objects.get().source == "self"
    assert client.post(url, {"member": "x"}).status_code == 200  # bad input: a message, no 500


def test_the_printable_link_page_has_a_qr_code(client, officer, link):
    client.force_login(officer)
    page = client.get(reverse("citizens:link", args=[link.pk])).content.decode()
    assert "<svg" in page and link.token in page


def test_the_admin_lists_results_read_only(client, household, officer):
    from tests.factories import UserFactory

    services.record_result(
        adults_of(household)[0], by=officer, year=2026, answers=ALL_MET, digital_skills=True
    )
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    for name in ("citizenresult", "villagelink", "selfassessment"):
        assert client.get(f"/admin/citizens/{name}/").status_code == 200
    assert client.get("/admin/citizens/citizenresult/add/").status_code == 403


def test_province_staff_posting_an_assessment_read_why_and_nothing_changes(
    client, province_staff, household
):
    client.force_login(province_staff)
    head = adults_of(household)[0]
    data = {"year": "2026", "digital": "on"} | {f"c{n}": "on" for n in range(1, 6)}
    response = client.post(reverse("citizens:person", args=[head.pk]), data)
    assert response.status_code == 200
    assert 'data-testid="problem"' in response.content.decode()
    assert not CitizenResult.objects.exists()
