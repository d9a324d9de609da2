"""Settings for the Khuyến học portal: one module, every deploy-time value from the environment.

Safe local defaults: SQLite unless DATABASE_URL is set; DEBUG off unless DEBUG is set; without
DEBUG a missing SECRET_KEY is an error. `.env.example` lists every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

from lib import email_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("ALLOW_INSECURE_KEY"):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-key-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- The province this portal serves (README "Running it for real") -------------------------
# What pages, certificates, PDFs, spreadsheets and e-mails print about the association: read
# through lib.province, never from here directly. The defaults are Điện Biên's (the demo).
# Absolute base of links that leave the site (QR codes, e-mails). Required without DEBUG (the
# check khuyenhoc.E001): a printed QR code cannot be corrected. `make run` sets it to its port.
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "")
SITE_BASE_URL = SITE_BASE_URL.strip().rstrip("/")
# Official code of the province (GSO): its figures lead the public home page. Stored as the
# units table stores codes, without leading zeros ("01" is Hà Nội, kept as "1").
PORTAL_PROVINCE_CODE = os.environ.get("PORTAL_PROVINCE_CODE", "11").strip().lstrip("0") or "0"
# The association's full name (page titles, footers, certificates, reports, e-mails) and the
# short name of the public header.
PORTAL_ASSOCIATION_NAME = os.environ.get("PORTAL_ASSOCIATION_NAME", "Hội Khuyến học tỉnh Điện Biên")
PORTAL_ASSOCIATION_SHORT_NAME = os.environ.get(
    "PORTAL_ASSOCIATION_SHORT_NAME", "Khuyến học Điện Biên"
)
# The emblem: an SVG, PNG or JPEG file; empty means the portal's own (static/img/emblem.svg).
PORTAL_EMBLEM = os.environ.get("PORTAL_EMBLEM", "")
# Certificate codes read "<prefix>-<year>-<6 letters>" (capital letters and digits, at most 8);
# automatic decision numbers "<n>/<suffix>".
CERTIFICATE_CODE_PREFIX = os.environ.get("CERTIFICATE_CODE_PREFIX", "DB")
DECISION_NUMBER_SUFFIX = os.environ.get("DECISION_NUMBER_SUFFIX", "QĐ-HKH")
# The two lines above the signature on a certificate.
CERTIFICATE_SIGNER_AUTHORITY = os.environ.get("CERTIFICATE_SIGNER_AUTHORITY", "TM. Ban Thường vụ")
CERTIFICATE_SIGNER_TITLE = os.environ.get("CERTIFICATE_SIGNER_TITLE", "Chủ tịch")
# Provinces whose reports use the mountain and hardship areas' targets (QĐ 281), by code.
REPORTS_MOUNTAIN_PROVINCES = tuple(
    code.lstrip("0") or code for code in env_list("REPORTS_MOUNTAIN_PROVINCES", "11")
)
# --- end of the province block ---------------------------------------------------------------

INSTALLED_APPS = [
    "khuyenhoc.admin_site.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "django_filters",
    "axes",
    "csp",
    "django_tasks",
    # The project's apps (README: "What is in it"; the layers are checked by lint-imports).
    # The order matters only where two catalogs translate one English word differently: the
    # app listed first wins, so the features' wording (theirs when they were the project's own)
    # comes before the domains'.
    "khuyenhoc",
    "reporting",
    "transfers",
    "citizens",
    "jobs",
    "units",
    "models_learning",
    "centers",
    "funds",
    # After jobs, whose `db_worker` (one that survives database errors and reaps jobs whose
    # worker died) replaces this app's command of the same name.
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: it times the whole request and sees the status every other layer settled on.
    "khuyenhoc.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses every page, error and outage page included (all come from below it); static
    # files never reach it: WhiteNoise above answers them with its own precompressed copies.
    # Django's GZip pads each response with random bytes against BREACH. The same list serves
    # `make run` (runserver) and plain gunicorn, so both send compressed HTML.
    "django.middleware.gzip.GZipMiddleware",
    # A NUL byte anywhere in the request is a 400, before a view or the session meets it.
    "khuyenhoc.middleware.RefuseNulMiddleware",
    # A view that meets an unreachable database answers 503 "temporarily unavailable".
    "khuyenhoc.middleware.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuyenhoc.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Answers to signed-in users hold personal data: private, no-store.
    "khuyenhoc.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Runs the pages of REPLICA_READ_VIEWS itself (reads on the replica): its process_view must
    # come after every other (the login requirement, CSRF) so that none is skipped.
    "khuyenhoc.middleware.ReplicaReadsMiddleware",
    # Axes wants to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khuyenhoc.urls"
WSGI_APPLICATION = "khuyenhoc.wsgi.application"
ASGI_APPLICATION = "khuyenhoc.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "khuyenhoc.context_processors.portal",
                "khuyenhoc.context_processors.association",
            ],
            # Tags any app's templates may load, from lib (which is not an app).
            "libraries": {
                "bootstrap_forms": "lib.bootstrap_forms",
                "download_links": "lib.download_links",
                "kept": "lib.kept_fragments",
                "portal_menu": "khuyenhoc.portal_menu",
            },
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- A streaming replica for reads that may be a moment stale (README "Scaling out") ----------
# REPLICA_DATABASE_URL names a PostgreSQL hot standby of DATABASE_URL. The pages listed below
# (public search and figures, reports) read from it; everything else, every write, and every
# page of a browser that wrote within REPLICA_PIN_SECONDS reads the primary (lib/replica.py,
# khuyenhoc.middleware.ReplicaReadsMiddleware). When the replica fails, such a page is answered
# from the primary and the replica left alone for REPLICA_PAUSE_SECONDS.
REPLICA_DATABASE_URL = os.environ.get("REPLICA_DATABASE_URL", "").strip()
REPLICA_READS = bool(REPLICA_DATABASE_URL)
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "30"))
REPLICA_PAUSE_SECONDS = float(os.environ.get("REPLICA_PAUSE_SECONDS", "15"))
REPLICA_READ_VIEWS = frozenset(
    {
        "public-home",
        "public-stats",
        "models_learning-public:recognition-search",
        "reports:yearly",
        "reports:yearly-xlsx",
        "reports:yearly-pdf",
        "reports:recognised-list",
        "reports:recognised-list-xlsx",
        "reports:recognised-list-pdf",
    }
)
if REPLICA_READS:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_DATABASE_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # Tests read the replica's tables through the primary's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["lib.replica.ReplicaRouter"]

# --- SQLite fit for `make run` and a small office -------------------------------------------
# Several officers write at once. WAL lets pages read while one writes; IMMEDIATE takes the
# write lock when a transaction begins, so that a second writer waits its turn (up to the busy
# timeout) instead of failing with "database is locked" when a read turns into a write.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }

# --- The cache: an optimisation, never a point of failure ------------------------------------
# Redis when CACHE_URL names it (shared by every app server), else each process's memory.
# A cache that is down or stalls must cost a page a fraction of a second, never a 500: short
# connect and read timeouts here (the client's default is 5 s), and every caller goes through
# lib.optional_cache, which goes on without the cache when it errors.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHE_CONNECT_TIMEOUT = float(os.environ.get("CACHE_CONNECT_TIMEOUT", "0.5"))
CACHE_SOCKET_TIMEOUT = float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.5"))
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {
                "socket_connect_timeout": CACHE_CONNECT_TIMEOUT,
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
            },
        }
    }
    # Sessions read from the shared cache, written to the database first (khuyenhoc/sessions.py):
    # a signed-in page reads no session row; a lost cache only sends the reads back to the table.
    SESSION_ENGINE = "khuyenhoc.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal-home"
LOGOUT_REDIRECT_URL = "public-home"

# Lock an account + address pair after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The name an attempt is recorded under, cut to a username's length (khuyenhoc/lockout.py).
AXES_USERNAME_CALLABLE = "khuyenhoc.lockout.lockout_username"

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check answers plain HTTP for the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline script anywhere: every script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Project-wide strings (templates/, settings) live with the khuyenhoc package.
LOCALE_PATHS = [BASE_DIR / "khuyenhoc" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["khuyenhoc.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic_bootstrap.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded evidence is private: never under a public URL, served by a view that checks scope.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "media-private"))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
# Behind nginx (deploy/nginx/khuyenhoc.conf): the prefix of its `internal` location aliased to
# PRIVATE_MEDIA_ROOT, e.g. /_private/. A download is then checked here and sent by nginx
# (X-Accel-Redirect) instead of streaming through gunicorn. Empty (the default): Django sends it.
PRIVATE_MEDIA_ACCEL_REDIRECT = os.environ.get("PRIVATE_MEDIA_ACCEL_REDIRECT", "").strip()
# Largest evidence file (photos, scanned minutes) accepted, in bytes.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# Spreadsheet imports: the largest file and the most data rows accepted, and the size above
# which the check and the import run as background jobs rather than inside the request.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "50000"))
IMPORT_INLINE_MAX_BYTES = int(os.environ.get("IMPORT_INLINE_MAX_BYTES", "20000"))
# Rows an import reads, decides and writes at once (households); 0: one by one, as the forms.
IMPORT_CHUNK_ROWS = int(os.environ.get("IMPORT_CHUNK_ROWS", "1000"))
# Where the DejaVu fonts that certificates and reports embed in their PDFs are (Debian's
# fonts-dejavu-core); if a file is missing, the font of that name is looked up by fontconfig.
PDF_FONT_DIR = os.environ.get("PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")

# Long work (batch certificates, imports) runs outside the request. The database backend needs
# a worker (`manage.py db_worker`, started by `make run`); TASKS_BACKEND=immediate runs jobs
# in the request instead (a fallback for development without a worker).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("TASKS_BACKEND", "database")]
    }
}

# --- Jobs that never hang -------------------------------------------------------------------
# A running job writes a sign of life at each progress step and every JOB_HEARTBEAT_INTERVAL
# seconds; one silent for JOB_STALE_AFTER seconds lost its worker (killed, out of memory, a
# deploy): the reaper (run by every worker, and `manage.py reap_jobs`) marks it failed, and an
# interrupted import offers to start again. Workers write their own sign of life as often.
JOB_HEARTBEAT_INTERVAL = float(os.environ.get("JOB_HEARTBEAT_INTERVAL", "10"))
JOB_STALE_AFTER = float(os.environ.get("JOB_STALE_AFTER", "120"))

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- E-mail (README "Running it for real") -------------------------------------------------
# One variable, e.g. EMAIL_URL=smtp://user:password@mail.example.vn:587/?tls=1 (lib/email_url.py);
# unset, e-mails are printed to the log. Notifications are sent by the worker, retried after
# each delay of EMAIL_RETRY_DELAYS (seconds), then logged as errors.
_email = email_url.parse(os.environ.get("EMAIL_URL", ""))
EMAIL_BACKEND = _email.backend
EMAIL_HOST, EMAIL_PORT = _email.host, _email.port
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email.user, _email.password
EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT = _email.use_tls, _email.use_ssl, _email.timeout
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "khuyenhoc@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_RETRY_DELAYS = [int(d) for d in env_list("EMAIL_RETRY_DELAYS", "60,300,1800")]
# --- end of the e-mail block -----------------------------------------------------------------

# --- Retention (README "Running it for real"; `manage.py purge_old_data`, run daily) --------
# Uploaded sheets hold households' personal data; job results (certificate batches, lists) can
# be made again. Their rows stay for history; the files go after this many days.
RETENTION_IMPORT_DAYS = int(os.environ.get("RETENTION_IMPORT_DAYS", "90"))
RETENTION_JOB_DAYS = int(os.environ.get("RETENTION_JOB_DAYS", "30"))
# --- end of the retention block --------------------------------------------------------------

# --- Logging and error reports (README "Running it for real") ------------------------------
# To standard error, for systemd's journal or a container's log: LOG_FORMAT=text (one readable
# line) or json (one object a line, for a collector). One line per request
# (khuyenhoc/request_log.py); errors with their traceback. Sentry only when SENTRY_DSN is set.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "lib.log_format.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own loggers go to the root handler only (its defaults add a second console
        # handler in DEBUG and mail to ADMINS, which the portal does not use).
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # WeasyPrint narrates every PDF at INFO.
        **{name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
    },
}
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        # Households' names, phones and addresses stay out of error reports.
        send_default_pii=False,
    )
# --- end of the logging block ----------------------------------------------------------------
