"""Evidence files: checked by content (PDF, JPEG, PNG only), size-capped, stored privately."""

import os
import uuid

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from khuyenhoc.errors import DomainError

from .. import workflow
from ..models import Evidence
from ..text import nfc
from ..workflow import Action
from ._common import clean_text, guard, lock, record

# (leading bytes, content type, extension): the file's own bytes decide, never its name.
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def max_evidence_bytes():
    return getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


def sniff_content_type(head):
    """(content type, extension) from a file's first bytes, or None if not PDF/JPEG/PNG."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def _size_of(file):
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


@transaction.atomic
def attach_evidence(registration, *, by, file, description=""):
    """Store an uploaded file for a registration if it really is a PDF, JPEG or PNG within the
    size cap; its type comes from its content, not its name. Private storage only."""
    registration = lock(registration)
    guard(workflow.check_attach_evidence(by, registration))
    if file is None:
        raise DomainError(_("Choose a file."), "file")
    size = _size_of(file)
    limit = max_evidence_bytes()
    if size == 0:
        raise DomainError(_("The file is empty."), "file")
    if size > limit:
        raise DomainError(
            _("The file is too large: at most %(size)s MB.")
            % {"size": f"{limit / (1024 * 1024):g}"},
            "file",
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    sniffed = sniff_content_type(head)
    if sniffed is None:
        raise DomainError(
            _("Only PDF, JPEG and PNG files can be attached; this file is none of them."),
            "file",
        )
    content_type, extension = sniffed
    original = nfc(os.path.basename(getattr(file, "name", "") or "")) or f"evidence.{extension}"
    evidence = Evidence(
        registration=registration,
        original_name=original[:255],
        content_type=content_type,
        size=size,
        description=clean_text(description, field="description", max_length=255),
        uploaded_by=by if by.is_authenticated else None,
    )
    name = f"evidence/{registration.year}/{registration.pk}/{uuid.uuid4().hex}.{extension}"
    evidence.file.save(name, file, save=False)
    stored = evidence.file.name
    try:
        evidence.save()
        record(
            registration,
            Action.ATTACH_EVIDENCE,
            by=by,
            from_status=registration.status,
            unit=registration.unit,
            data={"evidence": evidence.pk, "name": evidence.original_name},
        )
    except Exception:
        # The row was not written: do not leave the bytes behind.
        evidence.file.storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def remove_evidence(evidence, *, by):
    """Remove an evidence file (its row now, its stored bytes once the change is committed)."""
    registration = lock(evidence.registration)
    guard(workflow.check_attach_evidence(by, registration))
    evidence = Evidence.objects.get(pk=evidence.pk, registration=registration)
    storage, name = evidence.file.storage, evidence.file.name
    original = evidence.original_name
    evidence.delete()
    record(
        registration,
        Action.REMOVE_EVIDENCE,
        by=by,
        from_status=registration.status,
        unit=registration.unit,
        data={"name": original},
    )
    transaction.on_commit(lambda: storage.delete(name))
    return registration
