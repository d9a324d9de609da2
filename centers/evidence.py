"""What an evidence file may be: PDF, JPEG or PNG judged by its content, within a size cap."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from khuyenhoc.errors import DomainError

# The first bytes of each accepted type; the name and the browser's claimed type are ignored.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes():
    return getattr(settings, "CENTER_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


def sniff(upload):
    """The content type of `upload` from its first bytes, or None if it is none we accept."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def check_upload(upload):
    """Raise DomainError unless `upload` is a PDF, JPEG or PNG within the size cap; its type."""
    if upload is None:
        raise DomainError(_("Choose a file."), "file")
    if upload.size == 0:
        raise DomainError(_("The file is empty."), "file")
    limit = max_bytes()
    if upload.size > limit:
        raise DomainError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            "file",
        )
    content_type = sniff(upload)
    if content_type is None:
        raise DomainError(_("Only PDF, JPEG or PNG files are accepted."), "file")
    return content_type
