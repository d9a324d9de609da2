import io

import openpyxl
import pytest
from django.urls import reverse

from jobs.models import Job, JobStatus
from tests.files import body, stored
from units.models import Membership
from units.scoping import forget_scope

from .builders import YEAR, recognised_family, revoked_family
from .pdfs import qr_texts, reader, text_of

pytestmark = pytest.mark.django_db

BATCH_URL = "/portal/certificates/"


@pytest.fixture
def families(tree, officer, province_staff):
    """Three recognised families of Xã Mường Phăng (one decision) and one revoked."""
    commune = tree["commune"]
    kept = [
        recognised_family(officer, province_staff, commune, name=name, village=village)
        for name, village in [
            ("Nguyễn Văn Ẩn", "Bản Co Muông"),
            ("Lường Thị Ơn", "Bản Tẩu Pung"),
            ("Hoàng Đức Ưng", "Bản Co Muông"),
        ]
    ]
    gone = revoked_family(officer, province_staff, commune, name="Quàng Thị Ưởng")
    return kept, gone


def start(client, commune, output, **fields):
    data = {"unit": commune.pk, "year": YEAR, "kind": "", "output": output, **fields}
    return client.post(BATCH_URL, data)


def test_batch_form_offers_only_the_communes_the_officer_may_see(client, officer, tree):
    client.force_login(officer)
    page = client.get(BATCH_URL)
    assert page.status_code == 200
    choices = {unit.pk for unit in page.context["form"].fields["unit"].queryset}
    assert tree["commune"].pk in choices
    assert tree["old_commune"].pk in choices  # its predecessor, through lineage
    assert tree["sibling"].pk not in choices


def test_certificate_batch_runs_as_a_job_with_one_page_per_certificate(
    client, officer, families, django_capture_on_commit_callbacks, tree
):
    kept, gone = families
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, tree["commune"], "certificates")
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job-detail", args=[job.pk])
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    assert job.kind == "certificates-batch"
    assert job.result_name == f"giay-cong-nhan-xa-muong-phang-{YEAR}.pdf"
    pdf = reader(stored(job.result))
    assert len(pdf.pages) == 3
    codes = [qr_texts(page)[0].rsplit("/", 2)[-2] for page in pdf.pages]
    assert sorted(codes) == sorted(r.certificate_code for r in kept)
    text = text_of(stored(job.result))
    assert "Lường Thị Ơn" in text
    assert gone.certificate_code not in text
    page = client.get(response["Location"])
    assert reverse("jobs:job-download", args=[job.pk]) in page.text


def test_progress_is_reported_for_each_certificate(
    client, officer, families, django_capture_on_commit_callbacks, tree, monkeypatch
):
    from jobs import runner as job_module

    seen = []
    real = job_module._progress_of

    def recording(job):
        progress = real(job)

        def report(done, total=None):
            seen.append((done, total))
            progress(done, total)

        return report

    monkeypatch.setattr(job_module, "_progress_of", recording)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, tree["commune"], "certificates")
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_decision_list_as_excel_has_one_row_per_recognition(
    client, officer, families, django_capture_on_commit_callbacks, tree
):
    kept, _gone = families
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, tree["commune"], "list-xlsx")
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.message
    assert job.result_name == f"danh-sach-xa-muong-phang-{YEAR}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(stored(job.result)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("STT", "Tên", "Thôn, bản", "Danh hiệu", "Số quyết định", "Mã giấy công nhận")
    body = rows[1:]
    assert [row[0] for row in body] == [1, 2, 3]
    assert [row[1] for row in body] == ["Hoàng Đức Ưng", "Nguyễn Văn Ẩn", "Lường Thị Ơn"]
    assert [row[2] for row in body] == ["Bản Co Muông", "Bản Co Muông", "Bản Tẩu Pung"]
    assert {row[3] for row in body} == {"Gia đình học tập"}
    by_name = {r.registration.subject_name: r for r in kept}
    for row in body:
        assert row[4] == by_name[row[1]].decision_number
        assert row[5] == by_name[row[1]].certificate_code


def test_excel_list_cells_cannot_run_as_formulas(
    client, officer, province_staff, tree, django_capture_on_commit_callbacks
):
    recognised_family(officer, province_staff, tree["commune"], name="=HYPERLINK(1)")
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, tree["commune"], "list-xlsx")
    book = openpyxl.load_workbook(io.BytesIO(stored(Job.objects.get().result)))
    cell = book.worksheets[0]["B2"]
    assert cell.value == "'=HYPERLINK(1)"
    assert cell.data_type == "s"


def test_decision_list_pdf_lists_one_decision(
    client, officer, province_staff, tree, families, django_capture_on_commit_callbacks
):
    other = recognised_family(
        officer, province_staff, tree["commune"], name="Cầm Văn Khởi", number="99/QĐ-HKH"
    )
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, tree["commune"], "list-pdf", decision_number="99/QĐ-HKH")
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.message
    assert job.result_name.endswith(".pdf")
    text = text_of(stored(job.result))
    assert "Cầm Văn Khởi" in text
    assert other.certificate_code in text
    assert "Kèm theo Quyết định số 99/QĐ-HKH ngày 20/11/2026" in text
    assert "Nguyễn Văn Ẩn" not in text
    assert "Quàng Thị Ưởng" not in text


def test_an_empty_selection_is_refused_on_the_form(client, officer, tree, families):
    client.force_login(officer)
    response = start(client, tree["commune"], "certificates", decision_number="1/KHÔNG-CÓ")
    assert response.status_code == 200
    assert "Không có công nhận nào" in response.text
    assert not Job.objects.exists()


def test_another_commune_cannot_be_chosen(client, sibling_officer, tree, families):
    client.force_login(sibling_officer)
    response = start(client, tree["commune"], "certificates")
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not Job.objects.exists()


@pytest.mark.parametrize("year", ["", "abc", "99999", "-1"])
def test_bad_year_is_answered_next_to_the_field(client, officer, tree, year):
    client.force_login(officer)
    response = client.post(
        BATCH_URL, {"unit": tree["commune"].pk, "year": year, "output": "certificates"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"]


def test_runner_checks_scope_again_when_it_runs(
    client, officer, tree, families, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        start(client, tree["commune"], "certificates")
    Membership.objects.filter(user=officer).delete()
    forget_scope(officer)
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert not job.result
    assert "không còn" in job.message


def test_job_page_and_download_belong_to_the_person_who_asked(
    client, officer, province_staff, tree, families, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, tree["commune"], "certificates")
    job = Job.objects.get()
    download = client.get(reverse("jobs:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert body(download).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")
    client.force_login(province_staff)
    assert client.get(reverse("jobs:job-download", args=[job.pk])).status_code == 404
