"""An organisation's staff list imported through the import engine: the commune's template,
filled in, checked row by row (a wrong organisation, a missing year refused), imported, and
importing it again changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from citizens.models import StaffMember
from tests.citizens.builders import organisation_of
from tests.files import body
from transfers.imports import services as import_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _upload(officer, commune, book):
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("nhan-su.xlsx", data.getvalue())
    return import_services.check_upload(by=officer, kind="staff", unit=commune, upload=upload)


def test_a_staff_list_with_two_wrong_rows_is_fixed_and_imported(client, officer, tree):
    school = organisation_of(tree["commune"], "Trường Tiểu học Mường Phăng", kind="school")
    organisation_of(tree["sibling"], "Trường THCS Mường Thanh", kind="school")
    client.force_login(officer)
    response = client.get(reverse("imports:template", args=["staff"]), {"unit": tree["commune"].pk})
    book = load_workbook(io.BytesIO(body(response)))
    sheet = book.worksheets[0]
    columns = {cell.value: cell.column for cell in sheet[1]}
    people = [
        ("Trường Tiểu học Mường Phăng", f"Giáo viên {n}", 1980 + n, "Giáo viên", 2015, None)
        for n in range(8)
    ]
    people.append(("Trường THCS Mường Thanh", "Người Xã Khác", 1985, "", 2020, None))  # wrong
    people.append(("truong tieu hoc muong phang", "Lò Thị Hoa", 1990, "Kế toán", None, None))
    for row, person in enumerate(people, start=2):
        for label, value in zip(
            ["Đơn vị", "Họ và tên", "Năm sinh", "Chức vụ", "Làm việc từ năm", "Nghỉ năm"],
            person,
            strict=True,
        ):
            sheet.cell(row, columns[label]).value = value
    batch = _upload(officer, tree["commune"], book)
    assert (batch.count("new"), batch.count("invalid")) == (8, 2)
    assert {p["column"] for p in batch.problems} == {"Đơn vị", "Làm việc từ năm"}
    assert not StaffMember.objects.exists()

    sheet.cell(10, columns["Đơn vị"]).value = "Trường Tiểu học Mường Phăng"
    sheet.cell(11, columns["Làm việc từ năm"]).value = 2021
    batch = _upload(officer, tree["commune"], book)
    assert (batch.count("new"), batch.count("invalid")) == (10, 0)
    import_services.import_batch(batch, by=officer, mode="all")
    assert StaffMember.objects.filter(organisation=school).count() == 10
    assert StaffMember.objects.get(name="Lò Thị Hoa").first_year == 2021

    sheet.cell(2, columns["Nghỉ năm"]).value = 2024  # one left
    again = _upload(officer, tree["commune"], book)
    assert (again.count("unchanged"), again.count("updated")) == (9, 1)
    import_services.import_batch(again, by=officer, mode="all")
    assert StaffMember.objects.get(name="Giáo viên 0").last_year == 2024

    sheet.cell(11, columns["Họ và tên"]).value = "Lò Thị Hóa"  # only the diacritics corrected
    fixed = _upload(officer, tree["commune"], book)
    assert (fixed.count("unchanged"), fixed.count("updated")) == (9, 1)
    import_services.import_batch(fixed, by=officer, mode="all")
    assert StaffMember.objects.filter(name="Lò Thị Hóa").exists()
    assert not StaffMember.objects.filter(name="Lò Thị Hoa").exists()
