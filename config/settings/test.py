"""Test settings: fixed throwaway keys, fast hashing, tasks run immediately."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-a-secret-key-0123456789abcdef")
# Fernet key used only by the test suite (32 url-safe base64 bytes); never used in a deployment.
os.environ.setdefault("PERSONAL_DATA_KEY", "dGVzdC1vbmx5LWtleS1ub3QtYS1zZWNyZXQtMDEyMzQ=")
os.environ.setdefault("PERSONAL_DATA_HASH_KEY", "test-only-hash-key")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from config.settings.base import *  # noqa: E402,F403
from config.settings.base import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file database in WAL mode, as in production (the in-memory default hides locking).
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_SQLITE_NAME", "test_db.sqlite3")}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tests that need the recomputation after writes switch it on (settings fixture).
CULTURE_EVALUATE_ON_WRITE = False
