"""Certificates (giấy công nhận) and decision lists (danh sách kèm theo quyết định) as PDF.

HTML templates under `models_learning/certificates/` rendered by WeasyPrint, with the layout
in `static/css/certificate.css`. Text is set in DejaVu (fonts-dejavu-core), which has every
Vietnamese glyph, and the font is embedded in the PDF. Each certificate carries a QR code
(segno, a PNG data URI) holding the absolute URL of its public verification page.
Documents are always in Vietnamese, whatever the language of the person printing them.

The fetcher lets WeasyPrint read only data: URIs and the font files: names typed by
officers cannot make the renderer open other files or the network.
"""

import io

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from lib import province
from lib.dates import local_today
from lib.pdf import LocalOnlyFetcher, font_css
from lib.sheets import Column, Kind, SheetSpec, write_xlsx
from lib.text import normalise
from units.models import Level
from units.scoping import units_visible_to

from .models import ModelKind
from .selectors import recognitions_visible_to

DOCUMENT_LANGUAGE = "vi"
STYLESHEET = "css/certificate.css"

# Everything a certificate or a list row shows, joined in one query.
RELATED = (
    "issuing_unit",
    "registration__unit",
    "registration__household__village",
    "registration__clan",
    "registration__village",
    "registration__organisation",
)


# The titles as certificates and decision lists print them.
TITLES = {
    ModelKind.FAMILY: pgettext_lazy("certificate", "Learning family"),
    ModelKind.CLAN: pgettext_lazy("certificate", "Learning clan"),
    ModelKind.COMMUNITY: pgettext_lazy("certificate", "Learning community"),
    ModelKind.ORGANISATION: pgettext_lazy("certificate", "Learning organisation"),
}


def verify_url(code):
    """The absolute URL of the public check of certificate `code` (what the QR code holds).

    Without SITE_BASE_URL there is no address to print: a certificate must not carry a QR
    code that leads nowhere (`check --deploy` says so too: khuyenhoc.E001).
    """
    if not settings.SITE_BASE_URL:
        raise ImproperlyConfigured("SITE_BASE_URL is not set: certificates cannot be made.")
    try:
        path = reverse("models_learning-public:verify", args=[code])
    except NoReverseMatch:  # the public pages are not wired yet: the contracted path
        path = f"/verify/{code}/"
    return settings.SITE_BASE_URL + path


def qr_data_uri(data):
    """A PNG QR code of `data` as a data: URI (medium error correction survives a crease).

    Small (4 pixels a module): the stylesheet sizes it and keeps its edges sharp.
    """
    return segno.make(data, error="m").png_data_uri(scale=4, border=4)


def association_name(unit):
    """The association of `unit`: the configured name for the portal's province (settings
    PORTAL_ASSOCIATION_NAME), else "Hội Khuyến học" and the unit's name, its type in lower case.
    """
    configured = province.current()
    if unit.level == Level.PROVINCE and unit.admin_code == configured.code:
        return configured.association_name
    name = unit.name
    if unit.level != Level.BRANCH and name[:1].isupper() and " " in name:
        name = name[0].lower() + name[1:]
    return _("Study Promotion Association of %(unit)s") % {"unit": name}


def vietnamese_date(day):
    """ "ngày 05 tháng 12 năm 2026", as official documents write dates."""
    return _("day %(day)s month %(month)s year %(year)s") % {
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
    }


def _village_of(registration):
    if registration.kind == ModelKind.FAMILY:
        return registration.household.village.name
    if registration.kind == ModelKind.COMMUNITY:
        return registration.village.name
    return ""


def with_related(queryset):
    return queryset.select_related(*RELATED)


def certificate_facts(recognition):
    """What one certificate shows, in Vietnamese (call inside `translation.override`)."""
    registration = recognition.registration
    kind = ModelKind(registration.kind)
    configured = province.current()
    return {
        "code": recognition.certificate_code,
        "kind": kind.value,
        "kind_title": str(TITLES[kind]),
        "year": registration.year,
        "name": registration.subject_name,
        "village": _village_of(registration),
        "commune": registration.unit.name,
        "decision_number": recognition.decision_number,
        "decision_date": recognition.decision_date,
        "decision_date_words": vietnamese_date(recognition.decision_date),
        "valid_to": recognition.valid_to,
        "issuing_unit": recognition.issuing_unit.name,
        "association": association_name(recognition.issuing_unit),
        "is_draft": recognition.issued_at is None,
        "verify_url": verify_url(recognition.certificate_code),
        "qr": qr_data_uri(verify_url(recognition.certificate_code)),
        "signer_authority": configured.signer_authority,
        "signer_title": configured.signer_title,
    }


# --- rendering ---------------------------------------------------------------------------


class _Renderer:
    """One font configuration and stylesheet, shared by every document of a batch."""

    def __init__(self):
        self.fonts = FontConfiguration()
        self.fetcher = LocalOnlyFetcher()
        stylesheet_path = finders.find(STYLESHEET)
        self.stylesheets = [
            CSS(string=font_css(), font_config=self.fonts, url_fetcher=self.fetcher),
            CSS(filename=stylesheet_path, font_config=self.fonts, url_fetcher=self.fetcher),
        ]

    def document(self, template, context):
        html = render_to_string(template, context)
        return HTML(string=html, url_fetcher=self.fetcher).render(
            stylesheets=self.stylesheets, font_config=self.fonts
        )

    @staticmethod
    def pdf(documents):
        pages = [page for document in documents for page in document.pages]
        return documents[0].copy(pages).write_pdf()


CERTIFICATE_TEMPLATE = "models_learning/certificates/certificate.html"
LIST_TEMPLATE = "models_learning/certificates/decision_list.html"


def render_certificates(recognitions, progress=None):
    """One PDF with one A4 landscape page per recognition, in the order given.

    `progress(done, total)` is called after each certificate (batches show a progress bar).
    """
    recognitions = list(recognitions)
    if not recognitions:
        raise ValueError("No certificate to render.")
    with translation.override(DOCUMENT_LANGUAGE):
        renderer = _Renderer()
        documents = []
        emblem = province.emblem_data_uri()
        for done, recognition in enumerate(recognitions, start=1):
            context = {"certificate": certificate_facts(recognition), "emblem": emblem}
            documents.append(renderer.document(CERTIFICATE_TEMPLATE, context))
            if progress:
                progress(done, len(recognitions))
        return renderer.pdf(documents)


def render_certificate(recognition):
    """The PDF certificate of one recognition."""
    return render_certificates([recognition])


# --- batches and decision lists ------------------------------------------------------------


def batch_units(user):
    """Communes (today's and former ones) whose certificates `user` may print."""
    return units_visible_to(user).filter(level=Level.COMMUNE).order_by("name", "pk")


def batch_recognitions(user, *, unit, year, kind="", decision_number=""):
    """The unrevoked recognitions `user` may see of `unit` (as the registering commune or as
    the issuing unit) for the titles of `year`, optionally one title and one decision.

    Ordered as the decision lists read: title, village, name.
    """
    recognitions = with_related(recognitions_visible_to(user)).filter(
        Q(registration__unit=unit) | Q(issuing_unit=unit),
        registration__year=year,
        revoked_at__isnull=True,
    )
    if kind:
        recognitions = recognitions.filter(registration__kind=kind)
    if decision_number:
        recognitions = recognitions.filter(decision_number=decision_number.strip())
    village = Coalesce(
        "registration__household__village__name", "registration__village__name", Value("")
    )
    return recognitions.annotate(village_name=village).order_by(
        "registration__kind", "village_name", "registration__subject_name", "pk"
    )


def decision_list_spec():
    """The columns of a decision list, shared by the PDF table and the Excel sheet."""
    return SheetSpec(
        name=pgettext_lazy("decision list", "Decision list"),
        kind_code="decision-list",
        columns=(
            Column("number", pgettext_lazy("decision list", "No."), Kind.INT, width=6),
            Column("name", pgettext_lazy("decision list", "Name"), width=32),
            Column("village", pgettext_lazy("decision list", "Village"), width=22),
            Column("title", pgettext_lazy("decision list", "Title"), width=22),
            Column("decision_number", pgettext_lazy("decision list", "Decision number"), width=18),
            Column("code", pgettext_lazy("decision list", "Certificate code"), width=18),
        ),
    )


def decision_list_rows(recognitions):
    """One dict per recognition: number (STT), name, village, title, decision, code."""
    rows = []
    for number, recognition in enumerate(recognitions, start=1):
        registration = recognition.registration
        rows.append(
            {
                "number": number,
                "name": registration.subject_name,
                "village": _village_of(registration),
                "title": str(TITLES[ModelKind(registration.kind)]),
                "decision_number": recognition.decision_number,
                "decision_date": recognition.decision_date,
                "code": recognition.certificate_code,
            }
        )
    return rows


def decision_list_heading(*, unit, year, kind="", decision_number="", rows=()):
    """The heading of a decision list: which decision it goes with, which titles and year."""
    if kind:
        title = _("List of %(titles)s recognised in %(year)s") % {
            "titles": TITLES[ModelKind(kind)],
            "year": year,
        }
    else:
        title = _("List of learning models recognised in %(year)s") % {"year": year}
    heading = {
        "title": title,
        "unit": unit.name,
        "decision": "",
    }
    if decision_number:
        dates = {row["decision_date"] for row in rows}
        day = dates.pop() if len(dates) == 1 else None
        if day:
            heading["decision"] = _("Attached to decision No. %(number)s of %(date)s") % {
                "number": decision_number,
                "date": day.strftime("%d/%m/%Y"),
            }
        else:
            heading["decision"] = _("Attached to decision No. %(number)s") % {
                "number": decision_number
            }
    return heading


def render_decision_list_pdf(recognitions, *, unit, year, kind="", decision_number=""):
    """The list attached to a decision as an A4 portrait PDF table."""
    with translation.override(DOCUMENT_LANGUAGE):
        rows = decision_list_rows(recognitions)
        context = {
            "heading": decision_list_heading(
                unit=unit, year=year, kind=kind, decision_number=decision_number, rows=rows
            ),
            "headers": [column.header_text for column in decision_list_spec().columns],
            "rows": rows,
            "printed_on": local_today(),
        }
        renderer = _Renderer()
        return renderer.pdf([renderer.document(LIST_TEMPLATE, context)])


def decision_list_workbook(recognitions, **_heading):
    """The list attached to a decision as an .xlsx (every text cell neutralised)."""
    with translation.override(DOCUMENT_LANGUAGE):
        buffer = io.BytesIO()
        write_xlsx(decision_list_spec(), decision_list_rows(recognitions), buffer)
        return buffer.getvalue()


def file_stem(prefix, unit, year):
    """ "giay-cong-nhan-xa-muong-phang-2026": an ASCII file name for downloads."""
    return slugify(f"{prefix} {normalise(unit.name)} {year}")


def unit_by_id(user, unit_id):
    """The commune `unit_id` if `user` may still print for it, else None."""
    return batch_units(user).filter(pk=unit_id).first()
