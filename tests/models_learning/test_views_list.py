"""The registration list and the staff home's inbox: filters, search without diacritics,
sorting, paging, bulk approval, and a fixed number of queries with hundreds of rows."""

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse

from models_learning import pages
from models_learning.models import Registration
from models_learning.workflow import Status

from .factories import fresh, proposed_family, register_family
from .page_factories import many_families

pytestmark = pytest.mark.django_db

LIST = reverse("models_learning:registration-list")
HOME = reverse("portal-home")
BULK = reverse("models_learning:bulk-approve")


def names(response):
    return [r.subject_name for r in response.context["page_obj"].object_list]


@pytest.fixture
def families(criteria_sets, officer, village):
    return [
        register_family(officer, village, head_name="Nguyễn Văn Đức", year=2026),
        register_family(officer, village, head_name="Lò Thị Xuân", year=2025),
        register_family(officer, village, head_name="Quàng Văn Thắng", year=2026),
    ]


def test_the_search_ignores_case_and_diacritics(client, officer, families):
    client.force_login(officer)
    assert names(client.get(LIST, {"q": "nguyen van duc"})) == ["Nguyễn Văn Đức"]
    assert names(client.get(LIST, {"q": "XUAN"})) == ["Lò Thị Xuân"]


def test_filters_by_year_kind_and_status(client, officer, families):
    client.force_login(officer)
    assert sorted(names(client.get(LIST, {"year": 2026}))) == ["Nguyễn Văn Đức", "Quàng Văn Thắng"]
    assert names(client.get(LIST, {"kind": "clan"})) == []
    assert len(names(client.get(LIST, {"status": "registered"}))) == 3
    assert names(client.get(LIST, {"status": "recognized"})) == []


def test_sorting_follows_the_whitelist_and_a_bad_key_is_ignored(client, officer, families):
    client.force_login(officer)
    assert names(client.get(LIST, {"sort": "name"}))[0] == "Lò Thị Xuân"
    assert names(client.get(LIST, {"sort": "-name"}))[0] == "Quàng Văn Thắng"
    response = client.get(LIST, {"sort": "household__phone"})
    assert response.status_code == 200
    assert len(names(response)) == 3


def test_the_filters_stay_open_only_when_a_filter_or_another_order_is_chosen(
    client, officer, families
):
    client.force_login(officer)
    # The form always sends its sort field; a plain search leaves the panel closed.
    assert not client.get(LIST, {"q": "xuan", "sort": "-year"}).context["filtered"]
    assert not client.get(LIST, {"q": "xuan", "sort": ""}).context["filtered"]
    assert client.get(LIST, {"sort": "name"}).context["filtered"]
    assert client.get(LIST, {"q": "xuan", "year": "2026", "sort": "-year"}).context["filtered"]


def test_bad_filter_values_are_dropped_not_an_error(client, officer, families, tree):
    client.force_login(officer)
    response = client.get(LIST, {"year": "abc", "unit": tree["sibling"].pk, "page": "99"})
    assert response.status_code == 200
    assert len(names(response)) == 3
    assert response.context["form"].errors["unit"]


def test_each_row_links_to_its_page_and_the_list_offers_new_and_carry_over(
    client, officer, families
):
    client.force_login(officer)
    response = client.get(LIST)
    for registration in families:
        assert (
            reverse("models_learning:registration-detail", args=[registration.pk]) in response.text
        )
    assert reverse("models_learning:registration-create") in response.text
    assert reverse("models_learning:carry-over") in response.text


def test_the_sibling_commune_sees_none_of_these(client, sibling_officer, families):
    client.force_login(sibling_officer)
    assert names(client.get(LIST)) == []


def test_the_list_pages_and_keeps_its_query_count_with_hundreds_of_rows(
    client, criteria_sets, province_staff, village, tree, django_assert_max_num_queries
):
    many_families(320, village=village, awaiting=tree["province"])
    client.force_login(province_staff)
    with django_assert_max_num_queries(12):
        response = client.get(LIST, {"q": "van", "sort": "-name", "page": 2})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 50
    assert "page=3" in response.text and "sort=-name" in response.text


# --- the inbox ------------------------------------------------------------------------------


def test_the_officers_inbox_counts_what_waits_per_commune(
    client, criteria_sets, officer, province_staff, village, tree
):
    many_families(40, village=village, awaiting=tree["province"])
    client.force_login(officer)
    response = client.get(HOME)
    (row,) = response.context["counts"]
    assert row["unit_name"] == "Xã Mường Phăng"
    assert (row["to_score"], row["to_propose"], row["to_fix"], row["to_approve"]) == (10, 5, 5, 0)
    assert len(response.context["to_score"]) == 10
    assert response.context["to_approve"] is None
    assert BULK not in response.text


def test_the_approvers_inbox_lists_proposals_with_checkboxes(
    client, criteria_sets, officer, province_staff, village
):
    registration = proposed_family(officer, village)
    client.force_login(province_staff)
    response = client.get(HOME)
    assert list(response.context["to_approve"].object_list) == [fresh(registration)]
    assert BULK in response.text
    assert f'value="{registration.pk}"' in response.text


def test_the_inbox_keeps_its_query_count_with_hundreds_of_rows(
    rf, criteria_sets, province_staff, officer, village, tree, django_assert_max_num_queries
):
    many_families(400, village=village, awaiting=tree["province"])
    for user in (province_staff, officer):
        request = rf.get(HOME)
        request.user = user
        # The inbox alone (the home page also shows the dashboard, pinned by its own tests).
        with django_assert_max_num_queries(10):
            html = render_to_string(
                "models_learning/partials/inbox.html", pages.inbox_page(request), request
            )
        assert "inbox-counts" in html


def test_the_staff_home_with_the_inbox_stays_within_a_fixed_number_of_queries(
    client, criteria_sets, province_staff, officer, village, tree, django_assert_max_num_queries
):
    many_families(400, village=village, awaiting=tree["province"])
    for user in (province_staff, officer):
        client.force_login(user)
        with django_assert_max_num_queries(24):
            response = client.get(HOME)
        assert response.status_code == 200


def test_bulk_approve_reports_each_item(
    client, criteria_sets, officer, province_staff, village, sibling_officer, sibling_village
):
    first = proposed_family(officer, village)
    second = proposed_family(officer, village)
    not_yet = register_family(officer, village)
    client.force_login(province_staff)
    response = client.post(BULK, {"registration": [first.pk, second.pk, not_yet.pk, 999999]})
    assert response.status_code == 302 and response["Location"] == HOME
    assert fresh(first).status == Status.RECOGNIZED
    assert fresh(second).status == Status.RECOGNIZED
    assert fresh(not_yet).status == Status.REGISTERED
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(texts) == 5  # one per item, then the tally
    assert texts[0].startswith(first.subject_name)
    assert texts[3].startswith("#999999")


def test_bulk_approve_with_one_decision_shares_its_number(
    client, criteria_sets, officer, province_staff, village
):
    first = proposed_family(officer, village)
    second = proposed_family(officer, village)
    client.force_login(province_staff)
    client.post(BULK, {"registration": [first.pk, second.pk], "one_decision": "on"})
    numbers = {fresh(r).recognition.decision_number for r in (first, second)}
    assert len(numbers) == 1


def test_bulk_approve_by_an_officer_changes_nothing(client, criteria_sets, officer, village):
    registration = proposed_family(officer, village)
    client.force_login(officer)
    response = client.post(BULK, {"registration": [registration.pk]}, follow=True)
    assert fresh(registration).status == Status.PROPOSED
    assert response.status_code == 200


def test_bulk_approve_with_nothing_ticked_says_so(client, province_staff, criteria_sets):
    client.force_login(province_staff)
    response = client.post(BULK, {}, follow=True)
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    assert not Registration.objects.exists()


def test_garbage_ids_in_a_bulk_approval_are_reported_not_an_error(
    client, criteria_sets, province_staff
):
    client.force_login(province_staff)
    response = client.post(BULK, {"registration": ["abc"], "decision_date": "31/02/2026"})
    assert response.status_code == 302
