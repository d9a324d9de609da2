"""Criteria sets in the portal: staff read them, province staff create and edit them; a set
already used is frozen, so an edit makes a new version and the page says so."""

import pytest
from django.urls import reverse

from models_learning.models import CriteriaSet

from .factories import register_family

pytestmark = pytest.mark.django_db

LIST = reverse("models_learning:criteria-list")
NEW = reverse("models_learning:criteria-create")


def edit_url(criteria_set):
    return reverse("models_learning:criteria-edit", args=[criteria_set.pk])


def set_data(criteria_set=None, **changes):
    """POST data of the form, from a set (or a small new one)."""
    criteria = list(criteria_set.criteria.all()) if criteria_set else []
    data = {
        "code": "family-2031",
        "kind": "family",
        "name": criteria_set.name if criteria_set else "Gia đình học tập 2031",
        "valid_from_year": criteria_set.valid_from_year if criteria_set else 2031,
        "valid_to_year": criteria_set.valid_to_year if criteria_set else 2035,
        "max_score": criteria_set.max_score if criteria_set else 100,
        "pass_mark": criteria_set.pass_mark if criteria_set else 80,
        "approval_levels": ",".join(criteria_set.approval_levels)
        if criteria_set
        else "commune,province",
        "validity_years": 1,
        "provisional": "on",
        "bands": "",
        "criteria-TOTAL_FORMS": len(criteria) or 2,
        "criteria-INITIAL_FORMS": len(criteria),
    }
    if criteria:
        for i, c in enumerate(criteria):
            data.update(
                {
                    f"criteria-{i}-number": c.number,
                    f"criteria-{i}-title": c.title,
                    f"criteria-{i}-max_points": c.max_points,
                }
            )
    else:
        data.update(
            {
                "criteria-0-number": 1,
                "criteria-0-title": "Học tập của trẻ em",
                "criteria-0-max_points": 60,
                "criteria-0-sub_items": "Đi học đầy đủ | 30\nKết quả học tập | 30 | provisional",
                "criteria-0-required": "on",
                "criteria-1-number": 2,
                "criteria-1-title": "Học tập của người lớn",
                "criteria-1-max_points": 40,
            }
        )
    data.update(changes)
    return data


def test_every_staff_user_reads_the_current_sets_with_the_provisional_badge(
    client, officer, criteria_sets
):
    client.force_login(officer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["sets"]) == CriteriaSet.objects.filter(is_current=True).count()
    assert "QĐ 448" in response.text
    assert NEW not in response.text
    family = CriteriaSet.objects.get(code="family-2021")
    page = client.get(edit_url(family))
    assert page.templates[0].name == "models_learning/criteriaset_detail.html"
    assert "Học tập của trẻ em" in page.text


def test_province_staff_create_a_set_with_its_criteria(client, province_staff, criteria_sets):
    client.force_login(province_staff)
    assert NEW in client.get(LIST).text
    response = client.post(NEW, set_data())
    assert response.status_code == 302
    created = CriteriaSet.objects.get(code="family-2031")
    assert [c.title for c in created.criteria.all()] == [
        "Học tập của trẻ em",
        "Học tập của người lớn",
    ]
    first = created.criteria.get(number=1)
    assert first.required
    assert first.sub_items[1] == {"text": "Kết quả học tập", "points": 30.0, "provisional": True}


def test_criteria_not_adding_up_to_the_maximum_are_refused(client, province_staff, criteria_sets):
    client.force_login(province_staff)
    response = client.post(NEW, set_data(**{"criteria-1-max_points": 30}))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not CriteriaSet.objects.filter(code="family-2031").exists()


def test_more_rows_keep_what_was_typed(client, province_staff, criteria_sets):
    client.force_login(province_staff)
    response = client.post(NEW, {**set_data(), "add_rows": "1"})
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 4
    assert "Học tập của người lớn" in response.text


def test_a_set_not_yet_used_is_edited_in_place(client, province_staff, criteria_sets):
    family = CriteriaSet.objects.get(code="family-2021")
    client.force_login(province_staff)
    response = client.post(edit_url(family), set_data(family, pass_mark=75))
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.pass_mark == 75 and family.version == 1


def test_a_frozen_set_edited_makes_a_new_version_and_says_so(
    client, province_staff, officer, village, criteria_sets
):
    registration = register_family(officer, village)
    used = registration.criteria_set
    client.force_login(province_staff)
    page = client.get(edit_url(used))
    assert "new-version-note" in page.text
    response = client.post(edit_url(used), set_data(used, pass_mark=70), follow=True)
    new = CriteriaSet.objects.get(code=used.code, is_current=True)
    assert new.version == 2 and new.pass_mark == 70
    assert response.redirect_chain[-1][0] == edit_url(new)
    assert "phiên bản 2" in response.text
    registration.refresh_from_db()
    assert registration.criteria_set == used
    old_page = client.get(edit_url(used))
    assert old_page.context["current"] == new
    assert not old_page.context["can_edit"]


def test_officers_cannot_create_or_edit(client, officer, criteria_sets):
    family = CriteriaSet.objects.get(code="family-2021")
    client.force_login(officer)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, set_data()).status_code == 403
    assert client.post(edit_url(family), set_data(family, pass_mark=10)).status_code == 403
    family.refresh_from_db()
    assert family.pass_mark == 80


def test_a_set_is_started_from_a_copy(client, province_staff, criteria_sets):
    family = CriteriaSet.objects.get(code="family-2021")
    client.force_login(province_staff)
    response = client.get(NEW, {"copy": family.pk})
    assert response.context["formset"].total_form_count() == family.criteria.count() + 2
    assert response.context["form"]["kind"].value() == "family"


def test_an_item_marked_provisional_in_vietnamese_stays_provisional(
    client, province_staff, criteria_sets
):
    client.force_login(province_staff)
    data = set_data(**{"criteria-0-sub_items": "Đi học đầy đủ | 30 | tạm thời\nKết quả | 30"})
    assert client.post(NEW, data).status_code == 302
    created = CriteriaSet.objects.get(code="family-2031")
    items = created.criteria.get(number=1).sub_items
    assert [item["provisional"] for item in items] == [True, False]
    page = client.get(edit_url(created))
    assert "Đi học đầy đủ | 30 | tạm thời" in page.text
    assert 'value="60"' in page.text  # points as typed, not 60.0


def test_the_list_counts_a_sets_registrations_only_up_to_a_limit(
    client, officer, criteria_sets, tree, monkeypatch
):
    from models_learning import selectors
    from units.models import Village

    village = Village.objects.create(commune=tree["commune"], name="Bản Co Muông")
    for n in range(3):
        register_family(officer, village, head_name=f"Lò Văn {n}")
    client.force_login(officer)
    family = CriteriaSet.objects.get(code="family-2021")

    def shown():
        sets = client.get(LIST).context["sets"]
        return next(s.registrations_count for s in sets if s.pk == family.pk)

    assert shown() == 3
    monkeypatch.setattr(selectors, "REGISTRATIONS_COUNTED", 2)
    assert shown() == 3  # one past the limit: the page says "more than 2"
    assert "hơn 2" in client.get(LIST).text
    monkeypatch.setattr(selectors, "REGISTRATIONS_COUNTED", 1)
    assert shown() == 2
