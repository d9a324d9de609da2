"""Checks on an uploaded file before and while openpyxl opens it.

Before openpyxl sees the file: the size cap; that the content is an .xlsx package (a zip with
`[Content_Types].xml` and `xl/workbook.xml` declared as a plain workbook: a renamed .csv, .xls,
.zip, .docx or .xlsm is refused whatever its name); zip-bomb limits judged from the zip
directory alone (total uncompressed size, size of the parts openpyxl parses whole, compression
ratio, number of members, encryption); no XML document type declaration in any part, whatever
its name (entity expansion: Excel never writes one; a hostile file names its worksheet
`sheet1.bin`). openpyxl then opens it read-only (streaming), with formulas read as their cached
values (`data_only`) and external links not loaded (`keep_links=False`); with defusedxml
installed (required below) every XML part openpyxl parses refuses entity declarations too.

Python's zipfile never inflates a member past the size its directory entry declares, so the
limits checked here also bound what openpyxl can decompress.
"""

import contextlib
import io
import os
import warnings
import zipfile
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .problems import refuse

if not openpyxl.DEFUSEDXML:
    # openpyxl picks defusedxml when it is installed, unless OPENPYXL_DEFUSEDXML=False.
    raise ImproperlyConfigured(
        "openpyxl must parse uploads with defusedxml: install it (requirements.txt) and do not "
        "set OPENPYXL_DEFUSEDXML=False."
    )

# Zip-bomb limits, judged from the zip directory before anything is decompressed.
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
# Parts other than worksheets (shared strings, styles, workbook) are parsed whole, in memory.
MAX_WHOLE_PART_BYTES = 64 * 1024 * 1024
# Real sheets compress 5-30 times; a bomb compresses hundreds or thousands of times.
MAX_RATIO = 150
RATIO_CHECK_FROM_BYTES = 2 * 1024 * 1024
MAX_MEMBERS = 5_000

XLSX_WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Excel's parts start with their root element within a few hundred bytes.
PROLOG_MAX_BYTES = 64 * 1024


class Source:
    """The upload as something that can be opened again: bytes, a path or a seekable file."""

    def __init__(self, source):
        self._bytes = self._path = self._file = None
        if isinstance(source, bytes | bytearray | memoryview):
            self._bytes = bytes(source)
        elif isinstance(source, str | os.PathLike):
            self._path = source
        elif hasattr(source, "read") and hasattr(source, "seek"):
            self._file = source
        else:
            raise TypeError(f"cannot read a sheet from {type(source).__name__}")

    def size(self):
        if self._bytes is not None:
            return len(self._bytes)
        if self._path is not None:
            return os.path.getsize(self._path)
        size = getattr(self._file, "size", None)
        if isinstance(size, int):
            return size
        self._file.seek(0, io.SEEK_END)
        return self._file.tell()

    @contextlib.contextmanager
    def open(self):
        if self._bytes is not None:
            yield io.BytesIO(self._bytes)
        elif self._path is not None:
            with open(self._path, "rb") as handle:
                yield handle
        else:
            self._file.seek(0)
            yield self._file


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def check_size(source, max_bytes):
    size = source.size()
    if size == 0:
        refuse(_("The file is empty. Choose the Excel file (.xlsx) with your rows."))
    if size > max_bytes:
        refuse(
            _(
                "The file is %(size)s MB; the largest accepted is %(max)s MB. "
                "Split the rows into several files."
            )
            % {"size": _megabytes(size), "max": _megabytes(max_bytes)}
        )


def _not_xlsx():
    refuse(
        _(
            "This file is not an Excel workbook (.xlsx), whatever its name says. "
            "Open it in Excel and save it with “Save as” → “Excel Workbook (*.xlsx)”, "
            "or fill in the template downloaded from this page."
        )
    )


def check_package(handle, max_uncompressed, content_limit=None):
    """Refuse what is not an .xlsx package, or would expand beyond the limits, before opening.

    `content_limit` (bytes, unpacked): the most a workbook of the expected kind can hold
    (`reading.content_limit`); a larger one is refused from the zip directory too.
    """
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(_OLE2_MAGIC):
        refuse(
            _(
                "This is an old-format Excel file (.xls) or a password-protected workbook. "
                "Remove the password if any, then save it with “Save as” → "
                "“Excel Workbook (*.xlsx)” and upload that file."
            )
        )
    if not head.startswith(b"PK"):
        _not_xlsx()
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        _not_xlsx()
    with archive:
        members = archive.infolist()
        names = {info.filename for info in members}
        if "xl/workbook.bin" in names:
            refuse(
                _(
                    "This is a binary Excel workbook (.xlsb). Save it with “Save as” → "
                    "“Excel Workbook (*.xlsx)” and upload that file."
                )
            )
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            _not_xlsx()
        _check_expansion(members, max_uncompressed)
        if content_limit is not None:
            _check_content(members, content_limit)
        _check_no_dtd(archive, members)
        _check_workbook_type(archive)


def _check_expansion(members, max_uncompressed):
    too_big = _(
        "This file would expand to far more data than an Excel sheet of this size holds "
        "(a “zip bomb”), so it is refused. Save your rows into a new workbook and try again."
    )
    if len(members) > MAX_MEMBERS:
        refuse(too_big)
    if sum(info.file_size for info in members) > max_uncompressed:
        refuse(too_big)
    for info in members:
        if info.flag_bits & 0x1:
            refuse(_("The workbook is encrypted. Remove its password in Excel and try again."))
        if not info.filename.startswith("xl/worksheets/") and info.file_size > MAX_WHOLE_PART_BYTES:
            refuse(too_big)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_FROM_BYTES and ratio > MAX_RATIO:
            refuse(too_big)


def _check_content(members, limit):
    total = sum(info.file_size for info in members)
    if total > limit:
        refuse(
            _(
                "This file holds more data (%(size)s MB once unpacked) than the most rows a "
                "file may have can fill (%(limit)s MB). Split the rows into several files, and "
                "remove what the template does not need (pictures, other sheets)."
            )
            % {"size": _megabytes(total), "limit": _megabytes(limit)}
        )


def _check_no_dtd(archive, members):
    """Excel never writes a DOCTYPE; one in a part can only be an entity-expansion attack.

    Every member is read, whatever its name or declared type: openpyxl follows the
    relationships, so a worksheet may be named anything. A binary part (an image) never
    starts with `<!`, so it passes.
    """
    for info in members:
        if info.is_dir():
            continue
        with archive.open(info) as part:
            head = part.read(PROLOG_MAX_BYTES)
        if not _prolog_is_safe(head, complete=len(head) < PROLOG_MAX_BYTES):
            refuse(
                _(
                    "The workbook contains XML that Excel never writes, so it is refused. "
                    "Save your rows into a new workbook and try again."
                )
            )


def _prolog_is_safe(head, *, complete):
    """True when the XML before the root element holds no <!DOCTYPE> (nor any other <!...>).

    Only the XML declaration, processing instructions, comments and spaces may come first, and
    the root element must start within the bytes read.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    elif head[1:2] == b"\x00":
        text = head.decode("utf-16-le", errors="ignore")
    elif head[:1] == b"\x00":
        text = head.decode("utf-16-be", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    text = text.lstrip("\ufeff")
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            return complete
        for opening, closing in (("<?", "?>"), ("<!--", "-->")):
            if text.startswith(opening, position):
                end = text.find(closing, position + len(opening))
                if end < 0:
                    return False
                position = end + len(closing)
                break
        else:
            return not text.startswith("<!", position)


def _check_workbook_type(archive):
    """The workbook part must be a plain workbook: no macros (.xlsm), not a template (.xltx)."""
    with archive.open("[Content_Types].xml") as part:
        try:
            tree = parse_xml(part.read())
        except (ParseError, DefusedXmlException):
            _not_xlsx()
    types = {
        node.get("PartName", "").lstrip("/"): node.get("ContentType", "")
        for node in tree.iter(f"{_CONTENT_TYPES_NS}Override")
    }
    declared = types.get("xl/workbook.xml", "")
    if declared == XLSX_WORKBOOK_TYPE:
        return
    if "macroEnabled" in declared:
        refuse(
            _(
                "Workbooks with macros (.xlsm) are not accepted. Save it with “Save as” → "
                "“Excel Workbook (*.xlsx)” and upload that file."
            )
        )
    if declared:
        refuse(
            _(
                "This is an Excel template or another kind of workbook, not an .xlsx workbook. "
                "Save it with “Save as” → “Excel Workbook (*.xlsx)” and upload that file."
            )
        )
    # Some programs declare the workbook through the default type for .xml: accept that one.
    defaults = {node.get("ContentType", "") for node in tree.iter(f"{_CONTENT_TYPES_NS}Default")}
    if XLSX_WORKBOOK_TYPE not in defaults:
        _not_xlsx()


@contextlib.contextmanager
def open_workbook(source):
    """The workbook opened for streaming, cached values only, external links never loaded."""
    with source.open() as handle:
        try:
            with warnings.catch_warnings():
                # Warnings about parts openpyxl skips (extensions, styles): not for users.
                warnings.simplefilter("ignore")
                book = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        except Exception:  # any parse failure of a hostile or damaged file: refuse, never a 500
            refuse(
                _(
                    "The workbook could not be read; it may be damaged. Open it in Excel, "
                    "save it again as .xlsx and upload it again."
                )
            )
        try:
            yield book
        finally:
            book.close()
