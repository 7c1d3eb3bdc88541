"""Production: every secret from the environment; HTTPS only (behind a TLS reverse proxy).

Environment (docs/deploy.md): DATABASE_URL (PostgreSQL, required), SECRET_KEY (required;
SECRET_KEY_FALLBACKS for rotation), ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, SECURE_PROXY_SSL_HEADER
(1 when the proxy sets X-Forwarded-Proto), SECURE_SSL_REDIRECT, SECURE_COOKIES (both default 1;
0 only for `make serve` on 127.0.0.1 over plain HTTP), DB_POOL (1: psycopg connection pool),
DB_POOL_MAX_SIZE, STATIC_ROOT.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASES, env_list

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Production needs SECRET_KEY (50 characters or more)")
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")
DEBUG = False

if DATABASES["default"].get("ENGINE") != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production runs on PostgreSQL: set DATABASE_URL=postgres://…")

# A connection pool per process (Django 5.1+ with psycopg_pool): gunicorn's threads share it.
# Pooling replaces persistent connections (CONN_MAX_AGE must be 0 with a pool).
if os.environ.get("DB_POOL", "1") == "1":
    for _database in DATABASES.values():  # the primary and, when configured, the replica
        _database["CONN_MAX_AGE"] = 0
        _database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "8")),
            "timeout": 10,
        }

# The client's address for the sign-in limits (django-axes counts failures per address as well
# as per account): behind the TLS proxy of deploy/, REMOTE_ADDR is the proxy's, so the address
# is taken from the X-Forwarded-For entry the proxy appends. PROXY_HOPS counts further proxies
# in front of it (a load balancer: 1). A request whose X-Forwarded-For carries more entries than
# that (a client writing its own header) counts against the proxy's address, never a forged one.
if os.environ.get("BEHIND_PROXY", "1") == "1":
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_HOPS", "0"))

# Invitation links and passkeys name the site: SITE_URL and the WebAuthn relying party default
# to the first of ALLOWED_HOSTS over HTTPS.
SITE_URL = os.environ.get("SITE_URL", f"https://{ALLOWED_HOSTS[0]}")
OTP_WEBAUTHN_RP_ID = os.environ.get("OTP_WEBAUTHN_RP_ID", ALLOWED_HOSTS[0])
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS", ",".join(f"https://{host}" for host in ALLOWED_HOSTS)
)

# HTTPS: the TLS proxy (deploy/) terminates TLS and sets X-Forwarded-Proto.
if os.environ.get("SECURE_PROXY_SSL_HEADER", "1") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
_secure_cookies = os.environ.get("SECURE_COOKIES", "1") == "1"
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The "preload" directive only allows a submission to the browsers' preload list (by hand).
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]  # load balancers probe over plain HTTP

if os.environ.get("STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["STATIC_ROOT"])
# Keep any storage base.py configures (documents); static files get hashed names, compressed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    **globals().get("STORAGES", {}),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
