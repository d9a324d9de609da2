"""Evidence files (photos, scanned minutes): PDF, JPEG or PNG judged by content, size-capped."""

import os
import re
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import DomainError

# (leading bytes, content type, extension): the file's own bytes decide, never its name.
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Other spellings of a type's extension that a name may keep.
_SAME_TYPE = {"jpg": {"jpg", "jpeg"}}
# What counts as an extension at the end of a name: a dot and a few letters or digits
# ("Biên bản họp. Lần 2" has none).
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,8})$")
NAME_MAX = 255


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


def evidence_max_bytes():
    return getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


def sniff_content_type(head):
    """(content type, extension) from a file's first bytes, or None if not PDF/JPEG/PNG."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def name_for_content(name, content_type):
    """`name` ending with the extension of the type its content is ("x.html" holding a PNG
    is "x.png"), within 255 characters; unchanged for a type not listed here.

    A file is stored and served under its real type's extension, so that no program opens
    a picture followed by HTML as a web page because of the name its uploader gave it.
    """
    extension = next((ext for _m, ctype, ext in SIGNATURES if ctype == content_type), None)
    if extension is None:
        return name
    match = _EXTENSION.search(name)
    if match and match.group(1).lower() in _SAME_TYPE.get(extension, {extension}):
        return name[-NAME_MAX:] if len(name) > NAME_MAX else name
    stem = name[: match.start()] if match else name
    suffix = f".{extension}"
    return (stem.strip() or "file")[: NAME_MAX - len(suffix)] + suffix


def _size_of(file):
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def check_evidence(file):
    """The file's type and size if it is a PDF, JPEG or PNG within the cap; else DomainError."""
    if file is None:
        raise DomainError(_("Choose a file."), "file")
    size = _size_of(file)
    if size == 0:
        raise DomainError(_("The file is empty."), "file")
    limit = evidence_max_bytes()
    if size > limit:
        raise DomainError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            "file",
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    sniffed = sniff_content_type(head)
    if sniffed is None:
        raise DomainError(
            _("Only PDF, JPEG and PNG files can be attached; this file is none of them."), "file"
        )
    return CheckedFile(*sniffed, size)
