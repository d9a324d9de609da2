"""The Django admin of the learning models: a superuser reads everything, changes a household
only through the service (its registrations' copies follow), and can neither change a frozen
criteria set nor delete a registration, an event, a recognition or the user who acted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse

from models_learning import services
from models_learning.models import CriteriaSet, Criterion, Recognition, Registration
from models_learning.models import RegistrationEvent as Event
from tests.factories import UserFactory
from tests.files import body

from .factories import fresh, recognised_family, register_family

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 10


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def recognised(criteria_sets, officer, province_staff, village):
    return recognised_family(officer, province_staff, village, head_name="Lò Thị Ơn")


def errors(response):
    return response.context["adminform"].form.errors


def test_a_frozen_criteria_set_cannot_be_changed_in_the_admin(admin_client, recognised):
    criteria_set = recognised.criteria_set
    assert criteria_set.is_frozen
    criterion = criteria_set.criteria.order_by("number").first()
    before = list(criteria_set.criteria.values_list("number", "title", "max_points"))
    url = reverse("admin:models_learning_criteriaset_change", args=[criteria_set.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # shown, not editable
    response = admin_client.post(
        url,
        {
            "name": "Bộ tiêu chí sửa lén",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "1",
            "criteria-0-id": criterion.pk,
            "criteria-0-criteria_set": criteria_set.pk,
            "criteria-0-number": criterion.number,
            "criteria-0-title": "Tiêu chí sửa lén",
            "criteria-0-max_points": "1",
        },
    )
    assert response.status_code == 403
    assert list(criteria_set.criteria.values_list("number", "title", "max_points")) == before
    assert CriteriaSet.objects.get(pk=criteria_set.pk).name == criteria_set.name
    assert Criterion.objects.filter(pk=criterion.pk).exists()


@pytest.mark.parametrize(
    ("model", "rows"),
    [
        ("registration", lambda r: Registration.objects.filter(pk=r.pk)),
        ("registrationevent", lambda r: Event.objects.filter(registration=r)),
        ("recognition", lambda r: Recognition.objects.filter(registration=r)),
    ],
)
def test_registrations_events_and_recognitions_cannot_be_deleted_in_the_admin(
    admin_client, recognised, model, rows
):
    before = list(rows(recognised).values())
    pk = rows(recognised).first().pk
    url = reverse(f"admin:models_learning_{model}_delete", args=[pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    # Nor through the list's bulk action, which the admin no longer offers.
    changelist = reverse(f"admin:models_learning_{model}_changelist")
    assert "delete_selected" not in admin_client.get(changelist).text
    admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
    )
    assert list(rows(recognised).values()) == before


def test_registrations_and_recognitions_are_read_only_in_the_admin(admin_client, recognised):
    for model, pk in (("registration", recognised.pk), ("recognition", recognised.recognition.pk)):
        url = reverse(f"admin:models_learning_{model}_change", args=[pk])
        assert admin_client.get(url).status_code == 200
        assert admin_client.post(url, {"status": "withdrawn"}).status_code == 403
    assert fresh(recognised).status == "recognized"


def test_deleting_a_registration_or_the_user_who_acted_keeps_the_history(recognised, officer):
    events = Event.objects.filter(registration=recognised).count()
    with pytest.raises(ProtectedError):
        Registration.objects.filter(pk=recognised.pk).delete()
    with pytest.raises(ProtectedError):
        officer.delete()
    assert Event.objects.filter(registration=recognised, actor=officer).count() == events - 1


def test_the_admin_refuses_to_delete_a_user_who_acted_and_says_why(admin_client, recognised):
    officer = Event.objects.filter(registration=recognised).first().actor
    url = reverse("admin:auth_user_delete", args=[officer.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert response.context["protected"]
    assert type(officer).objects.filter(pk=officer.pk).exists()


def test_a_household_edited_in_the_admin_renames_its_registrations(admin_client, recognised):
    household = recognised.household
    url = reverse("admin:models_learning_household_change", args=[household.pk])
    assert admin_client.get(url).status_code == 200
    form = {
        "village": household.village_id,
        "head_name": "Lường Thị Ơn",
        "head_birth_year": "1975",
        "address": "",
        "phone": "",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }
    assert admin_client.post(url, form).status_code == 302
    registration = fresh(recognised)
    assert registration.subject_name == "Lường Thị Ơn"
    assert registration.search_text.startswith("luong thi on")
    list_page = admin_client.get(reverse("models_learning:registration-list"), {"q": "luong"})
    assert [r.subject_name for r in list_page.context["page_obj"].object_list] == ["Lường Thị Ơn"]


def test_a_household_edit_breaking_a_rule_is_refused_in_vietnamese(
    admin_client, recognised, sibling_village
):
    household = recognised.household
    url = reverse("admin:models_learning_household_change", args=[household.pk])
    form = {
        "village": sibling_village.pk,
        "head_name": "Lường Thị Ơn",
        "head_birth_year": "1975",
        "address": "",
        "phone": "",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert errors(response) == {"village": ["Hãy chọn thôn/bản thuộc xã/phường của hộ."]}
    assert fresh(recognised).subject_name == "Lò Thị Ơn"


def test_households_cannot_be_added_or_deleted_in_the_admin(admin_client, recognised):
    assert admin_client.get(reverse("admin:models_learning_household_add")).status_code == 403
    url = reverse("admin:models_learning_household_delete", args=[recognised.household_id])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403


def test_the_admin_page_of_an_evidence_file_renders_with_a_scoped_download_link(
    admin_client, criteria_sets, officer, village
):
    registration = register_family(officer, village)
    evidence = services.attach_evidence(
        registration, by=officer, file=SimpleUploadedFile("bien-ban.pdf", PDF)
    )
    response = admin_client.get(
        reverse("admin:models_learning_evidence_change", args=[evidence.pk])
    )
    assert response.status_code == 200
    download = reverse("models_learning:evidence-download", args=[evidence.pk])
    assert f'href="{download}"' in response.text
    downloaded = admin_client.get(download)
    assert downloaded.status_code == 200
    assert body(downloaded) == PDF
