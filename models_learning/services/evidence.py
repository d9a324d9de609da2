"""Evidence files: checked by content (PDF, JPEG, PNG only), size-capped, stored privately."""

import os
import uuid

from django.db import transaction

from lib.text import nfc
from lib.uploads import check_evidence, name_for_content

from .. import workflow
from ..models import Evidence
from ..workflow import Action
from ._common import clean_text, guard, lock, record


@transaction.atomic
def attach_evidence(registration, *, by, file, description=""):
    """Store an uploaded file for a registration if it really is a PDF, JPEG or PNG within the
    size cap; its type comes from its content, not its name. Private storage only."""
    registration = lock(registration)
    guard(workflow.check_attach_evidence(by, registration))
    checked = check_evidence(file)
    content_type, extension, size = checked.content_type, checked.extension, checked.size
    original = nfc(os.path.basename(getattr(file, "name", "") or "")) or f"evidence.{extension}"
    evidence = Evidence(
        registration=registration,
        # The name people see and download ends with the type found by content.
        original_name=name_for_content(original, content_type),
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
