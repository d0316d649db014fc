"""Settings for Gonghui, read from the environment.

Development and the demo need no environment at all (SQLite, a development key).
Production sets DJANGO_ENV=production, and then SECRET_KEY, GONGHUI_PII_KEY,
GONGHUI_PII_HASH_KEY, DATABASE_URL and ALLOWED_HOSTS must be given.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout (or, installed, the working directory): where var/ with the SQLite file lives.
BASE_DIR = Path(os.environ.get("GONGHUI_HOME", PACKAGE_DIR.parent.parent))
PRODUCTION = os.environ.get("DJANGO_ENV") == "production"


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION or default is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return default


DEBUG = not PRODUCTION and os.environ.get("DJANGO_DEBUG", "1") == "1"
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789")
# Keys for personal data: one encrypts ID numbers (AES-256-GCM; 32 bytes written as a Fernet key),
# the other keys the look-up hash. Development keys are fixed so the demo is reproducible.
PII_KEY = env("GONGHUI_PII_KEY", "ZGV2LW9ubHktcGlpLWtleS0wMTIzNDU2Nzg5YWJjZGU=")
PII_HASH_KEY = env("GONGHUI_PII_HASH_KEY", "dev-only-pii-hash-key")
ALLOWED_HOSTS = [
    h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "unfold.apps.BasicAppConfig",
    "unfold.contrib.filters",
    "gonghui.core.apps_admin.GonghuiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",  # serves the API docs' assets itself (no CDN)
    "django_tasks",
    "django_tasks_db",
    "gonghui.core",
    "gonghui.accounts",
    "gonghui.organisation",
    "gonghui.membership",
    "gonghui.activities",
    "gonghui.honours",
    "gonghui.assistance",
    "gonghui.relations",
    "gonghui.reports",
    "gonghui.portal",
    "gonghui.api",
    "gonghui.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that reads the database (the session, the user): a 503 while it is down.
    "gonghui.core.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gonghui.core.middleware.SessionRefreshMiddleware",
    "gonghui.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gonghui.urls"
WSGI_APPLICATION = "gonghui.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'gonghui.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writes serialize on SQLite too (ARCHITECTURE.md); WAL lets reads go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A PostgreSQL streaming replica for the reports, drill-downs, exports and the leaders'
# dashboard (core/replica.py, decision 0021); unset, everything reads from DATABASE_URL.
REPLICA_DATABASE: str | None = None
if replica_url := os.environ.get("GONGHUI_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    REPLICA_DATABASE = "replica"
DATABASE_ROUTERS = ["gonghui.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (roster imports) runs in `manage.py db_worker`, queued in the database.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Progress of background work is read by other processes: a shared cache.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend's sign-in; the user of each request read with one ready statement.
    "gonghui.accounts.backends.AccountBackend",
]
AUTH_BACKEND = "gonghui.accounts.backends.AccountBackend"  # what sign-ins record in the session
# New passwords: argon2id at OWASP's minimum (accounts/hashers.py). Hashes made with Django's
# heavier Argon2 default still verify and are rehashed at the next successful sign-in.
PASSWORD_HASHERS = [
    "gonghui.accounts.hashers.Argon2idHasher",
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
# Lock an account (per user name and address) for 30 minutes after 5 failed sign-ins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind nginx every request comes from 127.0.0.1: the client address is the X-Real-IP
# header the proxy sets (GONGHUI_BEHIND_PROXY=1); otherwise REMOTE_ADDR.
BEHIND_PROXY = os.environ.get("GONGHUI_BEHIND_PROXY", "0") == "1"
AXES_CLIENT_IP_CALLABLE = "gonghui.core.http.client_ip"
# Sessions end after 30 minutes without a request, and with the browser; a worker signed in
# through the portal (worker role only) stays signed in for PORTAL_SESSION_DAYS without use,
# until they sign out (accounts.selectors.portal_session_seconds).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
PORTAL_SESSION_DAYS = int(os.environ.get("PORTAL_SESSION_DAYS", "30"))
SESSION_ENGINE = "gonghui.core.sessions"  # database sessions, read with one ready statement
SESSION_SAVE_EVERY_REQUEST = False  # SessionRefreshMiddleware keeps the idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The portal's claim form (first sign-in) sends at most 3 codes an hour per ID number and per
# mobile; per client address this many attempts an hour (a workplace behind one address may
# enrol many workers at once).
PORTAL_CLAIMS_PER_ADDRESS_HOUR = int(os.environ.get("PORTAL_CLAIMS_PER_ADDRESS_HOUR", "30"))
LOGIN_URL = reverse_lazy("admin:login")
LOGIN_REDIRECT_URL = reverse_lazy("admin:index")
OTP_TOTP_ISSUER = "工会平台"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
# Our own catalogues, then translations of third-party UI strings that ship none (Unfold).
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_thirdparty"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# Uploaded documents are personal data: outside the web root, readable by the service only.
# Optional in production too (docs/deploy.md: default <checkout>/var/private); env() would
# make it mandatory there.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "private")
FILE_UPLOAD_PERMISSIONS = 0o600
# Uploaded import files and their error reports carry full ID numbers: the daily housekeeping
# task removes them this many days after upload (the batch and its counts stay).
IMPORT_FILE_RETENTION_DAYS = int(os.environ.get("IMPORT_FILE_RETENTION_DAYS") or "30")
if IMPORT_FILE_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("IMPORT_FILE_RETENTION_DAYS must be at least 1.")
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    # A closed network often runs an internal CA: HSTS is configurable and never preloaded.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SILENCED_SYSTEM_CHECKS = ["security.W021"]  # no preload, on purpose (above)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


UNFOLD = {
    "SITE_TITLE": _("工会工作平台"),
    "SITE_HEADER": _("工会工作平台"),
    "SITE_SYMBOL": "diversity_3",
    "SHOW_HISTORY": True,
    "SHOW_LANGUAGES": True,
    "DASHBOARD_CALLBACK": "gonghui.reports.dashboard.dashboard_callback",
    # Names in the page's language for widgets drawn by SimpleBar and select2.
    "SCRIPTS": ["gonghui.core.widgets.backoffice_script"],
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        # Each app registers its sidebar entries (core/backoffice.py).
        "navigation": "gonghui.core.backoffice.sidebar",
    },
}
