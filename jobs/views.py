from django.http import Http404
from django.shortcuts import get_object_or_404, render

from lib.storage import private_file_response

from .models import Job


def _jobs_of(user):
    return Job.objects.all() if user.is_superuser else Job.objects.filter(requested_by=user)


def job_detail(request, pk):
    """A job's progress (refreshed by htmx while it runs), then its result."""
    job = get_object_or_404(_jobs_of(request.user), pk=pk)
    template = "jobs/partials/job_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, {"job": job})


def job_download(request, pk):
    job = get_object_or_404(_jobs_of(request.user), pk=pk)
    if not job.result:
        raise Http404
    return private_file_response(job.result, filename=job.result_name)
