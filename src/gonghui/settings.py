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
# Sessions end after 30 minutes without a request, and with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_ENGINE = "gonghui.core.sessions"  # database sessions, read with one ready statement
SESSION_SAVE_EVERY_REQUEST = False  # SessionRefreshMiddleware keeps the idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
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


def _nav(
    title: object,
    icon: str,
    url_name: str,
    permission: str = "gonghui.core.navigation.back_office",
) -> dict[str, object]:
    return {"title": title, "icon": icon, "link": reverse_lazy(url_name), "permission": permission}


UNFOLD = {
    "SITE_TITLE": _("工会工作平台"),
    "SITE_HEADER": _("工会工作平台"),
    "SITE_SYMBOL": "diversity_3",
    "SHOW_HISTORY": True,
    "SHOW_LANGUAGES": True,
    "DASHBOARD_CALLBACK": "gonghui.reports.dashboard.dashboard_callback",
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": [
            {
                "title": _("工作台"),
                "items": [
                    _nav(_("工作台"), "dashboard", "admin:index"),
                    _nav(_("工会组织树"), "account_tree", "admin:union_tree"),
                    _nav(_("年度工作报告数据"), "analytics", "admin:annual_report"),
                ],
            },
            {
                "title": _("工会组织"),
                "items": [
                    _nav(_("工会组织"), "groups", "admin:organisation_union_changelist"),
                    _nav(_("企业"), "factory", "admin:organisation_enterprise_changelist"),
                    _nav(_("工会覆盖企业"), "link", "admin:organisation_coverage_changelist"),
                    _nav(_("工会干部"), "badge", "admin:organisation_cadre_changelist"),
                ],
            },
            {
                "title": _("会员管理"),
                "items": [
                    _nav(_("人员"), "person", "admin:membership_person_changelist"),
                    _nav(_("会籍"), "card_membership", "admin:membership_membership_changelist"),
                    _nav(_("数据导入"), "upload_file", "admin:membership_importbatch_changelist"),
                    _nav(
                        _("入会申请"),
                        "how_to_reg",
                        "admin:membership_membershipapplication_changelist",
                    ),
                ],
            },
            {
                "title": _("帮扶救助"),
                "items": [
                    _nav(
                        _("困难职工档案"),
                        "family_restroom",
                        "admin:assistance_hardshipfile_changelist",
                    ),
                    _nav(
                        _("帮扶项目"), "volunteer_activism", "admin:assistance_programme_changelist"
                    ),
                    _nav(_("帮扶发放"), "payments", "admin:assistance_disbursement_changelist"),
                    _nav(_("帮扶申请"), "assignment", "admin:assistance_aidapplication_changelist"),
                    _nav(
                        _("节前走访"), "storefront", "admin:assistance_condolencevisit_changelist"
                    ),
                    _nav(_("发放冲正"), "undo", "admin:assistance_disbursementreversal_changelist"),
                    _nav(_("春风行动"), "campaign", "admin:assistance_campaign_changelist"),
                    _nav(_("春风行动捐款"), "redeem", "admin:assistance_donation_changelist"),
                    _nav(
                        _("捐款先进单位"),
                        "military_tech",
                        "admin:assistance_donorcommendation_changelist",
                    ),
                ],
            },
            {
                "title": _("荣誉"),
                "items": [_nav(_("荣誉"), "military_tech", "admin:honours_honour_changelist")],
            },
            {
                "title": _("活动与服务"),
                "items": [
                    _nav(_("活动"), "event", "admin:activities_activity_changelist"),
                    _nav(_("报名与签到"), "how_to_reg", "admin:activities_registration_changelist"),
                    _nav(
                        _("咨询登记"), "support_agent", "admin:activities_consultation_changelist"
                    ),
                ],
            },
            {
                "title": _("系统与审计"),
                "items": [
                    _nav(_("审计记录"), "history", "admin:core_auditentry_changelist"),
                    _nav(_("个人信息查看记录"), "visibility", "admin:core_piiaccesslog_changelist"),
                    _nav(
                        _("账号"),
                        "manage_accounts",
                        "admin:accounts_user_changelist",
                        "gonghui.core.navigation.superuser",
                    ),
                ],
            },
        ],
    },
}
