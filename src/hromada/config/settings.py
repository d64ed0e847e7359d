"""Settings for hromada, read from the environment (twelve-factor).

Every variable is documented with its default in README.md ("Configuration").
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # src/hromada
PROJECT_DIR = BASE_DIR.parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("HROMADA_DATA_DIR", default=str(PROJECT_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or one generated once into the data dir."""
    key: str = env.str("SECRET_KEY", default="")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "hromada.core",
    "hromada.accounts",
    "hromada.programs",
    "hromada.control",
    "hromada.documents",
    "hromada.appeals",
    "hromada.portal",
    # Portal editorial content on the Wagtail CMS (docs/content.md).
    "hromada.content",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "hromada.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hromada.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in person's profile language applies (no i18n URLs).
    "hromada.core.middleware.LanguageMiddleware",
    "hromada.accounts.middleware.IdleSessionMiddleware",
    "hromada.accounts.middleware.EnforceMfaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # /cms/ only: a department editor's CMS groups follow their hromada roles.
    "hromada.content.middleware.EditorGroupsMiddleware",
]

# API calls with "Authorization: Token …" (core/handlers.py): authenticated by the token
# alone, they use no session, CSRF cookie, messages or page state; the headers and the
# request context are the same as for every other request.
API_TOKEN_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hromada.core.middleware.RequestContextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "hromada.core.middleware.LanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "hromada.config.urls"
WSGI_APPLICATION = "hromada.config.wsgi.application"

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
                "hromada.core.context_processors.platform",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'hromada.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write
    # lock at BEGIN so that read-then-write transactions never deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # The test database is a file, not shared-cache memory: there, concurrent writers
    # fail at once ("table is locked") instead of waiting, so concurrency tests could
    # not run. One file per process, so parallel test runs never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str(
            "HROMADA_TEST_DB",
            default=str(Path(tempfile.gettempdir()) / f"hromada-test-{os.getpid()}.sqlite3"),
        )
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    # A reused connection is checked before each request's first query; off: after a
    # database restart the first request of each worker fails instead.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend whose health check reads the socket first and sends "SELECT 1"
        # only when the server has said something (core/dbengines/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "hromada.core.dbengines.postgresql"
        # The few statements every signed-in request runs are prepared on the server
        # (core/prepared.py); off behind a pooler that cannot keep prepared statements.
        DATABASES["default"].setdefault("OPTIONS", {})["prepared_statements"] = env.bool(
            "HROMADA_DB_PREPARED_STATEMENTS", default=True
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (shared between processes: rate limits must hold across workers) --
CACHES = {
    "default": env.cache_url("CACHE_URL", default="dbcache://hromada_cache"),
    # Per process, never shared: only for memos that may be a second stale in one worker
    # (the /healthz probe). Nothing a permission or a session depends on lives here.
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
}
# /healthz answers from a per-process memo at most this old (seconds; 0: probe every time).
HROMADA_HEALTHZ_CACHE_SECONDS = env.float("HROMADA_HEALTHZ_CACHE_SECONDS", default=1.0)

# --- Background tasks (Django tasks API, database backend) -----------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "mail"],
    }
}

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "hromada.accounts.backends.EmailBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/after-login/"
LOGOUT_REDIRECT_URL = "/"

# Sessions expire after this many minutes without a request.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
# Database sessions (logout deletes the row), read with one precompiled query.
SESSION_ENGINE = "hromada.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

ACCOUNT_ADAPTER = "hromada.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Our subclasses give allauth's forms Ukrainian labels; the sign-up form asks the name.
ACCOUNT_FORMS = {
    "login": "hromada.accounts.forms.LoginForm",
    "signup": "hromada.accounts.forms.SignupForm",
    "reset_password": "hromada.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "hromada.accounts.forms.ResetPasswordKeyForm",
    "change_password": "hromada.accounts.forms.ChangePasswordForm",
    "set_password": "hromada.accounts.forms.SetPasswordForm",
    "add_email": "hromada.accounts.forms.AddEmailForm",
    "reauthenticate": "hromada.accounts.forms.ReauthenticateForm",
}
# No "remember me": a session ends when the browser closes or after the idle timeout.
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[hromada] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_RATE_LIMIT", default="5/5m/ip,5/5m/key"),
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "hromada.accounts.forms.MfaAuthenticateForm",
    "reauthenticate": "hromada.accounts.forms.MfaReauthenticateForm",
    "activate_totp": "hromada.accounts.forms.ActivateTotpForm",
}
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="hromada")
# Staff with access to personal data must have TOTP; switch off only for local demos.
HROMADA_MFA_ENFORCED = env.bool("HROMADA_MFA_ENFORCED", default=True)

# --- API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's token authentication, the token, user and grants read in one statement.
        "hromada.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "hromada.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="60/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hromada API",
    "DESCRIPTION": "REST API of the hromada municipal platform",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Only /api/: Wagtail's own admin API under /cms/ is not part of hromada's API.
    "PREPROCESSING_HOOKS": ["hromada.api.schema.only_our_api"],
    # One name per choice set that several fields share, or whose field names collide
    # (otherwise drf-spectacular warns and `check --deploy` is not clean).
    "ENUM_NAME_OVERRIDES": {
        "OrgUnitKindEnum": "hromada.accounts.models.OrgUnit.Kind",
        "JournalKindEnum": "hromada.documents.models.Journal.Kind",
        "CorrespondentKindEnum": "hromada.documents.models.Correspondent.Kind",
        "DocumentFileKindEnum": "hromada.documents.models.DocumentFile.Kind",
        "DocumentChannelEnum": "hromada.documents.models.Document.Channel",
        "DocumentStateEnum": "hromada.documents.models.Document.State",
        "AppealChannelEnum": "hromada.appeals.models.Channel",
        "AppealKindEnum": "hromada.appeals.models.Appeal.Kind",
        "AppealStateEnum": "hromada.appeals.models.Appeal.State",
        "AppealSubjectEnum": "hromada.appeals.models.Appeal.Subject",
        "AppealSignEnum": "hromada.appeals.models.Appeal.Sign",
        "AnswerKindEnum": "hromada.appeals.models.Answer.Kind",
        "AnswerStateEnum": "hromada.appeals.models.Answer.State",
    },
}

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Українська")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Kyiv")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
HROMADA_UPLOAD_MAX_BYTES = env.int("HROMADA_UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)

# --- E-mail ------------------------------------------------------------------
# Default: messages are written as files to DATA_DIR/mail (read them there in a demo).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
if env.str("EMAIL_URL", default=""):
    globals().update(EMAIL_CONFIG)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hromada <no-reply@hromada.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag instead
HTTPS = env.bool("HTTPS", default=False)
# Number of reverse proxies in front of hromada that append to X-Forwarded-For
# (0: use the connection's address). Audit events and rate limits use the result.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# --- Logging: one JSON object per line (LOG_FORMAT=console for humans) -------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "hromada.core.logging.JsonFormatter"},
        "console": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Document rendering libraries log every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        # Wagtail logs every page created or published at INFO (thousands in the demo).
        "wagtail": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "matplotlib": {"level": "WARNING"},
        # The morphology dictionaries announce every load.
        "pymorphy3": {"level": "WARNING"},
    },
}

# --- hromada -----------------------------------------------------------------
HROMADA_CITY_NAME = env.str("HROMADA_CITY_NAME", default="Кривий Ріг")
HROMADA_BENCH_VIEWS = env.bool("HROMADA_BENCH_VIEWS", default=False)

# --- Execution control and documents (docs/control.md, docs/documents.md) ---
# The term where a resolution sets none: one month (30 calendar days) — records-management
# practice, *unconfirmed* as a rule of law, hence a setting.
HROMADA_CONTROL_DEFAULT_TERM_DAYS = env.int("HROMADA_CONTROL_DEFAULT_TERM_DAYS", default=30)
# Reminders go out this many days before a due date (then on the day, then when overdue);
# per control type (the controlled model's label), "default" for the rest.
HROMADA_CONTROL_REMINDER_DAYS: dict[str, list[int]] = {
    "default": env.list("HROMADA_CONTROL_REMINDER_DAYS", cast=int, default=[3, 1]),
    "appeals.appeal": env.list("HROMADA_APPEALS_REMINDER_DAYS", cast=int, default=[5, 2, 1]),
}
# "My work" shows as "due soon" what is due within this many days.
HROMADA_CONTROL_DUE_SOON_DAYS = env.int("HROMADA_CONTROL_DUE_SOON_DAYS", default=7)
# The daily reminder sweep runs at this hour (local time), see `hromada control remind --daily`.
HROMADA_CONTROL_SWEEP_HOUR = env.int("HROMADA_CONTROL_SWEEP_HOUR", default=7)
# A council's own DOCX letterhead for drafted answers (empty: the built-in one).
HROMADA_DOCUMENTS_ANSWER_TEMPLATE = env.str("HROMADA_DOCUMENTS_ANSWER_TEMPLATE", default="")

# Citizens' appeals (hromada.appeals; docs/appeals.md).
# Index template of the appeals journals: "{seq}" or "{letter}-{seq}" (first letter of the
# applicant's surname, Instruction No. 348).
HROMADA_APPEALS_INDEX_TEMPLATE = env.str("HROMADA_APPEALS_INDEX_TEMPLATE", default="{seq}")
# The body (OrgUnit code) that registers appeals not addressed to a particular official.
HROMADA_APPEALS_DEFAULT_BODY = env.str("HROMADA_APPEALS_DEFAULT_BODY", default="VK")
HROMADA_APPEALS_MAX_FILES = env.int("HROMADA_APPEALS_MAX_FILES", default=10)
HROMADA_APPEALS_MAX_FILE_BYTES = env.int("HROMADA_APPEALS_MAX_FILE_BYTES", default=10 * 1024 * 1024)
# Storage period of appeals files, years (Instruction No. 348 practice; unconfirmed: a setting).
HROMADA_APPEALS_RETENTION_YEARS = env.int("HROMADA_APPEALS_RETENTION_YEARS", default=5)
# How far back the repeated/duplicate lookup goes, days.
HROMADA_APPEALS_REPEAT_LOOKBACK_DAYS = env.int("HROMADA_APPEALS_REPEAT_LOOKBACK_DAYS", default=1825)
HROMADA_APPEALS_DUPLICATE_WINDOW_DAYS = env.int("HROMADA_APPEALS_DUPLICATE_WINDOW_DAYS", default=30)
# Staff queue: an open appeal counts as "due soon" this many days before its due date.
HROMADA_APPEALS_DUE_SOON_DAYS = env.int("HROMADA_APPEALS_DUE_SOON_DAYS", default=3)
# Public web form (docs/appeals.md "Citizen side"): e-mail confirmation link lifetime, hours;
# a form sent sooner than this many seconds after it was shown is taken for a robot's;
# rate limits (allauth syntax: amount/period/ip|key; key = the e-mail); statistics cache.
HROMADA_APPEALS_CONFIRM_HOURS = env.int("HROMADA_APPEALS_CONFIRM_HOURS", default=72)
HROMADA_APPEALS_MIN_FILL_SECONDS = env.int("HROMADA_APPEALS_MIN_FILL_SECONDS", default=3)
HROMADA_APPEALS_SUBMIT_RATE_LIMIT = env.str(
    "HROMADA_APPEALS_SUBMIT_RATE_LIMIT", default="30/h/ip,5/h/key"
)
HROMADA_APPEALS_TRACK_RATE_LIMIT = env.str("HROMADA_APPEALS_TRACK_RATE_LIMIT", default="20/10m/ip")
HROMADA_APPEALS_STATS_CACHE_SECONDS = env.int("HROMADA_APPEALS_STATS_CACHE_SECONDS", default=600)
# The mayor's e-mailbox (IMAP intake); empty host = intake off.
HROMADA_APPEALS_IMAP_HOST = env.str("HROMADA_APPEALS_IMAP_HOST", default="")
HROMADA_APPEALS_IMAP_PORT = env.int("HROMADA_APPEALS_IMAP_PORT", default=993)
HROMADA_APPEALS_IMAP_SSL = env.bool("HROMADA_APPEALS_IMAP_SSL", default=True)
HROMADA_APPEALS_IMAP_USER = env.str("HROMADA_APPEALS_IMAP_USER", default="")
HROMADA_APPEALS_IMAP_PASSWORD = env.str("HROMADA_APPEALS_IMAP_PASSWORD", default="")
HROMADA_APPEALS_IMAP_FOLDER = env.str("HROMADA_APPEALS_IMAP_FOLDER", default="INBOX")
# How often the task worker polls the mailbox, minutes (`hromada appeals mailbox --every`).
HROMADA_APPEALS_IMAP_POLL_MINUTES = env.int("HROMADA_APPEALS_IMAP_POLL_MINUTES", default=5)
HROMADA_APPEALS_IMAP_TIMEOUT = env.int("HROMADA_APPEALS_IMAP_TIMEOUT", default=60)
# Where the platform is reached, for links in e-mails sent outside a request.
HROMADA_BASE_URL = env.str("HROMADA_BASE_URL", default="http://127.0.0.1:8000")

# --- Portal and resource centre (docs/portal.md) ------------------------------
# Map tiles: a URL template such as "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
# empty (default): no tiles are loaded and the map shows the points on a plain background.
HROMADA_PORTAL_TILE_URL = env.str("HROMADA_PORTAL_TILE_URL", default="")
HROMADA_PORTAL_TILE_ATTRIBUTION = env.str(
    "HROMADA_PORTAL_TILE_ATTRIBUTION", default="&copy; OpenStreetMap contributors"
)
# The city's bounding box (south, west, north, east): imported coordinates must lie in it.
HROMADA_CITY_BBOX = tuple(
    env.list("HROMADA_CITY_BBOX", cast=float, default=[47.60, 33.10, 48.15, 33.65])
)
# A kiosk returns to its start screen after this many idle seconds.
HROMADA_KIOSK_IDLE_SECONDS = env.int("HROMADA_KIOSK_IDLE_SECONDS", default=90)
# Open data licence of the portal's datasets (DCAT catalogue).
HROMADA_OPENDATA_LICENSE = env.str(
    "HROMADA_OPENDATA_LICENSE", default="https://creativecommons.org/licenses/by/4.0/"
)
# How long public portal pages and map points stay cached (seconds); writes invalidate them.
HROMADA_PORTAL_CACHE_SECONDS = env.int("HROMADA_PORTAL_CACHE_SECONDS", default=300)
# Each worker remembers the portal stamp this long (seconds; 0: read it on every request), so
# a cached portal page costs no database query; other workers show a write at most this late.
HROMADA_PORTAL_STAMP_SECONDS = env.float("HROMADA_PORTAL_STAMP_SECONDS", default=1.0)

# --- Portal editorial content: Wagtail (docs/content.md) ------------------------
WAGTAIL_SITE_NAME = HROMADA_CITY_NAME
WAGTAILADMIN_BASE_URL = HROMADA_BASE_URL
# Sign-in stays ours (allauth, with MFA): the CMS sends visitors to our login page and
# manages no passwords of its own.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("uk", "Українська"), ("en", "English")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "xlsx", "xls", "odt", "ods", "rtf", "txt", "csv"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = HROMADA_UPLOAD_MAX_BYTES
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
# Home page news and banners stay cached this long (seconds); publishing invalidates them.
HROMADA_CONTENT_CACHE_SECONDS = env.int("HROMADA_CONTENT_CACHE_SECONDS", default=600)

# SQLite cannot enforce "one role per user, role and unit" when the unit is NULL;
# accounts.services enforces it on every database, PostgreSQL also by constraint.
SILENCED_SYSTEM_CHECKS = ["models.W047"]
