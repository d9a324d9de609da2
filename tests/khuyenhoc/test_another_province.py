"""A portal set up for another province says nothing of Điện Biên (README "Running it for real").

Hà Nội (01) on a fresh database: its units from `load_units --province 01`, the criteria sets,
a province user, one family recognised with its certificate issued. Every public page, every
staff page reachable from the portal's home (with the downloads they link to), the certificate
PDF and the yearly report on screen, in Excel and in PDF are read for "Điện Biên", with and
without diacritics.
"""

import io
import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from centers import services as centers_services
from lib.text import normalise
from models_learning import services
from models_learning.models import Recognition
from tests.certificates.pdfs import text_of
from tests.factories import make_member
from tests.models_learning.factories import VillageFactory, proposed_family
from units.models import Level, Role, Unit

pytestmark = pytest.mark.django_db

HANOI = {
    "PORTAL_PROVINCE_CODE": "01",
    "PORTAL_ASSOCIATION_NAME": "Hội Khuyến học thành phố Hà Nội",
    "PORTAL_ASSOCIATION_SHORT_NAME": "Khuyến học Hà Nội",
    "CERTIFICATE_CODE_PREFIX": "HN",
    "DECISION_NUMBER_SUFFIX": "QĐ-KH",
    "CERTIFICATE_SIGNER_AUTHORITY": "TM. Ban Chấp hành",
    "CERTIFICATE_SIGNER_TITLE": "Phó Chủ tịch Thường trực",
}
FORBIDDEN = ("dien bien", "dienbien")
# Pages the crawl does not open: leaving the session, the admin, the static files.
SKIPPED = ("/accounts/logout/", "/admin/", "/i18n/", "/static/", "/emblem")
MAX_PAGES = 250
MAX_VARIANTS = 3  # pages of one shape: enough to see each kind of page


def mentions_dien_bien(text):
    folded = normalise(re.sub(r"[-_./]", " ", text))
    return any(word in folded or word in normalise(text) for word in FORBIDDEN)


def readable(response):
    """The text a person would read in a response: page, PDF, Excel or CSV, and its headers."""
    content_type = response.get("Content-Type", "")
    headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in content_type:
        return headers + text_of(body)
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(body))
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        return headers + " ".join(cells + [sheet.title for sheet in book.worksheets])
    return headers + unescape(body.decode("utf-8-sig", errors="replace"))


def links(html, base):
    for href in re.findall(r'(?:href|action|src)="([^"]+)"', html):
        url = urljoin(base, unescape(href))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIPPED):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, starts):
    """Every kind of page reachable from `starts` by GET: {url: readable text}.

    Pages of one shape (the same path but for its numbers, e.g. /portal/units/N/) are read
    up to MAX_VARIANTS times; the crawl must end before MAX_PAGES (else it would miss some).
    """
    seen, queue, texts, per_shape = set(), list(starts), {}, {}
    while queue:
        assert len(texts) < MAX_PAGES, "the crawl did not end: raise MAX_PAGES"
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", urlsplit(url).path)
        if url in seen or (url not in starts and per_shape.get(shape, 0) >= MAX_VARIANTS):
            continue
        seen.add(url)
        per_shape[shape] = per_shape.get(shape, 0) + 1
        response = client.get(url)
        if 300 <= response.status_code < 400:
            continue
        text = readable(response)  # error pages are read too
        texts[url] = text
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            queue.extend(links(text, url))
    return texts


@pytest.fixture
def hanoi(settings):
    for name, value in HANOI.items():
        setattr(settings, name, value)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("load_units", "--province", "01", stdout=io.StringIO())
    call_command("load_criteria_sets", stdout=io.StringIO())
    province = Unit.objects.get(level=Level.PROVINCE, admin_code="1")  # stored without the 0
    commune = Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("name").first()
    officer = make_member(commune, Role.OFFICER, username="hn-officer")
    staff = make_member(province, Role.APPROVER, Role.MANAGER, username="hn-province")
    village = VillageFactory(commune=commune, name="Thôn Thượng")
    registration = proposed_family(officer, village, head_name="Nguyễn Văn Hà")
    services.approve_registration(registration, by=staff)
    recognition = Recognition.objects.get(registration=registration)
    services.issue_decision(recognition, by=staff)
    recognition.refresh_from_db()
    center = centers_services.create_center(by=staff, commune=commune, name="TTHTCĐ Thôn Thượng")
    centers_services.file_year_report(center, by=officer, year=2026)
    return {"province": province, "staff": staff, "recognition": recognition}


def test_a_portal_of_ha_noi_never_says_dien_bien(client, hanoi):
    recognition = hanoi["recognition"]
    code = recognition.certificate_code
    assert re.fullmatch(r"HN-2026-[A-Z0-9]{6}", code)
    assert recognition.decision_number == "1/QĐ-KH"
    starts = ["/", "/recognitions/", "/verify/", "/centers/", "/stats/", "/accounts/login/"]
    starts += [f"/recognitions/{code}/", f"/verify/{code}/", "/robots.txt", "/no-such-page/"]
    public = crawl(client, starts)
    assert f"/verify/{code}/" in public
    assert "Hội Khuyến học thành phố Hà Nội" in public["/"]
    # The public header carries the full name (the staff header the short one).
    assert '<span class="site-association">Hội Khuyến học thành phố Hà Nội</span>' in public["/"]

    client.force_login(hanoi["staff"])
    province = hanoi["province"].pk
    report = f"?year=2026&unit={province}"
    documents = [
        reverse("certificates:certificate-pdf", args=[code]),
        reverse("reports:yearly") + report,
        reverse("reports:yearly-xlsx") + report,
        reverse("reports:yearly-pdf") + report,
        reverse("reports:yearly-xlsx") + report + "&view=today",
    ]
    staff = crawl(client, ["/portal/", *documents])
    for url in documents:
        assert url in staff, f"{url} was not read"
    certificate = staff[documents[0]]
    assert "HỘI KHUYẾN HỌC THÀNH PHỐ HÀ NỘI" in certificate
    assert "TM. BAN CHẤP HÀNH" in certificate and "PHÓ CHỦ TỊCH THƯỜNG TRỰC" in certificate
    assert "HỘI KHUYẾN HỌC THÀNH PHỐ HÀ NỘI" in staff[documents[2]]
    assert "HỘI KHUYẾN HỌC THÀNH PHỐ HÀ NỘI" in staff[documents[3]]
    assert len(staff) > 30, sorted(staff)  # the crawl reached the staff pages

    said = sorted(url for url, text in {**public, **staff}.items() if mentions_dien_bien(text))
    assert said == []


def test_the_scan_finds_dien_bien_when_it_is_there():
    assert mentions_dien_bien("Hội Khuyến học tỉnh ĐIỆN\nBIÊN")
    assert mentions_dien_bien("bao-cao-nam-2026-tinh-dien-bien.xlsx")
    assert mentions_dien_bien("https://khuyenhoc.dienbien.gov.vn")
    assert not mentions_dien_bien("Hội Khuyến học thành phố Hà Nội")


def test_the_demo_data_refuses_another_province(hanoi):
    with pytest.raises(CommandError, match="load_units --province 1`"):
        call_command("seed_demo", "--no-accounts", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)  # `make run`: no demo, no failure
    assert "không nạp dữ liệu mẫu" in out.getvalue()
    assert not Unit.objects.filter(name__contains="Điện Biên").exists()


def test_load_units_loads_the_configured_province(settings):
    settings.PORTAL_PROVINCE_CODE = "01"
    call_command("load_units", stdout=io.StringIO())
    assert Unit.objects.get(level=Level.PROVINCE).name == "Thành phố Hà Nội"
