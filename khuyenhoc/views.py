from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from units.scoping import scope_of
from units.selectors import headline_figures


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
