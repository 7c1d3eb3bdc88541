"""Test suite: PostgreSQL from DATABASE_URL (make test starts a private cluster)."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed in tests only
# One folder per pytest-xdist worker: workers run at the same time.
DOCUMENT_ROOT = VAR_DIR / f"test-documents-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
DATABASES["default"]["CONN_MAX_AGE"] = 0
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "caseworks_test")}
# With DATABASE_REPLICA_URL set, the replica alias points at the test database (a test mirror);
# tests/test_replica.py starts a real streaming replica of its own.
if "replica" in DATABASES:
    DATABASES["replica"]["CONN_MAX_AGE"] = 0
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
AXES_ENABLED = True
# Serve static files straight from the app folders in tests (browser tests need the CSS).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The money suites replay 2026's months whatever today is: the bound on payment-run months
# (current and next month only, caseworks/payments/controls.py) is off here and turned on by
# the tests of the bound (tests/test_run_controls.py). Production never sets it.
PAYMENT_RUN_MONTHS_BOUNDED = False
# Crash tests kill a worker at a named point (caseworks/payments/faults.py; only with the
# CASEWORKS_FAULT environment variable set in the process they start). Production never sets it.
FAULT_INJECTION = True
SMS_WEBHOOK_SECRET = "test-sms-webhook-secret"  # noqa: S105
