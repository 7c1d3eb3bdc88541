"""`make run`: PostgreSQL from DATABASE_URL (the private cluster under var/pg that `make run`
starts), a dev-only secret key. DEBUG is off unless DEBUG=1, so the demo shows the project's own
error pages, never a traceback; static files are served from the app folders."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = os.environ.get("DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
(VAR_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)  # whitenoise looks there first
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
