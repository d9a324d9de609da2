"""One log line per request: method, path, status, duration in milliseconds, user id.

The path without its query string: searches carry people's names there. Errors are logged
with their traceback by Django itself (logger django.request); this line says that they
happened, how long they took and to whom.
"""

import logging
import time

logger = logging.getLogger("khuyenhoc.requests")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        status = response.status_code
        # A warning, not an error: the error itself is logged (and reported) by Django.
        level = logging.WARNING if status >= 500 else logging.INFO
        logger.log(
            level,
            "%s %s %s %.1fms user=%s",
            request.method,
            request.path,
            status,
            duration_ms,
            user_id if user_id is not None else "-",
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": user_id,
            },
        )
        return response
