"""Evidence files: the content decides the type, not the name; size-capped; private."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lib.errors import DomainError
from models_learning import services
from models_learning.models import Evidence
from models_learning.selectors import evidence_visible_to
from models_learning.workflow import Action, Status

from .factories import in_status, register_family

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 10
EXE = b"MZ\x90\x00" + b"\x00" * 100


@pytest.fixture
def registration(criteria_sets, officer, village):
    return register_family(officer, village)


def _upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _stored_files(settings):
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kept_as"),
    [
        ("bien-ban.pdf", PDF, "application/pdf", "bien-ban.pdf"),
        ("anh.jpg", JPEG, "image/jpeg", "anh.jpg"),
        # the name says PDF, the bytes say PNG: the name takes the type's extension
        ("anh-chup.pdf", PNG, "image/png", "anh-chup.png"),
    ],
)
def test_a_real_pdf_jpeg_or_png_is_stored_privately_with_its_sniffed_type(
    registration, officer, settings, name, content, content_type, kept_as
):
    evidence = services.attach_evidence(
        registration, by=officer, file=_upload(name, content), description="Biên bản bình xét"
    )
    assert (evidence.content_type, evidence.size, evidence.original_name) == (
        content_type,
        len(content),
        kept_as,
    )
    path = Path(evidence.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert (
        path.suffix
        == {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}[content_type]
    )
    assert path.read_bytes() == content
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018 - never a public URL
    event = registration.events.last()
    assert (event.action, event.to_status) == (Action.ATTACH_EVIDENCE, Status.REGISTERED)


@pytest.mark.parametrize(
    ("name", "content"),
    [("setup.pdf", EXE), ("notes.txt", b"plain text"), ("empty.pdf", b"")],
)
def test_a_disguised_or_empty_file_is_refused_and_nothing_is_stored(
    registration, officer, settings, name, content
):
    with pytest.raises(DomainError) as error:
        services.attach_evidence(registration, by=officer, file=_upload(name, content))
    assert error.value.field == "file"
    assert not Evidence.objects.exists()
    assert _stored_files(settings) == []
    assert registration.events.count() == 1


def test_an_oversized_file_is_refused(registration, officer, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(DomainError, match="too large"):
        services.attach_evidence(registration, by=officer, file=_upload("big.pdf", PDF * 200))
    assert not Evidence.objects.exists()


def test_the_default_cap_is_ten_megabytes(registration, officer):
    big = io.BytesIO(PDF + b"\x00" * (10 * 1024 * 1024))
    big.name = "scan.pdf"
    with pytest.raises(DomainError, match="10"):
        services.attach_evidence(registration, by=officer, file=big)


def test_another_commune_cannot_attach_or_see_evidence(
    registration, officer, sibling_officer, province_staff
):
    with pytest.raises(DomainError):
        services.attach_evidence(registration, by=sibling_officer, file=_upload("a.png", PNG))
    evidence = services.attach_evidence(registration, by=officer, file=_upload("a.png", PNG))
    assert list(evidence_visible_to(officer)) == [evidence]
    assert list(evidence_visible_to(province_staff)) == [evidence]
    assert not evidence_visible_to(sibling_officer).exists()


def test_no_evidence_is_added_once_proposed(criteria_sets, officer, province_staff, village):
    registration = in_status(
        Status.PROPOSED, officer=officer, approver=province_staff, village=village
    )
    with pytest.raises(DomainError):
        services.attach_evidence(registration, by=officer, file=_upload("a.png", PNG))


def test_removing_evidence_deletes_the_file_after_commit(
    registration, officer, settings, django_capture_on_commit_callbacks
):
    evidence = services.attach_evidence(registration, by=officer, file=_upload("a.png", PNG))
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(evidence, by=officer)
    assert not path.exists()
    assert not Evidence.objects.exists()
    assert registration.events.last().action == Action.REMOVE_EVIDENCE
