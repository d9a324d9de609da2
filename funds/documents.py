"""The award lists as PDF (WeasyPrint, DejaVu fonts, lib.pdf's local-only fetcher): the
recipients' list for signatures (danh sách ký nhận) and the award certificates (giấy khen).
Both are in Vietnamese whatever the language of the person printing them."""

from django.template.loader import render_to_string
from django.utils import translation

from lib import province
from lib.dates import local_today
from lib.pdf import LocalOnlyFetcher, font_css

PDF_CONTENT_TYPE = "application/pdf"


def pdf_bytes(template, context):
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    with translation.override("vi"):
        html = render_to_string(
            template,
            {**context, "association": province.current(), "made_on": local_today()},
        )
        fonts = FontConfiguration()
        fetcher = LocalOnlyFetcher()
        return HTML(string=html, url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(string=font_css(), font_config=fonts, url_fetcher=fetcher)],
            font_config=fonts,
        )


def signature_list(programme, recipients):
    return pdf_bytes(
        "funds/pdf/signature_list.html",
        {
            "programme": programme,
            "recipients": recipients,
            "total": sum(r.amount for r in recipients),
        },
    )


def certificates(programme, recipients):
    return pdf_bytes(
        "funds/pdf/certificates.html", {"programme": programme, "recipients": recipients}
    )
