"""Evidence files: PDF, JPEG or PNG by their content, within a size cap, stored privately and
served only through a view that checks the viewer's scope."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from centers import services
from centers.models import CenterEvidence
from lib.errors import DomainError
from tests.files import body

from .builders import JPEG, PDF, PNG, pdf_upload


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kept_as"),
    [
        ("bien-ban.pdf", PDF, "application/pdf", "bien-ban.pdf"),
        ("anh.jpg", JPEG, "image/jpeg", "anh.jpg"),
        ("anh-chup.png", PNG, "image/png", "anh-chup.png"),
        ("khong-duoi", PDF, "application/pdf", "khong-duoi.pdf"),
    ],
)
def test_pdf_jpeg_and_png_are_recognised_by_their_content(
    self_assessed, officer, name, content, content_type, kept_as
):
    evidence = services.add_evidence(self_assessed, pdf_upload(name, content), by=officer)
    assert evidence.content_type == content_type
    assert evidence.original_name == kept_as


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", b"MZ\x90\x00 not a pdf at all"),
        ("anh.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("trang.html", b"<html><script>alert(1)</script></html>"),
        ("rong.pdf", b""),
    ],
)
def test_anything_else_is_refused_whatever_its_name(self_assessed, officer, name, content):
    with pytest.raises(DomainError) as caught:
        services.add_evidence(self_assessed, pdf_upload(name, content), by=officer)
    assert caught.value.field == "file"
    assert not CenterEvidence.objects.exists()


def test_a_file_above_the_size_cap_is_refused(self_assessed, officer, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(DomainError):
        services.add_evidence(self_assessed, pdf_upload(content=PDF + b"0" * 2048), by=officer)
    assert not CenterEvidence.objects.exists()


def test_files_are_stored_under_the_private_root_with_a_name_of_our_own(evidence):
    path = Path(evidence.file.path)
    assert path.is_file()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert "bien-ban" not in path.name
    assert path.read_bytes() == PDF
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018 - private files have no URL


def test_evidence_is_added_only_while_the_commune_self_assesses(submitted, officer, province_staff):
    for user, rating in ((officer, submitted), (province_staff, submitted)):
        with pytest.raises(DomainError):
            services.add_evidence(rating, pdf_upload(), by=user)
    assert not CenterEvidence.objects.exists()


def test_the_officer_uploads_through_the_rating_page(client, officer, self_assessed):
    client.force_login(officer)
    url = reverse("centers:evidence-add", args=[self_assessed.pk])
    response = client.post(url, {"file": pdf_upload(), "description": "Biên bản"})
    assert response.status_code == 302
    bad = client.post(url, {"file": pdf_upload("x.pdf", b"GIF89a....")})
    assert bad.status_code == 200
    assert "file" in bad.context["form"].errors
    assert CenterEvidence.objects.count() == 1


@pytest.mark.parametrize("persona", ["officer", "province_staff"])
def test_the_commune_and_province_staff_download_it_as_an_attachment(
    persona, request, client, evidence
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("centers:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]


def test_another_commune_gets_a_404_and_a_visitor_the_login_page(client, sibling_officer, evidence):
    url = reverse("centers:evidence-download", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(sibling_officer)
    assert client.get(url).status_code == 404


def test_a_missing_file_is_a_404_not_an_error(client, officer, evidence):
    Path(evidence.file.path).unlink()
    client.force_login(officer)
    assert client.get(reverse("centers:evidence-download", args=[evidence.pk])).status_code == 404
