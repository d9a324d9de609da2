"""The province a portal serves, as its deployment configures it (settings, from the environment).

The one place that pages (through the context processor), certificates, PDFs, spreadsheets
and e-mails read the association's names, the province code, the emblem, the certificate
code prefix, the decision number suffix and the signer's title from. The defaults are
Điện Biên's; README "Running it for real" lists the variables.

Settings rather than a record that staff edit: these are printed on certificates and in
public codes, change once per deployment if ever, and must be known before the database is
reachable (error pages, system checks).
"""

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

DEFAULT_EMBLEM = "img/emblem.svg"
EMBLEM_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# Certificate codes must stay within the public check's pattern and the 20-character column:
# prefix (≤ 8) + "-" + year + "-" + 6 letters.
PREFIX_PATTERN = re.compile(r"^[A-Z0-9]{1,8}$")


@dataclass(frozen=True)
class Province:
    code: str
    association_name: str
    short_name: str
    certificate_prefix: str
    decision_suffix: str
    signer_authority: str
    signer_title: str


def official_code(code):
    """A province or unit code as the units table stores it: "01" is kept as "1"."""
    code = str(code).strip()
    return code.lstrip("0") or code


def current():
    """The configured province (cheap: read from settings each time, so tests may change them)."""
    return Province(
        code=official_code(settings.PORTAL_PROVINCE_CODE),
        association_name=settings.PORTAL_ASSOCIATION_NAME,
        short_name=settings.PORTAL_ASSOCIATION_SHORT_NAME,
        certificate_prefix=settings.CERTIFICATE_CODE_PREFIX,
        decision_suffix=settings.DECISION_NUMBER_SUFFIX,
        signer_authority=settings.CERTIFICATE_SIGNER_AUTHORITY,
        signer_title=settings.CERTIFICATE_SIGNER_TITLE,
    )


def emblem_is_default():
    return not settings.PORTAL_EMBLEM


def emblem_path():
    """The emblem's file: the one PORTAL_EMBLEM names, else the portal's own drawing."""
    if settings.PORTAL_EMBLEM:
        return Path(settings.PORTAL_EMBLEM)
    return Path(finders.find(DEFAULT_EMBLEM))


def emblem_content_type(path=None):
    """The emblem's MIME type from its suffix; None for a file type the portal does not show."""
    path = path or emblem_path()
    return EMBLEM_TYPES.get(path.suffix.lower())


def emblem_problem():
    """Why the configured emblem cannot be used (for the system check), or None."""
    path = emblem_path()
    if emblem_content_type(path) is None:
        return f"{path} is not an SVG, PNG or JPEG file."
    if not path.is_file():
        return f"{path} does not exist or is not a file."
    return None


def emblem_data_uri():
    """The emblem as a data: URI, for documents rendered without network or file access."""
    path = emblem_path()
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{emblem_content_type(path)};base64,{encoded}"
