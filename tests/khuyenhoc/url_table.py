from django.core.files.base import ContentFile

from jobs.models import Job, JobStatus
from tests.urltable import Row, staff


def _officer_job(request):
    """A finished job of the commune officer, with a file to download."""
    request.getfixturevalue("settings").PRIVATE_MEDIA_ROOT = request.getfixturevalue("tmp_path")
    job = Job.objects.create(
        kind="test",
        title="Danh sách",
        requested_by=request.getfixturevalue("officer"),
        status=JobStatus.DONE,
        result_name="danh-sach.pdf",
    )
    job.result.save("danh-sach.pdf", ContentFile(b"%PDF-1.4 test"))
    return {"pk": job.pk}


# A job belongs to the person who started it; anyone else gets a 404.
OWNER_ONLY = staff(sibling_officer=404, province_staff=404)

ROWS = [
    Row("portal-home", staff()),
    Row("jobs:job-detail", OWNER_ONLY, kwargs=_officer_job),
    Row("jobs:job-download", OWNER_ONLY, kwargs=_officer_job),
]
