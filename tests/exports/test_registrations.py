"""Registrations and recognitions out to Excel and CSV: the rows the list shows, no more."""

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from models_learning.models import CriteriaSet
from models_learning.workflow import Status
from tests.exports.conftest import body, csv_rows, xlsx_rows
from tests.models_learning.factories import bulk_registrations, recognised_family, register_family

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
XLSX = reverse("exports:registrations-xlsx")
CSV = reverse("exports:registrations-csv")


@pytest.fixture
def families(officer, sibling_officer, province_staff, village, sibling_village):
    piếng = register_family(officer, village, year=YEAR, head_name="Lò Văn Piếng", phone="0912")
    ơn = recognised_family(
        officer, province_staff, village, year=YEAR, head_name="Lò Thị Ơn", head_birth_year=1980
    )
    register_family(officer, village, year=YEAR - 1, head_name="Cà Văn Cường")
    register_family(sibling_officer, sibling_village, year=YEAR, head_name="Vì Thị Hoa")
    return {"piếng": piếng, "ơn": ơn}


def names(rows, column=0):
    return sorted(row[column] for row in rows[1:])


def test_the_excel_export_holds_the_officers_rows_with_the_lists_columns(client, officer, families):
    client.force_login(officer)
    response = client.get(XLSX)
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"ho-so-dang-ky-{timezone.localdate():%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert rows[0] == [
        "Tên", "Danh hiệu", "Năm", "Xã, phường", "Thôn, bản", "Năm sinh chủ hộ",
        "Trạng thái", "Bị trả lại để bổ sung", "Tổng điểm", "Số quyết định", "Mã giấy công nhận",
    ]  # fmt: skip
    assert names(rows) == ["Cà Văn Cường", "Lò Thị Ơn", "Lò Văn Piếng"]
    recognised = next(row for row in rows if row[0] == "Lò Thị Ơn")
    assert recognised[1:8] == [
        "Gia đình học tập", YEAR, "Xã Mường Phăng", "Bản Co Muông", 1980, "Được công nhận", None,
    ]  # fmt: skip
    assert recognised[10] == families["ơn"].recognition.certificate_code


def test_the_lists_filters_apply_to_the_export(client, officer, families):
    client.force_login(officer)
    assert names(xlsx_rows(client.get(XLSX, {"year": YEAR - 1}))) == ["Cà Văn Cường"]
    assert names(xlsx_rows(client.get(XLSX, {"q": "lo thi on"}))) == ["Lò Thị Ơn"]
    assert names(xlsx_rows(client.get(XLSX, {"status": Status.REGISTERED, "year": YEAR}))) == [
        "Lò Văn Piếng"
    ]
    sorted_by_name = xlsx_rows(client.get(XLSX, {"sort": "-name"}))
    assert [row[0] for row in sorted_by_name[1:]] == ["Lò Văn Piếng", "Lò Thị Ơn", "Cà Văn Cường"]


def test_province_staff_export_every_commune(client, province_staff, families):
    client.force_login(province_staff)
    assert "Vì Thị Hoa" in names(xlsx_rows(client.get(XLSX)))


def test_a_title_filter_exports_the_import_templates_columns(client, officer, families):
    client.force_login(officer)
    rows = xlsx_rows(client.get(XLSX, {"kind": "family", "year": YEAR}))
    assert rows[0] == [
        "Họ tên chủ hộ", "Năm sinh chủ hộ", "Thôn, bản", "Địa chỉ", "Điện thoại",
        "Năm đăng ký", "Xã, phường", "Trạng thái",
    ]  # fmt: skip
    assert [
        "Lò Văn Piếng",
        1975,
        "Bản Co Muông",
        None,
        "0912",
        YEAR,
        "Xã Mường Phăng",
        "Đã đăng ký",
    ] in rows


def test_the_csv_export_is_streamed_in_utf8_with_a_bom(client, officer, families):
    client.force_login(officer)
    response = client.get(CSV, {"year": YEAR})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0][0] == "Tên"
    assert sorted(row[0] for row in rows[1:]) == ["Lò Thị Ơn", "Lò Văn Piếng"]


def test_text_that_a_spreadsheet_would_run_is_neutralised(client, officer, village):
    register_family(officer, village, year=YEAR, head_name='=HYPERLINK("http://x.vn","Bấm")')
    register_family(officer, village, year=YEAR, head_name="@SUM(1+1)", phone="+84 912")
    client.force_login(officer)
    rows = xlsx_rows(client.get(XLSX, {"kind": "family"}))
    assert '\'=HYPERLINK("http://x.vn","Bấm")' in [row[0] for row in rows]
    assert ["'@SUM(1+1)", "'+84 912"] in [[row[0], row[4]] for row in rows]
    text = body(client.get(CSV, {"kind": "family"})).decode()
    assert "'@SUM(1+1)" in text and "\"'=HYPERLINK(" in text
    assert "\n=" not in text and ",=" not in text and ",@" not in text


def test_recognitions_export_the_recognised_rows_of_the_list(client, officer, families):
    client.force_login(officer)
    rows = xlsx_rows(client.get(reverse("exports:recognitions-xlsx")))
    assert rows[0][:4] == ["Mã giấy công nhận", "Tên", "Danh hiệu", "Năm"]
    recognition = families["ơn"].recognition
    assert rows[1][:3] == [recognition.certificate_code, "Lò Thị Ơn", "Gia đình học tập"]
    assert rows[1][6] == recognition.decision_number
    assert len(rows) == 2


def test_the_query_count_does_not_grow_with_the_rows(
    client, officer, village, tree, django_assert_max_num_queries
):
    criteria_set = CriteriaSet.objects.filter(kind="family", is_current=True).first()
    bulk_registrations(300, unit=tree["commune"], village=village, criteria_set=criteria_set)
    client.force_login(officer)
    for url, params in (
        (XLSX, {}),
        (CSV, {"q": "quang", "year": 2026}),
        (XLSX, {"kind": "family"}),
        (reverse("exports:recognitions-csv"), {}),
    ):
        # session, user, memberships, lineage (2), the unit choice's upper units, the rows
        with django_assert_max_num_queries(7):
            response = client.get(url, params)
            content = body(response)
        assert content
    rows = csv_rows(client.get(CSV))
    assert len(rows) == 301
