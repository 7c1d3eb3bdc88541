"""Production: every secret from the environment; HTTPS only."""

from __future__ import annotations

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31536000
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    raise RuntimeError(
        "Production runs on PostgreSQL: set DATABASE_URL=postgres://… (SQLite is for make run)"
    )
