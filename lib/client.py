"""Who is asking: the visitor's address, for rate limits and logs."""

from django.conf import settings


def client_address(request):
    """The visitor's address: behind a TLS proxy (SECURE_PROXY_SSL_HEADER set), the last
    X-Forwarded-For entry, which our proxy appended; else REMOTE_ADDR."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]
