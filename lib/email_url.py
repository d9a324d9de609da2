"""Django's e-mail settings from one URL (the EMAIL_URL environment variable).

    smtp://user:password@mail.example.vn:587/?tls=1     SMTP with STARTTLS
    smtps://user:password@mail.example.vn               SMTP over SSL (port 465)
    smtp://mail.example.vn:25/?timeout=20               no login, plain, 20 s timeout
    console://                                          printed to the log (the default)
    locmem:// · dummy://                                kept in memory · dropped (tests)

The user and password are percent-encoded in the URL ("@" is %40, ":" is %3A). Parsed here
rather than by a package: the grammar is this short, and a mistake says what to fix.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
TRUE = {"1", "true", "yes", "on"}
# Django waits for ever by default; a stuck mail server must not hold a worker that long.
DEFAULT_TIMEOUT = 10


@dataclass(frozen=True)
class EmailSettings:
    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    timeout: int = DEFAULT_TIMEOUT


def _flag(query, name):
    return query.get(name, [""])[-1].strip().lower() in TRUE


def parse(url):
    """EmailSettings from `url`; empty means the console backend. ImproperlyConfigured if bad."""
    url = (url or "").strip()
    if not url:
        return EmailSettings(backend=BACKENDS["console"])
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL: unknown scheme {scheme!r}; use one of {', '.join(sorted(BACKENDS))}."
        )
    if scheme not in {"smtp", "smtps"}:
        return EmailSettings(backend=BACKENDS[scheme])
    query = parse_qs(parts.query)
    use_ssl = scheme == "smtps" or _flag(query, "ssl")
    use_tls = _flag(query, "tls") or _flag(query, "starttls")
    if use_ssl and use_tls:
        raise ImproperlyConfigured("EMAIL_URL: choose SSL (smtps:// or ssl=1) or tls=1, not both.")
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL: the mail server's host name is missing.")
    try:
        port = parts.port or (465 if use_ssl else 587 if use_tls else 25)
        timeout = int(query.get("timeout", [DEFAULT_TIMEOUT])[-1])
    except ValueError as error:
        raise ImproperlyConfigured(f"EMAIL_URL: {error}.") from error
    return EmailSettings(
        backend=BACKENDS[scheme],
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
        timeout=timeout,
    )
