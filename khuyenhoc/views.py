import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .middleware import DATABASE_OUTAGE, outage_response


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


ROBOTS = """User-agent: *
Disallow: /portal/
Disallow: /admin/
Disallow: /accounts/
Disallow: /i18n/
Disallow: /verify/
Disallow: /recognitions/?
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
