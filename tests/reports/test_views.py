"""The report pages: scoping, bad input, the Excel and PDF downloads read back."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from models_learning.models import ModelKind
from tests.factories import make_unit
from units.models import Level

from .builders import add_figures, add_files

pytestmark = pytest.mark.django_db

YEARLY = reverse("reports:yearly")
YEARLY_XLSX = reverse("reports:yearly-xlsx")
YEARLY_PDF = reverse("reports:yearly-pdf")
RECOGNISED = reverse("reports:recognised-list")


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- scoping -----------------------------------------------------------------------------


def test_the_officer_gets_their_commune_by_default(client, report_data, officer):
    response = _get(client, officer, YEARLY, year=2026)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.root.unit == report_data["commune"]
    assert [row.name for row in report.rows] == ["Xã Mường Phăng"]
    assert report.total.registered == 4


def test_the_officer_cannot_open_the_province_or_a_sibling_commune(client, report_data, officer):
    for unit in ("province", "sibling", "district"):
        response = _get(client, officer, YEARLY, unit=report_data[unit].pk, year=2026)
        assert response.status_code == 404, unit
        response = _get(client, officer, YEARLY_XLSX, unit=report_data[unit].pk, year=2026)
        assert response.status_code == 404, unit


def test_the_officer_reads_the_commune_their_commune_was_formed_from(client, report_data, officer):
    response = _get(client, officer, YEARLY, unit=report_data["old_commune"].pk, year=2024)
    assert response.status_code == 200
    assert response.context["report"].total.cell("family").registered == 10


def test_without_a_view_a_year_before_the_commune_existed_is_mapped_onto_today(
    client, report_data, officer
):
    response = _get(client, officer, YEARLY, year=2024)
    report = response.context["report"]
    assert report.view == "today"
    assert report.total.cell("family").recognised == 7


def test_province_staff_see_every_unit_of_the_year(client, report_data, province_staff):
    response = _get(client, province_staff, YEARLY, year=2024, view="as_was")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Huyện Điện Biên" in content
    assert f"unit={report_data['district'].pk}" in content, "each row drills down"
    assert "QĐ 387/QĐ-TTg" in content


def test_a_user_without_a_unit_gets_a_404(client, db):
    from tests.factories import UserFactory

    assert _get(client, UserFactory(), YEARLY).status_code == 404


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["abc", "-1", "1.5", "99999999", "9" * 30, "٣"])
def test_a_unit_that_is_not_one_answers_404(client, report_data, province_staff, unit):
    assert _get(client, province_staff, YEARLY, unit=unit).status_code == 404
    assert _get(client, province_staff, YEARLY_PDF, unit=unit).status_code == 404


def test_a_branch_is_not_a_reporting_unit(client, report_data, province_staff):
    response = _get(client, province_staff, YEARLY, unit=report_data["branch"].pk)
    assert response.status_code == 404


@pytest.mark.parametrize("year", ["20x4", "1800", "24", "2024abc"])
def test_a_bad_year_gets_the_page_back_with_a_message(client, report_data, province_staff, year):
    response = _get(client, province_staff, YEARLY, year=year)
    assert response.status_code == 400
    assert "report" not in response.context
    assert response.context["error"]
    assert 'data-testid="report-error"' in response.content.decode()
    assert _get(client, province_staff, YEARLY_XLSX, year=year).status_code == 404


def test_a_bad_view_gets_the_page_back_with_a_message(client, report_data, province_staff):
    response = _get(client, province_staff, YEARLY, view="yesterday")
    assert response.status_code == 400
    assert response.context["error"]


def test_a_unit_that_ended_cannot_be_shown_mapped_onto_today(client, report_data, province_staff):
    response = _get(
        client, province_staff, YEARLY, unit=report_data["district"].pk, year=2024, view="today"
    )
    assert response.status_code == 400
    assert "Huyện Điện Biên" in str(response.context["error"])


def test_the_report_refuses_to_change_anything(client, report_data, province_staff):
    client.force_login(province_staff)
    assert client.post(YEARLY, {"year": 2024}).status_code == 405


# --- Excel -------------------------------------------------------------------------------


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content))


def test_the_excel_report_holds_the_figures_as_values_laid_out_for_printing(
    client, report_data, province_staff
):
    response = _get(client, province_staff, YEARLY_XLSX, year=2024, view="today")
    assert "bao-cao-nam-2024-tinh-dien-bien.xlsx" in response["Content-Disposition"]
    book = _workbook(response)
    titles, members = book.worksheets[:2]
    rows = [list(row) for row in titles.iter_rows(values_only=True)]
    assert rows[0][0] == "HỘI KHUYẾN HỌC TỈNH ĐIỆN BIÊN"
    assert rows[1][0] == "Báo cáo kết quả xây dựng mô hình học tập năm 2024"
    assert rows[2][0] == "Tỉnh Điện Biên"
    header = next(i for i, row in enumerate(rows) if row[0] == "STT")
    assert rows[header][2] == "Gia đình học tập"
    assert rows[header + 1][2:6] == ["Đã đăng ký", "Được công nhận", "Tỷ lệ (%)", "Chỉ tiêu (%)"]
    body = {row[1]: row for row in rows[header + 2 :] if row[1]}
    assert body["Xã Mường Phăng"][2:6] == [10, 7, 70, 70]
    assert body["Tổng"][2:6] == [10, 7, 70, 70]
    assert body["Tổng"][-3:] == [12, 8, 66.7]
    member_rows = {row[1]: list(row) for row in members.iter_rows(values_only=True) if row[1]}
    assert member_rows["Xã Mường Phăng"][2:5] == [500, 2000, 25]
    assert member_rows["Tổng"][-1] == 300
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_area
        assert sheet.print_title_rows == f"${header + 1}:${header + 2}"
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert not (isinstance(cell.value, str) and cell.value.startswith("="))


def test_excel_neutralises_a_name_that_looks_like_a_formula(client, report_data, province_staff):
    hostile = make_unit(
        '=HYPERLINK("http://x.example","Xã")', Level.COMMUNE, report_data["province"]
    )
    add_figures(hostile, 2026, 10, 100)
    book = _workbook(_get(client, province_staff, YEARLY_XLSX, year=2026))
    names = [row[1] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://x.example","Xã")' in names
    assert not any(isinstance(n, str) and n.startswith("=") for n in names)


# --- PDF ---------------------------------------------------------------------------------


def test_the_pdf_report_is_landscape_in_vietnamese_with_the_figures(
    client, report_data, province_staff
):
    client.force_login(province_staff)
    client.cookies["django_language"] = "en"
    response = client.get(YEARLY_PDF, {"year": 2024, "view": "today"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVu" in font for font in fonts)
    text = _pdf_text(response.content)
    assert "BÁO CÁO KẾT QUẢ XÂY DỰNG MÔ HÌNH HỌC TẬP NĂM 2024" in text
    assert "Tỉnh Điện Biên" in text
    assert "Xã Mường Phăng" in text
    assert "Tổng 10 7 70,0 70" in text
    assert "2.000" in text


# --- recognised list ---------------------------------------------------------------------


def test_the_recognised_list_of_a_commune_lists_its_titles(client, report_data, province_staff):
    response = _get(
        client, province_staff, RECOGNISED, year=2024, unit=report_data["old_commune"].pk
    )
    assert response.status_code == 200
    items = response.context["listing"]["items"]
    assert len(items) == 8
    assert [item["kind"] for item in items] == ["family"] * 7 + ["clan"]
    assert all(item["code"].startswith("DB-2024-") for item in items)


def test_above_a_commune_the_recognised_list_offers_the_communes(
    client, report_data, province_staff
):
    response = _get(client, province_staff, RECOGNISED, year=2026)
    communes = response.context["communes"]
    assert [(c["name"], c["count"]) for c in communes] == [
        ("Phường Mường Thanh", 3),
        ("Xã Mường Phăng", 1),
    ]
    assert _get(client, province_staff, RECOGNISED + "x").status_code == 404


def test_the_recognised_list_downloads(client, report_data, province_staff):
    unit = report_data["sibling"].pk
    book = _workbook(
        _get(client, province_staff, reverse("reports:recognised-list-xlsx"), year=2026, unit=unit)
    )
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    body = [row for row in rows if isinstance(row[0], int)]
    assert [row[1] for row in body] == ["Gia đình học tập"] * 2 + ["Cộng đồng học tập"]
    pdf = _get(client, province_staff, reverse("reports:recognised-list-pdf"), year=2026, unit=unit)
    text = _pdf_text(pdf.content)
    assert "DANH SÁCH CÁC MÔ HÌNH HỌC TẬP ĐƯỢC CÔNG NHẬN NĂM 2026" in text
    assert "Phường Mường Thanh" in text


def test_the_recognised_list_downloads_only_for_a_commune(client, report_data, province_staff):
    url = reverse("reports:recognised-list-pdf")
    assert _get(client, province_staff, url, year=2026).status_code == 404


def test_the_sibling_cannot_read_the_recognised_list_of_another_commune(
    client, report_data, sibling_officer
):
    url = reverse("reports:recognised-list-xlsx")
    response = _get(client, sibling_officer, url, year=2026, unit=report_data["commune"].pk)
    assert response.status_code == 404


# --- query count of the page -------------------------------------------------------------


def _page_queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_page_makes_the_same_queries_for_a_small_and_a_large_subtree(
    client, report_data, province_staff
):
    client.force_login(province_staff)
    small = _page_queries(client, YEARLY, year=2026, view="today")
    for n in range(15):
        commune = make_unit(f"Xã Thêm {n}", Level.COMMUNE, report_data["province"])
        add_files(commune, 2026, recognized=2, registered=3)
        add_figures(commune, 2026, 100, 1000)
    large = _page_queries(client, YEARLY, year=2026, view="today")
    assert small == large


def test_the_recognised_list_keeps_its_query_count_with_more_communes_and_titles(
    client, report_data, province_staff
):
    client.force_login(province_staff)
    commune = report_data["old_commune"].pk
    small = (
        _page_queries(client, RECOGNISED, year=2024),
        _page_queries(client, RECOGNISED, year=2024, unit=commune),
    )
    add_files(report_data["old_commune"], 2024, recognized=12)
    add_files(report_data["old_commune"], 2024, ModelKind.CLAN, recognized=3)
    for n in range(6):
        other = make_unit(f"Xã Thêm {n}", Level.COMMUNE, report_data["province"])
        add_files(other, 2024, recognized=2)
    large = (
        _page_queries(client, RECOGNISED, year=2024),
        _page_queries(client, RECOGNISED, year=2024, unit=commune),
    )
    assert small == large
    listed = client.get(RECOGNISED, {"year": 2024}).context["communes"]
    assert sum(c["name"].startswith("Xã Thêm") for c in listed) == 6
    for n in range(6, 30):
        other = make_unit(f"Xã Thêm {n}", Level.COMMUNE, report_data["province"])
        add_files(other, 2024, recognized=1)
    first = client.get(RECOGNISED, {"year": 2024})
    assert len(first.context["communes"]) == 25  # a page of communes, the totals above it
    total = first.context["communes"].paginator.count
    assert f"{total} xã, tổng cộng" in first.text
    assert _page_queries(client, RECOGNISED, year=2024) == small[0]
    for page in ("2", "x", "-1", "999999999999999999999"):
        response = client.get(RECOGNISED, {"year": 2024, "page": page})
        assert response.status_code == 200
        assert response.context["recognised_total"] == first.context["recognised_total"]
    items = client.get(RECOGNISED, {"year": 2024, "unit": commune}).context["listing"]["items"]
    assert len(items) == 8 + 15


def test_a_commune_that_ended_before_the_year_says_so_and_names_the_unit_of_that_year(
    client, report_data, province_staff
):
    """A 2025 report of a commune that ended in 2019 said "did not exist" (chưa có) and
    suggested the view mapped onto today, which answers 400 for an ended unit."""
    import datetime

    from units.models import ChangeKind, UnitChange

    ta_leng = make_unit(
        "Xã Tà Lèng",
        Level.COMMUNE,
        report_data["district"],
        valid_to=datetime.date(2019, 12, 31),
    )
    UnitChange.objects.create(
        predecessor=ta_leng,
        successor=report_data["old_commune"],
        kind=ChangeKind.MERGE,
        date=datetime.date(2020, 1, 1),
    )
    UnitChange.objects.get_or_create(
        predecessor=report_data["old_commune"],
        successor=report_data["commune"],
        defaults={"kind": ChangeKind.MERGE, "date": datetime.date(2025, 7, 1)},
    )
    for year, holder in ((2025, report_data["commune"]), (2022, report_data["old_commune"])):
        response = _get(client, province_staff, YEARLY, year=year, unit=ta_leng.pk)
        assert response.status_code == 200
        advice = response.text.split('data-testid="ended-advice"', 1)[1].split("</div>", 1)[0]
        assert "đã kết thúc ngày 31/12/2019" in advice
        assert holder.name in advice and f"unit={holder.pk}" in advice
        assert "view=today" not in advice and "chưa" not in advice
        assert _get(client, province_staff, YEARLY, year=year, unit=holder.pk).status_code == 200
