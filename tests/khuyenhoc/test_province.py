"""One province, configured: names, emblem, certificate codes, decision numbers and the signer
come from settings (lib.province), with Điện Biên's values by default."""

import io
import re
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.core.checks import run_checks
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from lib import province
from models_learning import certificates
from models_learning.services import recognitions as recognition_services
from tests.certificates.builders import recognised_family
from tests.certificates.pdfs import drawn_images, reader, text_of

from .processes import run_python

pytestmark = pytest.mark.django_db

RED = (200, 16, 46)


@pytest.fixture
def png_emblem(settings, tmp_path):
    """A province's own emblem: a small red PNG outside the static files."""
    path = tmp_path / "emblem.png"
    Image.new("RGB", (48, 48), RED).save(path)
    settings.PORTAL_EMBLEM = str(path)
    return path


def check_ids(**options):
    return {message.id for message in run_checks(**options)}


def test_the_defaults_are_dien_bien(settings):
    configured = province.current()
    assert configured.association_name == "Hội Khuyến học tỉnh Điện Biên"
    assert configured.short_name == "Khuyến học Điện Biên"
    assert (configured.code, configured.certificate_prefix) == ("11", "DB")
    assert configured.decision_suffix == "QĐ-HKH"
    assert (configured.signer_authority, configured.signer_title) == (
        "TM. Ban Thường vụ",
        "Chủ tịch",
    )


def test_a_code_with_its_leading_zero_is_the_code_the_units_table_keeps(settings):
    settings.PORTAL_PROVINCE_CODE = "01"
    assert province.current().code == "1"


def test_pages_show_the_configured_names_and_the_portal_emblem(client, settings):
    settings.PORTAL_ASSOCIATION_NAME = "Hội Khuyến học tỉnh Lai Châu"
    settings.PORTAL_ASSOCIATION_SHORT_NAME = "Khuyến học Lai Châu"
    html = client.get("/").content.decode()
    assert re.search(r"<title>[^<]*· Hội Khuyến học tỉnh Lai Châu</title>", html)
    assert '<span class="site-association">Hội Khuyến học tỉnh Lai Châu</span>' in html
    assert '<img class="emblem" src="/static/img/emblem.svg"' in html
    assert "Điện Biên" not in html


def test_the_portal_emblem_is_an_svg_the_project_draws(client):
    path = finders.find(province.DEFAULT_EMBLEM)
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 64 64"
    assert province.emblem_problem() is None


def test_a_configured_emblem_is_served_to_anyone_and_shown_on_every_page(client, png_emblem):
    html = client.get("/").content.decode()
    url = re.search(r'<img class="emblem" src="([^"]+)"', html).group(1)
    assert url.startswith(reverse("emblem") + "?v=")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_emblem.read_bytes()
    assert "public" in response["Cache-Control"]
    # Opened on its own, an SVG is a document: it may run nothing.
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_a_missing_or_unusable_emblem_is_a_system_check_error(client, settings, tmp_path):
    settings.PORTAL_EMBLEM = str(tmp_path / "missing.png")
    assert "khuyenhoc.E004" in check_ids()
    assert client.get(reverse("emblem")).status_code == 404
    script = tmp_path / "emblem.html"
    script.write_text("<script>alert(1)</script>")
    settings.PORTAL_EMBLEM = str(script)
    assert "khuyenhoc.E004" in check_ids()
    assert client.get(reverse("emblem")).status_code == 404


def test_the_certificate_carries_the_configured_emblem_association_and_signer(
    settings, tree, officer, province_staff, png_emblem
):
    settings.SITE_BASE_URL = "https://khuyenhoc.example.vn"
    settings.PORTAL_ASSOCIATION_NAME = "Hội Khuyến học tỉnh Điện Biên (thử)"
    settings.CERTIFICATE_SIGNER_AUTHORITY = "KT. Chủ tịch"
    settings.CERTIFICATE_SIGNER_TITLE = "Phó Chủ tịch"
    recognition = recognised_family(officer, province_staff, tree["commune"], name="Lò Văn Tâm")
    pdf = certificates.render_certificate(recognition)
    text = text_of(pdf)
    assert "HỘI KHUYẾN HỌC TỈNH ĐIỆN BIÊN (THỬ)" in text
    assert "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in text
    colours = [
        image.image.convert("RGB").getpixel((24, 24))
        for image in drawn_images(reader(pdf).pages[0])
    ]
    assert RED in colours  # the emblem, beside the QR code


def test_certificate_codes_and_decision_numbers_follow_the_settings(
    settings, tree, officer, province_staff
):
    settings.CERTIFICATE_CODE_PREFIX = "LC"
    settings.DECISION_NUMBER_SUFFIX = "QĐ-KHLC"
    recognition = recognised_family(officer, province_staff, tree["commune"], name="Lò Văn Tâm")
    assert re.fullmatch(r"LC-2026-[A-Z0-9]{6}", recognition.certificate_code)
    assert recognition_services.next_decision_number(tree["province"], 2026) == "2/QĐ-KHLC"


def test_a_prefix_that_would_break_the_public_check_is_a_system_check_error(settings):
    assert "khuyenhoc.E002" not in check_ids()
    for bad in ("", "db", "DIEN-BIEN", "ABCDEFGHI"):
        settings.CERTIFICATE_CODE_PREFIX = bad
        assert "khuyenhoc.E002" in check_ids(), bad


def test_the_reports_are_headed_by_the_configured_association(
    client, settings, tree, province_staff
):
    settings.PORTAL_ASSOCIATION_NAME = "Hội Khuyến học tỉnh Lai Châu"
    client.force_login(province_staff)
    query = f"?year=2026&unit={tree['province'].pk}"
    book = load_workbook(io.BytesIO(client.get(reverse("reports:yearly-xlsx") + query).content))
    assert book.worksheets[0]["A1"].value == "HỘI KHUYẾN HỌC TỈNH LAI CHÂU"
    pdf = client.get(reverse("reports:yearly-pdf") + query).content
    assert "HỘI KHUYẾN HỌC TỈNH LAI CHÂU" in text_of(pdf)


def test_the_province_settings_are_read_from_the_environment():
    code = (
        "from django.conf import settings as s\n"
        "from lib import province\n"
        "print(province.current())\n"
        "print(s.REPORTS_MOUNTAIN_PROVINCES)\n"
    )
    result = run_python(
        code,
        PORTAL_PROVINCE_CODE="01",
        PORTAL_ASSOCIATION_NAME="Hội Khuyến học thành phố Hà Nội",
        PORTAL_ASSOCIATION_SHORT_NAME="Khuyến học Hà Nội",
        CERTIFICATE_CODE_PREFIX="HN",
        DECISION_NUMBER_SUFFIX="QĐ-KH",
        CERTIFICATE_SIGNER_AUTHORITY="KT. Chủ tịch",
        CERTIFICATE_SIGNER_TITLE="Phó Chủ tịch",
        REPORTS_MOUNTAIN_PROVINCES="12, 02",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Province(code='1', association_name='Hội Khuyến học thành phố Hà Nội', "
        "short_name='Khuyến học Hà Nội', certificate_prefix='HN', decision_suffix='QĐ-KH', "
        "signer_authority='KT. Chủ tịch', signer_title='Phó Chủ tịch')",
        "('12', '2')",
    ]
