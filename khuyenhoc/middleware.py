import logging
import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control

from lib import replica
from lib.errors import DATABASE_OUTAGE

logger = logging.getLogger(__name__)


class LanguageMiddleware:
    """Vietnamese unless the visitor chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many officers'
    phones are set to English: the portal must open in Vietnamese for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# What the outage page asks browsers and crawlers to wait before trying again, in seconds.
RETRY_AFTER = 30


def outage_response():
    """The "temporarily unavailable" page: 503 with Retry-After, rendered without the database
    (no request context: no user, no session, no context processors)."""
    html = render_to_string("503.html", {"LANGUAGE_CODE": translation.get_language()})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class DatabaseOutageMiddleware:
    """A view that met an unreachable database answers the outage page (503), not a 500.

    Errors outside the view (a session read by another middleware, a session saved on the way
    out) reach Django's error handler instead: khuyenhoc.views.server_error answers the same
    page for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_OUTAGE):
            return None
        # One line, not a traceback: during an outage every request lands here.
        logger.error(
            "Database unavailable (%s): %s %s answered 503",
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
            request.method,
            request.path,
        )
        return outage_response()


class ReplicaReadsMiddleware:
    """The pages of REPLICA_READ_VIEWS read from the replica (lib/replica.py), unless this
    browser wrote within REPLICA_PIN_SECONDS; after a write (any POST, PUT, PATCH, DELETE) the
    browser gets a cookie that keeps its reads on the primary for that long.

    When the replica fails during such a page, the page is answered again from the primary and
    this process leaves the replica alone for REPLICA_PAUSE_SECONDS: a lost replica costs no
    page. Without a replica (REPLICA_DATABASE_URL unset) it does nothing.
    """

    COOKIE = "khuyenhoc_primary"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.reads_from_replica = False
        response = self.get_response(request)
        if settings.REPLICA_READS and request.method not in ("GET", "HEAD", "OPTIONS"):
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                self.COOKIE,
                str(int(time.time() + seconds)),
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def pinned(self, request):
        try:
            return int(request.COOKIES.get(self.COOKIE, "0")) > time.time()
        except ValueError:
            return False

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.REPLICA_READS or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is None or match.view_name not in settings.REPLICA_READ_VIEWS:
            return None
        if self.pinned(request) or not replica.stale_reads_allowed_now():
            return None
        request.reads_from_replica = True
        try:
            with replica.stale_reads():
                return view_func(request, *view_args, **view_kwargs)
        except DATABASE_OUTAGE as error:
            logger.warning(
                "The replica failed (%s): %s answered from the primary; primary only for %s s",
                str(error).strip().splitlines()[0] if str(error).strip() else "",
                request.path,
                settings.REPLICA_PAUSE_SECONDS,
            )
            replica.pause_replica(settings.REPLICA_PAUSE_SECONDS)
            request.reads_from_replica = False
            return view_func(request, *view_args, **view_kwargs)


NUL = "\x00"


def _holds_nul(data):
    return any(NUL in key or any(NUL in value for value in data.getlist(key)) for key in data)


class RefuseNulMiddleware:
    """A NUL byte in the address, the query, a form field or a cookie: 400.

    No one types one, and PostgreSQL refuses it in any text it is given ("A string literal
    cannot contain NUL"), so a view that looked it up answered 500. Refused here, before any
    view or session lookup, with the "bad request" page. (Django already drops NUL from the
    names of uploaded files.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            NUL in request.path_info
            or _holds_nul(request.GET)
            or any(NUL in key or NUL in value for key, value in request.COOKIES.items())
            or (request.method == "POST" and _holds_nul(request.POST))
        ):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)


def _directives(response):
    header = response.get("Cache-Control", "")
    return {part.split("=")[0].strip().lower() for part in header.split(",")}


class PrivateCacheMiddleware:
    """Every answer to a signed-in user is `Cache-Control: private, no-store`.

    Staff pages and downloads hold households' personal data (a registration, the exports, the
    yearly report): neither a shared proxy nor the browser's disk may keep them, e.g. on a
    commune office's shared computer after the officer signed out. One rule in one place, so a
    new staff view cannot forget it. A view that marks its answer public (the emblem) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "public" not in _directives(response):
            patch_cache_control(response, private=True, no_store=True)
        return response
