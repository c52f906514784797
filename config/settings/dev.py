"""Local development and the `make run` demo: DEBUG on, SQLite by default."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from config.settings.base import *  # noqa: E402,F403

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
