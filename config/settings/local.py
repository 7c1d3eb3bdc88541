"""Local development (`make run`): SQLite by default, DEBUG on, a dev-only secret key."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
VAR_DIR.mkdir(parents=True, exist_ok=True)

# procrastinate's migrations are PostgreSQL SQL (CREATE EXTENSION …): on the zero-setup SQLite
# database skip them (its models are unmanaged, so no table is made and nothing else changes).
from .base import DATABASES  # noqa: E402

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    MIGRATION_MODULES = {"procrastinate": None}
