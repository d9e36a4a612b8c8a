"""Seedling settings: everything comes from the environment, with safe defaults for the demo.

Production sets SEEDLING_ENV=production, which refuses to start without real secrets.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url

SRC_DIR = Path(__file__).resolve().parent.parent  # src/seedling
PROJECT_DIR = Path(os.environ.get("SEEDLING_PROJECT_DIR", SRC_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("SEEDLING_VAR_DIR", PROJECT_DIR / "var"))

ENV = os.environ.get("SEEDLING_ENV", "demo")  # demo | test | production
PRODUCTION = ENV == "production"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _demo_secrets() -> dict[str, str]:
    """Secrets for the demo and tests: generated once per checkout under var/, never committed."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "dev-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_KEY": secrets.token_hex(32),
        "BLIND_INDEX_KEY": secrets.token_hex(32),
        "AUDIT_KEY": secrets.token_hex(32),
    }
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values


def _secret(name: str) -> str:
    value = os.environ.get(f"SEEDLING_{name}")
    if value:
        return value
    if PRODUCTION:
        raise RuntimeError(f"SEEDLING_{name} must be set in production")
    return _demo_secrets()[name]


SECRET_KEY = _secret("SECRET_KEY")
# AES-256-GCM key for identity numbers (64 hex chars) and HMAC keys for the blind index and audit chain.
SEEDLING_FIELD_KEY = _secret("FIELD_KEY")
SEEDLING_BLIND_INDEX_KEY = _secret("BLIND_INDEX_KEY")
SEEDLING_AUDIT_KEY = _secret("AUDIT_KEY")

DEBUG = _env_bool("SEEDLING_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = [h for h in os.environ.get("SEEDLING_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SEEDLING_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc assets served locally, not from a CDN
    "django_htmx",
    "simple_history",
    "rules",
    "django_tasks",
    "django_tasks_db",
    "seedling.core",
    "seedling.geo",
    "seedling.accounts",
    "seedling.registry",
    "seedling.inbox",
    "seedling.fieldwork",
    "seedling.protection",
    "seedling.cases",
    "seedling.exchange",
    "seedling.schools",
    "seedling.assessments",
    "seedling.counselling",
    "seedling.portal",
    "seedling.research",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "seedling.core.locale.SeedlingLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "seedling.core.middleware.RequestContextMiddleware",
    "seedling.accounts.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "seedling.config.urls"
WSGI_APPLICATION = "seedling.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "seedling.core.context_processors.seedling",
                "seedling.registry.context_processors.navigation",
                "seedling.inbox.context_processors.inbox_counts",
            ],
        },
    },
]

# --- database: embedded SQLite for the demo, PostgreSQL through DATABASE_URL in production ---
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'seedling.sqlite3'}"),
        conn_max_age=_env_int("SEEDLING_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and the worker go on while one writer writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "seedling_cache",
    },
    # Per-process, for cheap counters shown on every page (the navigation's badges): a minute stale at most.
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "seedling-local"},
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# --- allauth: username + password, no self sign-up (accounts are created by administrators) ---
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "seedling.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "seedling.accounts.forms.LoginForm"}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
# Lockout: after SEEDLING_LOGIN_MAX_FAILURES failed sign-ins for one username within the window, that
# username is locked for the rest of the window (allauth counts failures per login key).
SEEDLING_LOGIN_MAX_FAILURES = _env_int("SEEDLING_LOGIN_MAX_FAILURES", 5)
SEEDLING_LOGIN_LOCKOUT_MINUTES = _env_int("SEEDLING_LOGIN_LOCKOUT_MINUTES", 15)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"20/m/ip,{SEEDLING_LOGIN_MAX_FAILURES}/{SEEDLING_LOGIN_LOCKOUT_MINUTES}m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Seedling"
# Our adapter stores TOTP secrets encrypted and refuses to switch TOTP off where it is required.
MFA_ADAPTER = "seedling.accounts.adapter.MfaAdapter"
# Accept the code of the previous/next 30-second step too: phone clocks in the field drift.
MFA_TOTP_TOLERANCE = 1
# Roles above this level must use TOTP: "village" (default) means every role above a village director,
# "township" only county level and up; "none" turns the requirement off (not recommended).
SEEDLING_MFA_REQUIRED_ABOVE = os.environ.get("SEEDLING_MFA_REQUIRED_ABOVE", "village")

# --- sessions: idle expiry, renewed on every request, and a cookie that dies with the browser ---
SESSION_COOKIE_AGE = _env_int("SEEDLING_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Behind nginx: the client address comes from X-Real-IP (set by our nginx config, never by the client),
# so sign-in limits count each client, not the proxy; https is known from X-Forwarded-Proto.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = (
    os.environ.get("SEEDLING_CLIENT_IP_HEADER", "X-Real-IP") if PRODUCTION else None
)
if _env_bool("SEEDLING_BEHIND_HTTPS_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = _env_bool("SEEDLING_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- language and time: zh-Hans by default, English complete; store UTC, show Asia/Shanghai ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files: every asset installed by npm and served by the app itself (no CDN) ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SEEDLING_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
NODE_MODULES = Path(os.environ.get("SEEDLING_NODE_MODULES", PROJECT_DIR / "node_modules"))
STATICFILES_DIRS = [
    SRC_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("SEEDLING_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: attachments go through scoped views

# Large questionnaires (XLSForm with repeats) post many fields at once.
DATA_UPLOAD_MAX_NUMBER_FIELDS = _env_int("SEEDLING_MAX_FORM_FIELDS", 10000)

# --- REST API ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "seedling.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Seedling API",
    "DESCRIPTION": "Child welfare and child protection platform (小苗). Every endpoint is area-scoped and audited.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" or "kind": give each enum its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "seedling.cases.choices.CaseStatus",
        "ScreeningCampaignStatusEnum": "seedling.assessments.choices.CampaignStatus",
        "ScreeningTargetEnum": "seedling.assessments.choices.CampaignTarget",
        "GuardianConsentMethodEnum": "seedling.assessments.choices.ConsentMethod",
        "ReferralStatusEnum": "seedling.cases.choices.ReferralStatus",
        "TransferStatusEnum": "seedling.cases.choices.TransferStatus",
        "ApprovalDecisionEnum": "seedling.cases.choices.ApprovalDecision",
        "CaseRatingEnum": "seedling.cases.choices.Rating",
        "OrganizationServiceEnum": "seedling.cases.choices.OrganizationService",
    },
}

# --- background jobs: django-tasks on the database backend (no Redis) ---
TASKS = {
    "default": {
        "BACKEND": os.environ.get("SEEDLING_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = os.environ.get("SEEDLING_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("SEEDLING_FROM_EMAIL", "seedling@localhost")

# --- domain rules: thresholds that differ by province live here, not in code (DOMAIN.md) ---
SEEDLING_RULES = {
    "orphan_max_age": _env_int("SEEDLING_RULE_ORPHAN_MAX_AGE", 18),
    "study_extension": _env_bool("SEEDLING_RULE_STUDY_EXTENSION", True),  # orphans/unsupported 18+ in study
    "unsupported_max_age": 18,
    "child_max_age": 18,  # children in difficulty and disabled children: under 18, no study extension
    "left_behind_max_age": _env_int("SEEDLING_RULE_LEFT_BEHIND_MAX_AGE", 16),
    "away_months": _env_int("SEEDLING_RULE_AWAY_MONTHS", 6),
    "lost_contact_months": 6,
    "restricted_liberty_months": 6,
    "migrant_max_age": 16,
    "migrant_months": _env_int("SEEDLING_RULE_MIGRANT_MONTHS", 6),
}
# Case work: days a supervisor has to decide an approval; a referral's default and "due soon" days.
SEEDLING_CASE_APPROVAL_DAYS = _env_int("SEEDLING_CASE_APPROVAL_DAYS", 3)
SEEDLING_REFERRAL_DEFAULT_DAYS = _env_int("SEEDLING_REFERRAL_DEFAULT_DAYS", 14)
SEEDLING_REFERRAL_DUE_SOON_DAYS = _env_int("SEEDLING_REFERRAL_DUE_SOON_DAYS", 2)
# Mandatory reports must be acknowledged within this many hours, or they escalate.
SEEDLING_REPORT_ACK_HOURS = _env_int("SEEDLING_REPORT_ACK_HOURS", 24)
# Duplicate check on entry: same name or pinyin with a birth date this many days apart warns.
SEEDLING_DUPLICATE_BIRTH_WINDOW_DAYS = _env_int("SEEDLING_DUPLICATE_BIRTH_WINDOW_DAYS", 31)
# Duplicate queue: a pair scoring at least this (sum of log-likelihood parts) is proposed for review.
SEEDLING_DUPLICATE_THRESHOLD = float(os.environ.get("SEEDLING_DUPLICATE_THRESHOLD", "2.0"))
# Home visits: "due soon" this many days ahead; overdue past the grace period escalates to the supervisor;
# a visit edited after this many days keeps its earlier version; phone calls count as visits or not.
SEEDLING_VISIT_DUE_SOON_DAYS = _env_int("SEEDLING_VISIT_DUE_SOON_DAYS", 14)
SEEDLING_VISIT_GRACE_DAYS = _env_int("SEEDLING_VISIT_GRACE_DAYS", 7)
SEEDLING_VISIT_EDIT_DAYS = _env_int("SEEDLING_VISIT_EDIT_DAYS", 7)
SEEDLING_VISIT_PHONE_COUNTS = _env_bool("SEEDLING_VISIT_PHONE_COUNTS", False)
SEEDLING_ATTACHMENT_MAX_MB = float(os.environ.get("SEEDLING_ATTACHMENT_MAX_MB", "10"))
# Portal (自助服务): invitation codes, sign-in throttling, requests for a counsellor per session.
SEEDLING_PORTAL_INVITATION_DAYS = _env_int("SEEDLING_PORTAL_INVITATION_DAYS", 90)
SEEDLING_PORTAL_SIGNIN_MAX_FAILURES = _env_int("SEEDLING_PORTAL_SIGNIN_MAX_FAILURES", 5)
SEEDLING_PORTAL_SIGNIN_IP_MAX_FAILURES = _env_int("SEEDLING_PORTAL_SIGNIN_IP_MAX_FAILURES", 200)
SEEDLING_PORTAL_SIGNIN_LOCKOUT_MINUTES = _env_int("SEEDLING_PORTAL_SIGNIN_LOCKOUT_MINUTES", 15)
SEEDLING_PORTAL_HELP_REQUESTS_PER_HOUR = _env_int("SEEDLING_PORTAL_HELP_REQUESTS_PER_HOUR", 3)
SEEDLING_PORTAL_HELP_REQUESTS_PER_ADDRESS_HOUR = _env_int(
    "SEEDLING_PORTAL_HELP_REQUESTS_PER_ADDRESS_HOUR", 20
)
SEEDLING_PORTAL_HELP_REQUESTS_PER_AREA_HOUR = _env_int("SEEDLING_PORTAL_HELP_REQUESTS_PER_AREA_HOUR", 60)
# Screening links: wrong personal codes per client address and campaign in 15 minutes (a whole school
# may share one NAT address), and per browser session (one pupil cannot lock out classmates).
SEEDLING_SCREENING_CODE_ATTEMPTS = _env_int("SEEDLING_SCREENING_CODE_ATTEMPTS", 200)
SEEDLING_SCREENING_CODE_SESSION_ATTEMPTS = _env_int("SEEDLING_SCREENING_CODE_SESSION_ATTEMPTS", 5)
# Research data: aggregate cells (and row-level exports) below this count are suppressed.
SEEDLING_RESEARCH_MIN_CELL = _env_int("SEEDLING_RESEARCH_MIN_CELL", 5)
# Imports: the largest roster file accepted.
SEEDLING_IMPORT_MAX_MB = _env_int("SEEDLING_IMPORT_MAX_MB", 200)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "seedling.core.logging.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_personal_data"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("SEEDLING_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request bodies and query strings may hold names or identity numbers: keep them out.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# whitenoise serves static files in every mode; in the demo it finds them without collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
SEEDLING_SITE_URL = os.environ.get("SEEDLING_SITE_URL", "http://127.0.0.1:8000")
