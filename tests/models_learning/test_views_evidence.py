"""Evidence files on the registration page: checked by content, served only within scope."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from models_learning.models import Evidence
from tests.files import body, stored

from .factories import register_family
from .page_factories import PNG, attach_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(criteria_sets, officer, village):
    return register_family(officer, village)


def add_url(registration):
    return reverse("models_learning:evidence-add", args=[registration.pk])


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_officer_attaches_a_photo_and_it_is_listed(client, officer, registration):
    client.force_login(officer)
    response = client.post(
        add_url(registration),
        {"file": upload("bien-ban.png", PNG), "description": "Biên bản bình xét"},
        follow=True,
    )
    evidence = Evidence.objects.get()
    assert evidence.content_type == "image/png"
    assert response.redirect_chain[-1][0].endswith("#evidence")
    assert "bien-ban.png" in response.text
    assert reverse("models_learning:evidence-download", args=[evidence.pk]) in response.text


def test_a_disguised_file_is_refused_by_its_content(client, officer, registration):
    client.force_login(officer)
    response = client.post(add_url(registration), {"file": upload("anh.png", b"<html>hi</html>")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Evidence.objects.exists()


def test_an_oversized_file_is_refused(client, officer, registration, settings):
    settings.EVIDENCE_MAX_BYTES = 50
    client.force_login(officer)
    response = client.post(add_url(registration), {"file": upload("anh.png", PNG + b"\0" * 100)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Evidence.objects.exists()


def test_no_file_chosen_is_refused_next_to_the_field(client, officer, registration):
    client.force_login(officer)
    response = client.post(add_url(registration), {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_the_download_is_an_attachment_that_is_never_sniffed(client, officer, registration):
    evidence = attach_png(registration, officer)
    client.force_login(officer)
    response = client.get(reverse("models_learning:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert body(response) == stored(evidence.file)


def test_another_communes_evidence_is_a_404(client, officer, sibling_officer, registration):
    evidence = attach_png(registration, officer)
    client.force_login(sibling_officer)
    assert (
        client.get(reverse("models_learning:evidence-download", args=[evidence.pk])).status_code
        == 404
    )
    response = client.post(reverse("models_learning:evidence-remove", args=[evidence.pk]))
    assert response.status_code == 404
    assert Evidence.objects.exists()


def test_the_officer_removes_a_file_and_the_province_cannot(
    client, officer, province_staff, registration
):
    evidence = attach_png(registration, officer)
    remove = reverse("models_learning:evidence-remove", args=[evidence.pk])
    client.force_login(province_staff)
    refused = client.post(remove)
    assert refused.status_code == 200
    assert refused.context["problem"] in refused.text
    assert 'data-testid="problem"' in refused.text
    assert Evidence.objects.exists()
    client.force_login(officer)
    assert client.post(remove).status_code == 302
    assert not Evidence.objects.exists()


def test_no_upload_form_once_proposed(client, officer, registration):
    from models_learning import services

    from .factories import full_marks

    services.save_scores(registration, by=officer, points=full_marks(registration))
    services.propose_registration(registration, by=officer)
    client.force_login(officer)
    page = client.get(reverse("models_learning:registration-detail", args=[registration.pk]))
    assert add_url(registration) not in page.text
    response = client.post(add_url(registration), {"file": upload("a.png", PNG)})
    assert response.status_code == 200
    assert not Evidence.objects.exists()


# Behind nginx (PRIVATE_MEDIA_ACCEL_REDIRECT): the scope is checked here, the bytes are sent by
# nginx from its internal location. tests/topology/run.py downloads through a real nginx.


def test_behind_nginx_the_download_is_handed_to_nginx_without_a_body(
    client, officer, registration, settings
):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private/"
    evidence = attach_png(registration, officer)
    client.force_login(officer)
    response = client.get(reverse("models_learning:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert not response.streaming
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{evidence.file.name}"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_behind_nginx_a_vietnamese_file_name_and_an_odd_stored_name_survive(
    client, officer, registration, settings
):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private"
    evidence = attach_png(registration, officer)
    evidence.original_name = "Biên bản họp.png"
    evidence.save(update_fields=["original_name"])
    odd = evidence.file.storage.save("evidence/a b#1?.png", ContentFile(PNG))
    type(evidence).objects.filter(pk=evidence.pk).update(file=odd)
    client.force_login(officer)
    response = client.get(reverse("models_learning:evidence-download", args=[evidence.pk]))
    assert response["X-Accel-Redirect"] == "/_private/evidence/a%20b%231%3F.png"
    assert (
        "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.png"
        in response["Content-Disposition"]
    )


def test_behind_nginx_scope_and_missing_files_still_answer_404(
    client, officer, sibling_officer, registration, settings
):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private/"
    evidence = attach_png(registration, officer)
    url = reverse("models_learning:evidence-download", args=[evidence.pk])
    client.force_login(sibling_officer)
    refused = client.get(url)
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused
    evidence.file.storage.delete(evidence.file.name)
    client.force_login(officer)
    missing = client.get(url)
    assert missing.status_code == 404
    assert "X-Accel-Redirect" not in missing


def test_without_the_setting_the_file_streams_through_django(client, officer, registration):
    evidence = attach_png(registration, officer)
    client.force_login(officer)
    response = client.get(reverse("models_learning:evidence-download", args=[evidence.pk]))
    assert "X-Accel-Redirect" not in response
    assert body(response) == stored(evidence.file)


def test_behind_nginx_a_job_result_keeps_the_type_its_name_gives(client, officer, settings):
    from django.core.files.base import ContentFile as Content

    from jobs.models import Job

    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private/"
    job = Job.objects.create(kind="decision-list", title="Danh sách", requested_by=officer)
    job.result.save("danh-sach.xlsx", Content(b"PK\x03\x04"), save=True)
    job.result_name = "Danh sách.xlsx"
    job.save()
    client.force_login(officer)
    response = client.get(reverse("jobs:job-download", args=[job.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{job.result.name}"
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
