"""Finish (issue 13, item 24): the favicon, a description for search engines, a sitemap that
agrees with robots.txt, one address per recognition, sheet names cut between words, and
`make run` with one autoreloader."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from reporting.reports.documents import SHEET_NAME_MAX, sheet_name
from tests.certificates.builders import recognised_family

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/recognitions/", "/verify/", "/centers/", "/stats/", "/accounts/login/"]


def test_favicon_ico_is_the_emblem(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"".join(response.streaming_content) == Path(finders.find("img/emblem.svg")).read_bytes()
    assert "max-age=86400" in response["Cache-Control"]


def test_a_provinces_own_emblem_is_its_favicon(client, settings, tmp_path):
    emblem = tmp_path / "emblem.png"
    emblem.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    settings.PORTAL_EMBLEM = str(emblem)
    response = client.get("/favicon.ico")
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == emblem.read_bytes()


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_describe_themselves_for_search_engines(client, path):
    html = client.get(path).content.decode()
    description = re.findall(r'<meta name="description" content="([^"]+)">', html)
    assert len(description) == 1, path
    assert description[0].startswith("Cổng thông tin của Hội Khuyến học tỉnh Điện Biên: tra cứu")


def test_a_recognition_in_small_letters_is_sent_to_its_upper_case_address(
    client, tree, officer, province_staff
):
    recognition = recognised_family(officer, province_staff, tree["commune"], name="Lò Văn Ơn")
    code = recognition.certificate_code
    response = client.get(f"/recognitions/{code.lower()}/")
    assert response.status_code == 301
    assert response["Location"] == f"/recognitions/{code}/"
    assert client.get(f"/recognitions/{code}/").status_code == 200
    # A code that names nothing is a 404 where it was typed, not a redirect first.
    assert client.get("/recognitions/db-2026-zzzzzz/").status_code == 404


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Các mô hình học tập", "Các mô hình học tập"),
        ("Hội viên và Trung tâm học tập cộng đồng", "Hội viên và Trung tâm học tập"),
        ("Danh sách mô hình học tập được công nhận năm 2025", "Danh sách mô hình học tập được"),
        ("Số liệu: hội viên/trung tâm [2025]", "Số liệu hội viên trung tâm 2025"),
        ("x" * 40, "x" * 31),
    ],
)
def test_a_sheet_name_is_cut_between_words(title, name):
    assert sheet_name(title) == name
    assert len(name) <= SHEET_NAME_MAX


def test_the_yearly_reports_sheets_end_on_whole_words(client, province_staff):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(province_staff)
    response = client.get("/portal/reports/yearly.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content), read_only=True)
    # The second sheet's title, "Hội viên và Trung tâm học tập cộng đồng", read
    # "Hội viên và Trung tâm học tập c".
    assert book.sheetnames[:2] == ["Các mô hình học tập", "Hội viên và Trung tâm học tập"]
    assert all(len(name) <= 31 for name in book.sheetnames)
    book.close()


def test_make_run_starts_the_worker_without_the_autoreloader():
    dry_run = subprocess.run(
        ["make", "-n", "run"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    ).stdout
    worker = next(line for line in dry_run.splitlines() if "db_worker" in line)
    assert "--no-reload" in worker
    assert "runserver" in dry_run
