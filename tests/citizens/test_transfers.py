"""The learning citizens' sheet: a village's template (the export of its adults), filled in,
checked row by row, fixed and imported; the commune's export with its official code."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from citizens.models import CitizenResult
from tests.citizens.builders import adults_of, household_of, village_of
from tests.files import body
from transfers.imports import services as import_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def forty(village, citizen_criteria):
    """Twenty households of the village, forty adults and twenty children."""
    return [household_of(village, head=f"Lò Văn Hộ {n:02}", adults=2) for n in range(20)]


def _template(client, village):
    url = reverse("exports:citizens-xlsx")
    response = client.get(url, {"village": village.pk, "year": 2026})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(body(response)))


def _columns(sheet):
    return {cell.value: cell.column for cell in sheet[1]}


def _upload(officer, commune, book, name="cdht.xlsx"):
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile(name, data.getvalue())
    return import_services.check_upload(by=officer, kind="citizens", unit=commune, upload=upload)


def test_a_village_s_forty_adults_with_three_wrong_rows_are_fixed_and_imported(
    client, officer, tree, village, forty, sibling_officer
):
    client.force_login(officer)
    book = _template(client, village)
    sheet = book.worksheets[0]
    columns = _columns(sheet)
    rows = list(range(2, sheet.max_row + 1))
    assert len(rows) == 40  # adults only, the children are not listed
    for number, row in enumerate(rows):
        sheet.cell(row, columns["Công dân học tập"]).value = "Đạt" if number % 2 else "Chưa đạt"
        sheet.cell(row, columns["Kỹ năng số"]).value = "Có" if number % 4 == 1 else "Không"
    stranger = adults_of(household_of(village_of(tree["sibling"], "Tổ 1"), head="Người Khác"))[0]
    originals = {
        "member": sheet.cell(rows[0], columns["Mã người"]).value,
        "name": sheet.cell(rows[1], columns["Họ và tên"]).value,
    }
    sheet.cell(rows[0], columns["Mã người"]).value = stranger.pk  # another commune's person
    sheet.cell(rows[1], columns["Họ và tên"]).value = "Tên Gõ Nhầm"  # a row moved
    sheet.cell(rows[2], columns["Kỹ năng số"]).value = None  # forgotten

    batch = _upload(officer, tree["commune"], book)
    assert (batch.count("new"), batch.count("invalid")) == (37, 3)
    assert {p["column"] for p in batch.problems} >= {"Mã người", "Họ và tên", "Kỹ năng số"}
    assert not CitizenResult.objects.exists()  # checking writes nothing

    sheet.cell(rows[0], columns["Mã người"]).value = originals["member"]
    sheet.cell(rows[1], columns["Họ và tên"]).value = originals["name"]
    sheet.cell(rows[2], columns["Kỹ năng số"]).value = "Không"
    batch = _upload(officer, tree["commune"], book)
    assert (batch.count("new"), batch.count("invalid")) == (40, 0)
    import_services.import_batch(batch, by=officer, mode="all")
    assert CitizenResult.objects.count() == 40
    assert CitizenResult.objects.filter(achieved=True).count() == 20
    assert set(CitizenResult.objects.values_list("source", flat=True)) == {"imported"}

    again = _upload(officer, tree["commune"], book)
    assert (again.count("unchanged"), again.count("new")) == (40, 0)


def test_the_commune_export_has_the_official_code_and_the_results(
    client, officer, tree, village, forty
):
    head = adults_of(forty[0])[0]
    from citizens import services

    services.record_result(
        head, by=officer, year=2026, answers={str(n): True for n in range(1, 6)},
        digital_skills=True,
    )  # fmt: skip
    client.force_login(officer)
    response = client.get(reverse("exports:citizens-xlsx"), {"year": 2026})
    sheet = load_workbook(io.BytesIO(body(response))).worksheets[0]
    columns = _columns(sheet)
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 40
    first = next(v for v in values if v[columns["Mã người"] - 1] == head.pk)
    assert first[columns["Mã xã"] - 1] == "3325"
    assert first[columns["Công dân học tập"] - 1] == "Đạt"
    assert first[columns["Kỹ năng số"] - 1] == "Có"


def test_another_commune_s_export_or_village_is_a_404(client, sibling_officer, tree, village):
    client.force_login(sibling_officer)
    url = reverse("exports:citizens-xlsx")
    assert client.get(url, {"unit": tree["commune"].pk}).status_code == 404
    assert client.get(url, {"village": village.pk}).status_code == 404
    assert client.get(url, {"unit": "x"}).status_code == 404
