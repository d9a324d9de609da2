import datetime
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import Error, connection, models
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.backend import DatabaseBackend

from jobs import reaper, runner
from jobs.models import WorkerBeat
from lib import optional_cache
from lib.errors import DATABASE_OUTAGE

from .middleware import outage_response


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 while the database answers, "degraded" when the
    cache, the worker or a job is not well; 503 when the database does not answer.

    `worker` is the age in seconds of the newest worker's sign of life (null: none ever),
    `stuck_jobs` the running jobs silent past JOB_STALE_AFTER (the reaper's next catch).
    """
    cache_state = "ok" if optional_cache.attempt(_cache_answers, default=False) else "error"
    try:
        seen, stuck = _worker_and_stuck_jobs()
    except Error:
        return JsonResponse(
            {
                "status": "error",
                "database": "error",
                "cache": cache_state,
                "worker": None,
                "stuck_jobs": None,
            },
            status=503,
        )
    worker = round((timezone.now() - seen).total_seconds(), 1) if seen else None
    worker_down = _needs_worker() and (worker is None or worker > settings.JOB_STALE_AFTER)
    well = cache_state == "ok" and not worker_down and not stuck
    return JsonResponse(
        {
            "status": "ok" if well else "degraded",
            "database": "ok",
            "cache": cache_state,
            "worker": worker,
            "stuck_jobs": stuck,
        }
    )


def _worker_and_stuck_jobs():
    """The newest worker's sign of life and the count of stuck jobs, in one query: under load
    each round trip to the database costs this thread a wait for its turn to run."""
    stuck, params = reaper.stuck_jobs().values("pk").query.sql_with_params()
    beats = connection.ops.quote_name(WorkerBeat._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(seen_at) FROM {beats}), (SELECT COUNT(*) FROM ({stuck}) stuck)",
            params,
        )
        seen, count = cursor.fetchone()
    if isinstance(seen, str):  # SQLite hands the raw text to a cursor
        seen = models.DateTimeField().to_python(seen)
    if seen is not None and timezone.is_naive(seen):
        seen = timezone.make_aware(seen, datetime.UTC)
    return seen, count


def _cache_answers(cache):
    cache.get("healthz")
    return True


def _needs_worker():
    """Jobs wait for a worker (the database backend), rather than running in the request."""
    return isinstance(runner.run_job.get_backend(), DatabaseBackend)


ROBOTS = """User-agent: *
Disallow: /portal/
Disallow: /admin/
Disallow: /accounts/
Disallow: /i18n/
Disallow: /verify/
Disallow: /recognitions/?
Disallow: /recognitions/units/
Disallow: /centers/?
Disallow: /stats/?
Sitemap: {sitemap}
"""


@login_not_required
@require_GET
def robots_txt(request):
    """Crawlers may read the public sections, not the staff pages, the certificate checks or
    endless combinations of search filters."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")


def server_error(request):
    """Django's 500 page, unless the error is the database out of reach (met outside a view,
    e.g. the session read or saved by a middleware): then the outage page, 503."""
    if isinstance(sys.exc_info()[1], DATABASE_OUTAGE):
        return outage_response()
    return defaults.server_error(request)
