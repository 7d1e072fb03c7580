"""Settings read from the environment (the variables are listed in README.md).

Debug is off unless DJANGO_DEBUG=1. With debug off the process refuses to start without
DJANGO_SECRET_KEY, and a DATABASE_URL that cannot be read, or names a database other than
PostgreSQL or SQLite, stops it with one clear line, not a traceback.
"""

import importlib.util
import os
import re
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _fail(message: str) -> None:
    # SystemExit prints one line to stderr and exits non-zero: an operator sees what to fix
    # instead of a traceback from deep inside Django.
    raise SystemExit(f"Konfigurācijas kļūda / configuration error: {message}")


def _without_password(url: str) -> str:
    # The message lands in deployment logs, which must never hold the database password.
    return re.sub(r"(://[^:/@]*:)[^/]*@", r"\1***@", url)


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _positive_int(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        _fail(f"{name} must be a whole number of at least 1, not {text!r}.")
    return int(text)


DEBUG = _flag("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
    else:
        _fail("DJANGO_SECRET_KEY is not set (required when DJANGO_DEBUG is off).")

ALLOWED_HOSTS = _list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = _list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "core",
    "resource_centres",
    "communities",
    "events",
    "grants",
    "initiatives",
    "kopienas",
    "devtools",
]

MIDDLEWARE = [
    # First: it sees every response, redirects and error pages included (README, "Operations").
    "kopienas.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kopienas.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kopienas.middleware.StaffTwoFactorMiddleware",
    "kopienas.middleware.PrivatePagesMiddleware",
    # Last: it answers from the cache only once every rule above has had its say, and inside
    # the CSRF middleware, which gives a served page's fresh token its cookie.
    "core.pagecache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "kopienas.urls"
WSGI_APPLICATION = "kopienas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kopienas.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_ENGINES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    try:
        _database = dj_database_url.parse(DATABASE_URL)
    except Exception as exc:  # dj-database-url raises several types for bad input
        _fail(
            f"DATABASE_URL cannot be parsed ({exc.__class__.__name__}): "
            f"{_without_password(DATABASE_URL)!r}"
        )
    # dj-database-url knows MySQL, Oracle, GIS backends...; this project runs on these two only.
    if _database.get("ENGINE") not in _ENGINES:
        _fail(
            "DATABASE_URL must name PostgreSQL (postgres://) or SQLite (sqlite:///): "
            f"{_without_password(DATABASE_URL)!r}"
        )
else:
    _database = {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}

if _database["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool keeps connections warm per worker process; Django requires
    # CONN_MAX_AGE=0 with it. A thread holds at most one connection, so a worker needs no more
    # than its gunicorn threads, and every worker's pool counts against PostgreSQL's
    # max_connections: workers × DJANGO_DB_POOL_MAX must stay below it (README, "make serve").
    #
    # When PostgreSQL goes away (a restart, a failover), a request waits at most
    # DJANGO_DB_POOL_TIMEOUT seconds for a connection, then gets the 503 page
    # (kopienas.errors); each connection is checked as it leaves the pool, so the ones the
    # restart broke are replaced and the site recovers by itself, without restarting gunicorn.
    from psycopg_pool import ConnectionPool

    _database["CONN_MAX_AGE"] = 0
    _options = _database.setdefault("OPTIONS", {})
    _options["pool"] = {
        "min_size": 1,
        "max_size": _positive_int("DJANGO_DB_POOL_MAX", _positive_int("WEB_THREADS", 4)),
        "timeout": _positive_int("DJANGO_DB_POOL_TIMEOUT", 5),
        "check": ConnectionPool.check_connection,
    }
    # A server that does not answer at all (a dropped network) is given up on after this.
    _options.setdefault("connect_timeout", 3)
else:
    # WAL and a busy timeout let the development server and a test thread share the file.
    _database.setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every worker (database by default, Redis when REDIS_URL is set) -------
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    # Keeps the site serving when Redis does not answer (core/cache.py) within
    # DJANGO_REDIS_TIMEOUT seconds (0.5).
    _REDIS_TIMEOUT = float(os.environ.get("DJANGO_REDIS_TIMEOUT", "0.5"))
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": _REDIS_TIMEOUT, "socket_timeout": _REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kopienas_cache",
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Public pages for visitors without a session, from the shared cache until what they show
# changes (core.pagecache; README, "Page cache"). Off in debug, where templates change under a
# running server; DJANGO_PAGE_CACHE_VERSION names a deploy when its files alone do not.
PAGE_CACHE = _flag("DJANGO_PAGE_CACHE", not DEBUG)
PAGE_CACHE_VERSION = os.environ.get("DJANGO_PAGE_CACHE_VERSION", "")
# Writes renew the cached pages they change in every process, whether or not it serves cached
# pages itself (a debug process or a command shares the cache with the app servers).
PAGE_CACHE_RENEW = _flag("DJANGO_PAGE_CACHE_RENEW", True)
# What each process keeps of the stored pages' bodies it served lately, so that a hit reads only
# a small entry from the shared cache (bytes).
PAGE_CACHE_LOCAL_BYTES = _positive_int("DJANGO_PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)
# Each renewal of a generation is announced over PostgreSQL's LISTEN/NOTIFY (core.notices), and
# each app server keeps the pages it stored or served in its own memory for as long as it hears
# of no change to them: a hit then asks neither the shared cache nor the database. Ignored on
# SQLite. A page kept so is checked against the shared cache anyway every
# PAGE_CACHE_RECHECK_SECONDS, in case a notice was lost (a writer cut off from the database
# between its write and its notice).
GENERATION_NOTICES = _flag("DJANGO_GENERATION_NOTICES", True)
PAGE_CACHE_RECHECK_SECONDS = _positive_int("DJANGO_PAGE_CACHE_RECHECK_SECONDS", 10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Accounts (django-allauth under /konts/) -------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_page"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# allauth's rate limits count in the default cache, which every worker shares (the database
# cache, or Redis when REDIS_URL is set): a limit cannot be dodged by landing on another worker.
# Failed log-ins are limited per account (5 in 5 minutes, allauth's default) and only loosely per
# address: a school or library shares one address, and one person's typos must not lock out
# everyone else there. Log-ins as a whole likewise: a class signing in at once is normal.
ACCOUNT_RATE_LIMITS = {"login_failed": "100/5m/ip,5/5m/key", "login": "200/m/ip"}
ACCOUNT_ADAPTER = "kopienas.accounts.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "kopienas.forms.SignupForm"
ACCOUNT_USER_DISPLAY = "kopienas.accounts.user_display"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Darbīgās kopienas"

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", _("Latviešu")), ("en", _("English"))]
# The project's own strings (make messages keeps them), then corrections of the libraries'
# Latvian (django-allauth, Django's admin and auth): a catalogue on LOCALE_PATHS is read before
# any app's own, so a library string written there reads as it should in Latvian.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Leaflet comes from django-leaflet's bundled copy. Only its static files are used: installing
# the app would import GeoDjango (and so need GDAL) for an admin widget this project has no use for.
_LEAFLET_STATIC = Path(importlib.util.find_spec("leaflet").submodule_search_locations[0]) / "static"
STATICFILES_DIRS = [BASE_DIR / "static", _LEAFLET_STATIC]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Serving uploads from Django is for `make run` / `make serve` on one machine; a real deployment
# serves MEDIA_ROOT from the web server or uses an object-storage backend.
SERVE_MEDIA = _flag("DJANGO_SERVE_MEDIA", DEBUG)
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
# Application attachments are private: stored outside MEDIA_ROOT, never served by the web
# server, only by a view that checks who is asking (grants/views.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
}
# Several app servers share uploads through an S3-compatible object store instead of a folder
# (`pip install -e ".[s3]"`, django-storages): every upload and download already goes through
# Django's storage API, so these settings are all it takes (README, "Several app servers").
# Public uploads are readable by address; private ones (application attachments) only through
# the site's own views, which check who is asking.
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "").strip()
if S3_BUCKET:
    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": os.environ.get("DJANGO_S3_REGION", "").strip() or None,
        "access_key": os.environ.get("DJANGO_S3_ACCESS_KEY_ID", "").strip() or None,
        "secret_key": os.environ.get("DJANGO_S3_SECRET_ACCESS_KEY", "").strip() or None,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": "media",
            "default_acl": "public-read",
            "querystring_auth": False,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
    SERVE_MEDIA = False
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_FILES = 10
# Called (application=..., supported=...) each time an applicant is told a decision, inside the
# publishing transaction: a supported idea starts its initiative (grants.services).
GRANT_DECISION_FOLLOWERS = ["initiatives.services.follow_decision"]
# The usage figures of a centre's bookable items (hours, people, communities), computed above
# communities, where memberships can be read; the bookings' admin calls it (centre=, year=).
BOOKING_USAGE = "kopienas.booking_usage.centre_usage"
# How many days before an initiative's report due date its team gets the one reminder
# (manage.py initiative_reminders); a second comes once the date has passed.
INITIATIVE_REPORT_REMINDER_DAYS = 7
# Upload limits of centre photos (resource_centres/images.py).
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000

# --- Mail -------------------------------------------------------------------------------------
# Django 6.1 configures mail through MAILERS; the environment names stay those of DESIGN §6.
_MAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_MAIL_OPTIONS: dict[str, object] = {}
if _MAIL_BACKEND.endswith("smtp.EmailBackend"):
    _port_text = os.environ.get("EMAIL_PORT", "25").strip()
    if not _port_text.isdigit() or not 0 < int(_port_text) < 65536:
        _fail(f"EMAIL_PORT must be a port number, not {_port_text!r}.")
    _port = int(_port_text)
    _MAIL_OPTIONS = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": _port,
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": _flag("EMAIL_USE_TLS", False),
        "timeout": 20,
    }
elif _MAIL_BACKEND.endswith("filebased.EmailBackend"):
    _MAIL_OPTIONS = {
        "file_path": os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
    }
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND, "OPTIONS": _MAIL_OPTIONS}}
# The outbox (core.outbox): every mail is a row written with the change that causes it, sent by
# the worker of django-tasks-db (`manage.py db_worker`, README "Mail: the outbox and the
# worker"). OUTBOX_DELIVER_ON_COMMIT also delivers each mail as soon as its transaction
# commits, in the committing process: the tests' default, so a test sees the mail its service
# call sent; the worker then finds the row sent and does nothing.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
OUTBOX_DELIVER_ON_COMMIT = _flag("DJANGO_OUTBOX_DELIVER_ON_COMMIT", False)
# Tries before a mail is marked failed, and the waits between them (seconds).
OUTBOX_MAX_ATTEMPTS = 5
OUTBOX_RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 60 * 60]
# A mail "sending" for longer than this was left by a worker that died mid-send: the sweep
# (`manage.py outbox_sweep`) puts it back to pending.
OUTBOX_SENDING_TIMEOUT = 10 * 60
# `/readyz` calls the outbox late once its oldest unsent mail has waited this long (seconds):
# longer than a working worker ever takes, shorter than the retries of a refusing mail server.
OUTBOX_LATE_AFTER = int(os.environ.get("DJANGO_OUTBOX_LATE_AFTER", 15 * 60))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Darbīgās kopienas <noreply@darbigaskopienas.lv>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = _flag("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Trust X-Forwarded-Proto only behind a proxy that always overwrites it; without one, any
# client could claim to be on HTTPS.
if _flag("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Rate limits count per visitor address: behind proxies, REMOTE_ADDR is the proxy's, so the
    # address is read from X-Forwarded-For, as many hops from the right as there are proxies.
    ALLAUTH_TRUSTED_PROXY_COUNT = _positive_int("DJANGO_PROXY_COUNT", 1)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Asking browsers to ship the domain as HTTPS-only is hard to undo: the operator opts in.
SECURE_HSTS_PRELOAD = not DEBUG and _flag("DJANGO_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Off only for `make serve` on plain http://127.0.0.1; a real deployment keeps the default.
_SECURE_COOKIES = _flag("DJANGO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = _SECURE_COOKIES
CSRF_COOKIE_SECURE = _SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = _SECURE_COOKIES
X_FRAME_OPTIONS = "DENY"
# A load balancer probes health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

OSM_TILE_HOST = "https://tile.openstreetmap.org"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", OSM_TILE_HOST],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The map tiles static/js/map.js loads (handed to it by kopienas/context_processors.py).
MAP_TILE_URL = f"{OSM_TILE_HOST}/{{z}}/{{x}}/{{y}}.png"

# Every record to standard error, with the id of the request it belongs to; one JSON object
# per line when DJANGO_LOG_FORMAT=json (kopienas/request_log.py, README "Operations").
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    _fail(f"DJANGO_LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kopienas.request_log.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "kopienas.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where people write about their personal data (the privacy page, /privatums/); without it the
# page points to the association's own contacts.
PRIVACY_CONTACT_EMAIL = os.environ.get("DJANGO_PRIVACY_EMAIL", "").strip()
