"""Caseworks settings, read from the environment.

Environment variables (docs/deploy.md has the full table):
DATABASE_URL (PostgreSQL; `make run` starts a private cluster under var/pg and sets it),
SECRET_KEY, ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS (comma-separated),
DOCUMENT_ROOT (uploads, outside the web root; default var/documents), SESSION_IDLE_SECONDS (1800).
DATABASE_REPLICA_URL (optional: a streaming replica that reports, exports and policy simulation
read from; docs/scaling.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import csp.constants
import dj_database_url
from django.utils.translation import gettext_lazy as _

from caseworks.core.db import REPLICA_DB_ALIAS, replica_database

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CASEWORKS_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_htmx",
    "procrastinate.contrib.django",
    "health_check",
    "django_prometheus",
    "django_structlog",
    "caseworks.core",
    "caseworks.partners",
    "caseworks.accounts",
    "caseworks.clients",
    "caseworks.cases",
    "caseworks.applications",
    "caseworks.documents",
    "caseworks.eligibility",
    "caseworks.plans",
    "caseworks.employment",
    "caseworks.caseload",
    "caseworks.payments",
    "caseworks.reviews",
    "caseworks.messaging",
    "caseworks.reporting",
    "caseworks.surveys",
    "caseworks.records",
    "caseworks.ops",
    # The client realm (issue 17): client accounts through django-allauth and its MFA. The
    # portal comes first: its templates (account/login.html, allauth/layouts/) win.
    "caseworks.portal",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "caseworks.demo",  # demo data for make run (load_demo_data); the top of the app graph
]

MIDDLEWARE = [
    # django-prometheus: "Before" first and "After" last but for axes (its documentation).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy headers.
    "csp.middleware.CSPMiddleware",
    "caseworks.core.middleware.PermissionsPolicyMiddleware",
    # 413 for a body over MAX_REQUEST_BYTES, before anything reads it.
    "caseworks.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Two session cookies: the client realm's (/my/, PORTAL_SESSION_COOKIE_NAME) and staff's.
    "caseworks.portal.middleware.RealmSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp: request.user.is_verified() after a second factor in this session.
    "django_otp.middleware.OTPMiddleware",
    # The client realm: staff accounts never open /my/, client accounts never open staff pages.
    "caseworks.portal.middleware.RealmSeparationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Request log lines (request_id, user_id, partner_id, role): after authentication.
    "django_structlog.middlewares.RequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "caseworks.accounts.middleware.IdleSessionTimeoutMiddleware",
    # Every staff session passes a second factor (enrolled at first sign-in) before any page.
    "caseworks.accounts.second_factor.SecondFactorMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # AxesMiddleware must be last (django-axes documentation).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "caseworks" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "caseworks.accounts.context_processors.role_flags",
            ],
        },
    },
]

# PostgreSQL everywhere (ADR 0007). Without DATABASE_URL, commands that need no database
# (compilemessages, check) still run; anything that touches the database fails with a message.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
    )
    if os.environ.get("DATABASE_URL")
    else {"ENGINE": "django.db.backends.dummy"}
}
# A streaming replica (docs/scaling.md): reports, exports and policy simulation read from it in
# `use_replica()` blocks; every write and every other read stays on the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES[REPLICA_DB_ALIAS] = replica_database(
        DATABASES["default"], os.environ["DATABASE_REPLICA_URL"]
    )
DATABASE_ROUTERS = ["caseworks.core.db.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend must be first (django-axes documentation).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "caseworks.accounts.validators.LocalWordsPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock the username+IP pair after 5 failures, and an address after 20 failures
# over any usernames, for 30 minutes (caseworks/accounts/lockout.py).
AXES_HANDLER = "caseworks.accounts.lockout.AddressAndAccountLockoutHandler"
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The lockout page of the realm asked for: the portal's under /my/, the staff one elsewhere.
AXES_LOCKOUT_CALLABLE = "caseworks.portal.lockout.lockout_response"

# E-mail (password reset links): the console in development; production sets EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST. A reset link works for one hour.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "caseworks@localhost")
# The address staff reach Caseworks at: links in e-mails sent outside a request (invitations).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Second factor (issue 13; ADR 0008): django-otp with TOTP authenticator apps, one-time
# recovery codes and passkeys (django-otp-webauthn). Passkeys work only on a host name (the
# WebAuthn relying party), never on an IP address: OTP_WEBAUTHN_RP_ID is the site's domain.
OTP_TOTP_ISSUER = "Caseworks"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin may remove a lost device, never show its key
OTP_TOTP_THROTTLE_FACTOR = 1  # 1 s, 2 s, 4 s … after each wrong code
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_WEBAUTHN_RP_ID = os.environ.get("OTP_WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = "Caseworks"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS", "http://localhost:8000,http://localhost:8001"
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second factor, not the first
RECOVERY_CODE_COUNT = 10
PASSWORD_RESET_TIMEOUT = 60 * 60

# The client realm (caseworks/portal, issue 17): its own URL space, session cookie and sign-in
# (django-allauth, username or phone number; MFA by authenticator app or passkey, required to
# change bank details). Staff sign in through caseworks.accounts as before.
PORTAL_URL_PREFIX = "/my/"
PORTAL_SESSION_COOKIE_NAME = "caseworks_client_session"
ACCOUNT_ADAPTER = "caseworks.portal.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:login"
# Sign-in failures are counted and locked by django-axes for both realms (AXES_* above; the
# portal's lockout page: caseworks.portal.lockout); allauth's own login_failed limit would
# answer first with a different page, so it is left to axes.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "Caseworks – Ontario Works"
# How recent the second factor must be to change bank details online (seconds).
PORTAL_SECOND_FACTOR_MAX_AGE = 15 * 60
# Outbound text messages (portal reminders and receipts): a backend class, like EMAIL_BACKEND.
# The console backend writes to the outbox table and the log only; production sets a provider's.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "caseworks.portal.sms.ConsoleSmsBackend")
# Inbound text messages: the provider signs each webhook body with HMAC-SHA256 and this secret.
SMS_WEBHOOK_SECRET = os.environ.get("SMS_WEBHOOK_SECRET", "")
# Monthly income reports are due on this day of the month; reminders go this many days before.
PORTAL_REPORT_DUE_DAY = 15
PORTAL_REMINDER_DAYS_BEFORE = (5, 2)

SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_TOUCH_SECONDS = 60  # how often a request records "last seen" (one session write a minute)
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts and styles only from our own static files; no
# inline script, no inline style attribute. The one inline <style> is the 500 page's (it must
# render without static files), allowed by its hash (tests/security/test_headers.py checks it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF],
        "style-src": [csp.constants.SELF, "'sha256-qmcIorl9uhClH42iWWHArpG371npSHrRpJvclg1g6kY='"],
        "img-src": [csp.constants.SELF, "data:"],  # data: for the API docs' icons
        "font-src": [csp.constants.SELF],
        "connect-src": [csp.constants.SELF],
        "object-src": [csp.constants.NONE],
        "base-uri": [csp.constants.SELF],
        "form-action": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "caseworks" / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "caseworks" / "static"]

DOCUMENT_ROOT = Path(os.environ.get("DOCUMENT_ROOT", VAR_DIR / "documents"))
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The largest request body: a 10 MB document and its form (RequestSizeLimitMiddleware answers
# 413 above it). Django reads bodies up to the same size, so no body under the limit is refused
# by RequestDataTooBig (which the API answered with a 500).
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

# Document content: in PostgreSQL (`database`, the default) or in an S3-compatible bucket (`s3`)
# through django-storages (docs/backup.md). Empty credentials use boto3's own chain
# (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment, or an instance role).
DOCUMENT_STORAGE = os.environ.get("DOCUMENT_STORAGE", "database")
DOCUMENT_S3_BUCKET = os.environ.get("DOCUMENT_S3_BUCKET", "")
DOCUMENT_S3_ENDPOINT_URL = os.environ.get("DOCUMENT_S3_ENDPOINT_URL", "")
DOCUMENT_S3_REGION = os.environ.get("DOCUMENT_S3_REGION", "ca-central-1")
DOCUMENT_S3_ACCESS_KEY_ID = os.environ.get("DOCUMENT_S3_ACCESS_KEY_ID", "")
DOCUMENT_S3_SECRET_ACCESS_KEY = os.environ.get("DOCUMENT_S3_SECRET_ACCESS_KEY", "")
DOCUMENT_S3_SERVER_SIDE_ENCRYPTION = os.environ.get("DOCUMENT_S3_SERVER_SIDE_ENCRYPTION", "")

# Records retention (caseworks/records/constants.py): years a closed file is kept before
# `manage.py purge_closed_files` removes its personal data. No default: take it from the
# partner's records retention by-law.
_retention_years = os.environ.get("RECORDS_CLOSED_FILE_RETENTION_YEARS", "")
RECORDS_CLOSED_FILE_RETENTION_YEARS = int(_retention_years) if _retention_years else None

# Observability (docs/observability.md): structured logs, the audit stream, health, metrics.
from caseworks.ops.logs import (  # noqa: E402  # kept beside the settings it builds
    configure_structlog,
    default_log_format,
    logging_config,
)

LOG_FORMAT = os.environ.get("LOG_FORMAT") or default_log_format()  # json | console
AUDIT_LOG_FILE = os.environ.get("AUDIT_LOG_FILE", "")
LOGGING = logging_config(
    log_format=LOG_FORMAT,
    level=os.environ.get("LOG_LEVEL", "WARNING"),
    audit_log_file=AUDIT_LOG_FILE,
)
configure_structlog()
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = 10  # DEBUG: one INFO line per request, when it ends
HEALTH_QUEUE_LAG_SECONDS = int(os.environ.get("HEALTH_QUEUE_LAG_SECONDS", "300"))
HEALTH_STALLED_WORKER_SECONDS = int(os.environ.get("HEALTH_STALLED_WORKER_SECONDS", "60"))
HEALTH_PAYMENT_RUN_STALLED_SECONDS = int(
    os.environ.get("HEALTH_PAYMENT_RUN_STALLED_SECONDS", "600")
)
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
