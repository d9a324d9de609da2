import pytest

from jobs import runner
from jobs.models import Job, JobStatus
from tests.files import stored

pytestmark = pytest.mark.django_db


@runner.register("test-file")
def _make_file(job, progress):
    for done in range(1, 4):
        progress(done, 3)
    return runner.Result("ket-qua.txt", f"{job.params['n']} dòng".encode(), {"rows": 3})


@runner.register("test-fails")
def _fail(job, progress):
    progress(1, 10)
    raise ValueError("Dòng 7: thiếu tên chủ hộ")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_job_runs_after_commit_records_progress_and_keeps_its_file(
    officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.start_job("test-file", by=officer, title="Tệp", params={"n": 3})
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.summary == {"rows": 3}
    assert stored(job.result).decode() == "3 dòng"


def test_a_failing_job_is_marked_failed_with_its_message(
    officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.start_job("test-fails", by=officer, title="Lỗi")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Dòng 7" in job.message
    assert job.finished_at is not None


def test_an_unknown_kind_is_refused_before_anything_is_recorded(officer):
    with pytest.raises(KeyError):
        runner.start_job("no-such-kind", by=officer, title="?")
    assert not Job.objects.exists()


def test_job_page_shows_progress_and_refreshes_itself_while_running(client, officer):
    job = Job.objects.create(
        kind="test-file", title="Giấy công nhận", requested_by=officer, done=2, total=8
    )
    client.force_login(officer)
    page = client.get(f"/portal/jobs/{job.pk}/")
    assert page.status_code == 200
    assert 'value="25"' in page.text
    assert 'http-equiv="refresh"' in page.text
    fragment = client.get(f"/portal/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert fragment.text.lstrip().startswith("<section")
    assert 'hx-trigger="every 2s"' in fragment.text
