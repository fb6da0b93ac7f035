"""Test settings: the production settings module with test-only overrides.

The suite runs on SQLite with eager Celery by default, and on PostgreSQL and Redis when
DATABASE_URL / CELERY_BROKER_URL / REDIS_URL are set (as in CI)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
# A fixed Fernet key for tests (not secret: test data only).
os.environ.setdefault("COPROD_FIELD_ENCRYPTION_KEY", "O9FJv3eVnXzSVhM3R5m8g2WBmSvoV2b1Tq4cXyX3b0s=")

from coprod.settings import *  # noqa: F403
from coprod.settings import CELERY_BROKER_URL, DATABASES

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Plain names: browsers drop __Host- cookies that are not Secure (browser tests run over http).
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
SECURE_HSTS_SECONDS = 0
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"

# Fast hashing in tests; production uses Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Manifest storage would make live-server pages unstyled (UI.md): plain storage in tests.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tasks run eagerly except in tests marked `worker`, which start a real worker against Redis.
CELERY_TASK_ALWAYS_EAGER = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = ":memory:"
DATABASES["default"]["CONN_MAX_AGE"] = 0

COPROD_TEST_BROKER_URL = CELERY_BROKER_URL

# Parallel test workers (pytest-xdist) share one Redis database: give each its own key space, so
# one worker clearing its cache between tests does not wipe another's rate-limit counters.
CACHES["default"]["KEY_PREFIX"] = "coprod-test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405

# Receipts uploaded by tests go to a temporary folder of this test process, removed at exit.
_RECEIPTS = tempfile.TemporaryDirectory(prefix="coprod-test-receipts-")
COPROD_RECEIPTS_ROOT = Path(_RECEIPTS.name)

# Proposal attachments uploaded by tests: a temporary folder of this test process too.
_PROPOSAL_FILES = tempfile.TemporaryDirectory(prefix="coprod-test-proposal-files-")
COPROD_PROPOSAL_FILES_ROOT = Path(_PROPOSAL_FILES.name)

# Partnership documents and library files uploaded by tests (the permission matrix too, which has
# no tmp_path): a temporary folder of this test process.
_PARTNERSHIP_FILES = tempfile.TemporaryDirectory(prefix="coprod-test-partnership-files-")
COPROD_PARTNERSHIP_FILES_ROOT = Path(_PARTNERSHIP_FILES.name)
