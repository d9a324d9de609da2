"""The association's emblem when PORTAL_EMBLEM names a file of the province's own.

The portal's own emblem is a static file (whitenoise); a configured one lives outside the
static files, so this view serves exactly that file and nothing else.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from lib import province


@login_not_required
@require_GET
@cache_control(public=True, max_age=24 * 3600)
def emblem(request):
    path = province.emblem_path()
    content_type = province.emblem_content_type(path)
    if content_type is None or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=content_type)
    # An SVG opened on its own is a document: it may not run or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
