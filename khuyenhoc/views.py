from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from units.scoping import scope_of
from units.selectors import headline_figures

from .models import Job


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """For load balancers: ok only after a real query reached the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@require_GET
def public_home(request):
    return render(request, "khuyenhoc/public_home.html", {"figures": headline_figures()})


def portal_home(request):
    scope = scope_of(request.user)
    return render(request, "khuyenhoc/portal_home.html", {"memberships": scope.memberships})


def _jobs_of(user):
    return Job.objects.all() if user.is_superuser else Job.objects.filter(requested_by=user)


def job_detail(request, pk):
    job = get_object_or_404(_jobs_of(request.user), pk=pk)
    template = (
        "khuyenhoc/partials/job_progress.html" if request.htmx else "khuyenhoc/job_detail.html"
    )
    return render(request, template, {"job": job})


def job_download(request, pk):
    job = get_object_or_404(_jobs_of(request.user), pk=pk)
    if not job.result:
        raise Http404
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)
