"""System checks of a deployment's own settings; each has an id the README explains.

The province's (E002–E005) run with every command; those about where the portal runs (E001,
W001) with `manage.py check --deploy`, which a deployment runs (and CI, with DEBUG off).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from lib import province


@register(Tags.urls, deploy=True)
def check_site_base_url(app_configs, **kwargs):
    """khuyenhoc.E001 (with --deploy): QR codes and e-mail links need the public address; a
    certificate printed with a wrong one cannot be corrected. Certificates refuse to render
    without it too (models_learning.certificates.verify_url)."""
    value = settings.SITE_BASE_URL
    if not value and settings.DEBUG:
        return []
    parts = urlsplit(value)
    if parts.scheme in {"http", "https"} and parts.netloc:
        return []
    problem = "SITE_BASE_URL is not set" if not value else f"SITE_BASE_URL {value!r} is not valid"
    return [
        Error(
            f"{problem}: certificates' QR codes and e-mail links need the portal's public address.",
            hint="Set SITE_BASE_URL to the address people type, e.g. https://khuyenhoc.example.vn.",
            id="khuyenhoc.E001",
        )
    ]


@register()
def check_province(app_configs, **kwargs):
    """khuyenhoc.E002–E005: what certificates print must be printable."""
    errors = []
    configured = province.current()
    if not province.PREFIX_PATTERN.match(configured.certificate_prefix):
        errors.append(
            Error(
                f"CERTIFICATE_CODE_PREFIX {configured.certificate_prefix!r} is not 1 to 8 "
                "capital letters or digits.",
                hint="Certificate codes read PREFIX-YEAR-XXXXXX and are checked at /verify/.",
                id="khuyenhoc.E002",
            )
        )
    suffix = configured.decision_suffix.strip()
    if not suffix or len(suffix) > 40:
        errors.append(
            Error(
                "DECISION_NUMBER_SUFFIX must be 1 to 40 characters (e.g. QĐ-HKH).",
                id="khuyenhoc.E003",
            )
        )
    problem = province.emblem_problem()
    if problem:
        errors.append(Error(f"PORTAL_EMBLEM: {problem}", id="khuyenhoc.E004"))
    if not configured.code.isdigit() or not configured.association_name.strip():
        errors.append(
            Error(
                "PORTAL_PROVINCE_CODE must be a province's official code (e.g. 11) and "
                "PORTAL_ASSOCIATION_NAME must not be empty.",
                id="khuyenhoc.E005",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_email(app_configs, **kwargs):
    """khuyenhoc.W001: without EMAIL_URL the notifications are only printed in the log."""
    if settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
        return [
            Warning(
                "EMAIL_URL is not set: notifications are printed to the log instead of sent.",
                hint="Set EMAIL_URL, e.g. smtp://user:password@mail.example.vn:587/?tls=1.",
                id="khuyenhoc.W001",
            )
        ]
    return []
