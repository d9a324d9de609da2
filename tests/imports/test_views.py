"""The import pages: templates to download, the upload form, the check's page, the import."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from models_learning.models import Registration
from tests.imports.conftest import YEAR, check, filled, household_row, upload, xlsx_upload
from transfers.models import ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db
INDEX = reverse("imports:index")


def template_url(kind, unit):
    return f"{reverse('imports:template', args=[kind])}?unit={unit.pk}"


def test_the_officer_sees_the_templates_of_their_commune(client, officer, villages, tree):
    client.force_login(officer)
    page = client.get(INDEX)
    assert page.status_code == 200
    assert template_url("households", tree["commune"]) in page.text
    assert "Gia đình học tập" in page.text and "Tự đánh giá TTHTCĐ" in page.text
    assert list(page.context["form"].fields["unit"].queryset) == [tree["commune"]]


def test_province_staff_without_the_officer_role_are_told_why_they_cannot_import(
    client, province_staff
):
    client.force_login(province_staff)
    page = client.get(INDEX)
    assert page.status_code == 200
    assert 'data-testid="no-commune"' in page.text


def test_province_staff_with_the_officer_role_choose_a_commune_first(
    client, province_officer, villages, tree
):
    client.force_login(province_officer)
    page = client.get(INDEX)
    assert set(page.context["form"].fields["unit"].queryset) == {tree["commune"], tree["sibling"]}
    assert page.context["several_communes"]
    assert page.context["unit"] is None
    page = client.get(INDEX, {"unit": tree["sibling"].pk})
    assert template_url("clans", tree["sibling"]) in page.text
    response = client.get(reverse("imports:template", args=["clans"]))
    assert response.status_code == 302
    assert response["Location"] == f"{INDEX}?kind=clans"


def test_the_template_is_an_xlsx_with_headers_instructions_and_the_communes_lists(
    client, officer, villages, tree
):
    client.force_login(officer)
    response = client.get(template_url("households", tree["commune"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "mau-gia-dinh-hoc-tap.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Gia đình học tập", "Hướng dẫn", "_lists", "_meta"]
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert headers[:6] == [
        "Họ tên chủ hộ",
        "Năm sinh chủ hộ",
        "Thôn, bản",
        "Địa chỉ",
        "Điện thoại",
        "Năm đăng ký",
    ]
    lists = book["_lists"]
    columns = {
        lists.cell(row=1, column=c).value: [
            lists.cell(row=r, column=c).value for r in range(2, lists.max_row + 1)
        ]
        for c in range(1, lists.max_column + 1)
    }
    assert [v for v in columns["Thôn, bản"] if v] == [v.name for v in villages]
    assert YEAR in columns["Năm đăng ký"]
    instructions = " ".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row)
    assert "Mỗi hộ một dòng" in instructions


def test_each_kind_has_a_template(client, officer, villages, center, tree):
    client.force_login(officer)
    for kind in ("households", "clans", "communities", "center-reports", "center-scores"):
        response = client.get(template_url(kind, tree["commune"]))
        assert response.status_code == 200, kind
    book = load_workbook(
        io.BytesIO(client.get(template_url("center-scores", tree["commune"])).content)
    )
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert headers[:6] == [
        "Trung tâm học tập cộng đồng",
        "Năm",
        "Tiêu chí 1",
        "Tiêu chí 2",
        "Tiêu chí 3",
        "Tiêu chí 4",
    ]


def test_a_template_of_another_commune_or_kind_is_not_found(client, officer, tree):
    client.force_login(officer)
    assert client.get(template_url("households", tree["sibling"])).status_code == 404
    assert client.get(template_url("nothing", tree["commune"])).status_code == 404


def test_the_check_page_lists_counts_and_each_problem_by_row_and_column(
    client, officer, villages, tree
):
    client.force_login(officer)
    rows = [household_row(villages[0]), household_row(villages[1], name="Lò Thị Ơn", year=YEAR + 5)]
    response = upload(
        client, "households", tree["commune"], filled("households", tree["commune"], rows)
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:batch-detail", args=[batch.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.text
    assert 'data-count="new">1<' in text and 'data-count="invalid">1<' in text
    assert "<td>3</td><td>Năm đăng ký</td>" in text
    assert "Chỉ nhập 1 dòng hợp lệ" in text
    assert 'value="all"' not in text  # importing all needs every row valid
    assert "Tải lên tệp đã sửa" in text


def test_importing_from_the_page_shows_the_result_and_the_list(client, officer, villages, tree):
    client.force_login(officer)
    data = filled("households", tree["commune"], [household_row(villages[0])])
    upload(client, "households", tree["commune"], data)
    batch = ImportBatch.objects.get()
    page = client.get(reverse("imports:batch-detail", args=[batch.pk]))
    assert "Nhập tất cả 1 dòng" in page.text
    response = client.post(reverse("imports:batch-import", args=[batch.pk]), {"mode": "all"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Đã nhập xong tệp." in page.text
    assert "1 mới, 0 cập nhật, 0 không đổi, 0 bỏ qua." in page.text
    assert f"?kind=family&amp;unit={tree['commune'].pk}" in page.text
    assert Registration.objects.count() == 1
    recent = client.get(INDEX)
    assert reverse("imports:batch-detail", args=[batch.pk]) in recent.text


def test_a_bad_choice_of_rows_or_a_refused_import_is_a_message_not_an_error(
    client, officer, villages, tree
):
    client.force_login(officer)
    rows = [household_row(villages[0], name="")]
    upload(client, "households", tree["commune"], filled("households", tree["commune"], rows))
    batch = ImportBatch.objects.get()
    url = reverse("imports:batch-import", args=[batch.pk])
    for mode in ("everything", "all", "valid"):
        response = client.post(url, {"mode": mode}, follow=True)
        assert response.status_code == 200
        assert response.context["messages"]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY
    assert not Registration.objects.exists()


def test_the_upload_form_refuses_a_missing_file_next_to_the_field(client, officer, tree):
    client.force_login(officer)
    response = client.post(
        reverse("imports:upload"), {"kind": "households", "unit": tree["commune"].pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


def test_the_upload_url_only_takes_posts(client, officer):
    client.force_login(officer)
    assert client.get(reverse("imports:upload")).status_code == 405


def test_an_unknown_kind_is_refused_by_the_form(client, officer, villages, tree):
    client.force_login(officer)
    data = filled("households", tree["commune"], [household_row(villages[0])])
    response = client.post(
        reverse("imports:upload"),
        {"kind": "passwords", "unit": tree["commune"].pk, "file": xlsx_upload(data)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]


def test_the_index_lists_the_recent_imports_in_a_fixed_number_of_queries(
    client, officer, villages, tree
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(INDEX)
        assert page.status_code == 200
        return len(captured), len(page.context["page_obj"])

    data = filled("households", tree["commune"], [household_row(villages[0])])
    client.force_login(officer)
    check(officer, "households", tree["commune"], data)
    one = queries()
    for _n in range(26):
        check(officer, "households", tree["commune"], data)
    many = queries()
    assert (one[1], many[1]) == (1, 25)
    assert one[0] == many[0]
    last = client.get(INDEX, {"page": 2})
    assert len(last.context["page_obj"]) == 2
    assert "27 tệp" in last.text  # the total on every page
    for page in ("x", "0", "-3", "99999999999999999999999", "2.5"):
        response = client.get(INDEX, {"page": page})
        assert response.status_code == 200
        assert response.context["page_obj"].number in (1, 2)
