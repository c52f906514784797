"""Settings shared by every environment; values come from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# Personal numbers (ID / social security / phone): Fernet key for encryption at rest and an
# HMAC key for look-up hashes. Both must come from the environment in every deployment.
PERSONAL_DATA_KEY = env("PERSONAL_DATA_KEY")
PERSONAL_DATA_HASH_KEY = env("PERSONAL_DATA_HASH_KEY")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "culture.core",
    "culture.org",
    "culture.accounts",
    "culture.spreadsheets",
    "culture.venues",
    "culture.activities",
    "culture.teams",
    "culture.standards",
    "culture.circles",
    "culture.booking",
    "culture.library",
    "culture.cockpit",
    "culture.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "culture.core.i18n.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "culture.core.middleware.StaffIdleTimeoutMiddleware",
    "culture.core.exceptions.ServiceErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "culture" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "culture.core.context_processors.platform",
            ],
        },
    },
]

# SQLite (WAL, IMMEDIATE transactions) when DATABASE_URL is unset; PostgreSQL 15 in production.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "culture.accounts.backends.UsernameOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# django-axes: lock an account + IP after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Staff sessions end after this much inactivity (residents keep the default session age).
STAFF_IDLE_TIMEOUT = timedelta(minutes=env.int("STAFF_IDLE_TIMEOUT_MINUTES", default=30))
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end assets copied from node_modules by `make assets` (echarts, htmx.org).
STATICFILES_DIRS = [BASE_DIR / "static_vendor"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# Uploads: spreadsheets are checked before parsing (see culture.spreadsheets.safety).
SPREADSHEET_MAX_BYTES = env.int("SPREADSHEET_MAX_BYTES", default=20 * 1024 * 1024)
SPREADSHEET_MAX_UNPACKED_BYTES = env.int(
    "SPREADSHEET_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024
)
SPREADSHEET_MAX_ENTRIES = env.int("SPREADSHEET_MAX_ENTRIES", default=2000)
SPREADSHEET_MAX_RATIO = env.int("SPREADSHEET_MAX_RATIO", default=100)
SPREADSHEET_MAX_ROWS = env.int("SPREADSHEET_MAX_ROWS", default=200_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# One-time SMS codes go through this backend; the default writes the code to the log.
SMS_BACKEND = env("SMS_BACKEND", default="culture.accounts.sms.LoggingSmsBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# ---- Named definitions of the standards (the policy leaves them open; a district officer may
# change them here; each indicator's page says which it uses) --------------------------------
# Off-peak (错时) hours: an open hour outside this window on a working day is off-peak; weekends
# and public holidays are off-peak all day; adjusted working days (调休) count as working days.
CULTURE_OFFPEAK_START = env("CULTURE_OFFPEAK_START", default="09:00")
CULTURE_OFFPEAK_END = env("CULTURE_OFFPEAK_END", default="17:00")
# An "active" cultural team: flagged active and active within this many days.
CULTURE_ACTIVE_TEAM_WINDOW_DAYS = env.int("CULTURE_ACTIVE_TEAM_WINDOW_DAYS", default=365)
CULTURE_ACTIVE_TEAM_MIN_ACTIVITIES = env.int("CULTURE_ACTIVE_TEAM_MIN_ACTIVITIES", default=4)
# A film shown within this many years of its release counts as new (S32).
CULTURE_NEW_FILM_YEARS = env.int("CULTURE_NEW_FILM_YEARS", default=2)
# Primary and middle school terms in Hangzhou (typical published calendars; the officer edits
# them on the definitions page when the education bureau publishes each year's dates).
CULTURE_SCHOOL_TERMS = [
    {"name": "2022-2023学年第二学期", "start": "2023-02-06", "end": "2023-06-30"},
    {"name": "2023-2024学年第一学期", "start": "2023-09-01", "end": "2024-01-24"},
    {"name": "2023-2024学年第二学期", "start": "2024-02-19", "end": "2024-06-28"},
    {"name": "2024-2025学年第一学期", "start": "2024-09-01", "end": "2025-01-17"},
    {"name": "2024-2025学年第二学期", "start": "2025-02-17", "end": "2025-06-30"},
    {"name": "2025-2026学年第一学期", "start": "2025-09-01", "end": "2026-01-23"},
    {"name": "2025-2026学年第二学期", "start": "2026-03-02", "end": "2026-07-03"},
    {"name": "2026-2027学年第一学期", "start": "2026-09-01", "end": "2027-01-22"},
]
# Recompute the standards after each write (a background run, seconds behind the write).
CULTURE_EVALUATE_ON_WRITE = env.bool("CULTURE_EVALUATE_ON_WRITE", default=True)
# 15-minute culture circle (policy 2.2.3): a home is covered when, within this many metres (in
# EPSG:4549), it has >= 1 public culture venue and >= 2 public-welfare cultural spaces. The kinds
# default to culture.venues.models.PUBLIC_CULTURE_VENUE_KINDS / PUBLIC_WELFARE_SPACE_KINDS.
CULTURE_CIRCLE_RADIUS_M = env.float("CULTURE_CIRCLE_RADIUS_M", default=1500.0)
# Zhejiang's guidance for city circles (about 1 km), shown beside the policy's radius.
CULTURE_CIRCLE_CITY_RADIUS_M = env.float("CULTURE_CIRCLE_CITY_RADIUS_M", default=1000.0)
# The 10-minute fitness circle (S09): about 10 minutes on foot.
CULTURE_FITNESS_CIRCLE_RADIUS_M = env.float("CULTURE_FITNESS_CIRCLE_RADIUS_M", default=1000.0)
# Siting (where new venues and spaces should go, docs/circles.md): the solver's time limit in
# seconds; above this many non-zeros only the labelled greedy heuristic runs; the spacing of the
# candidate grid generated when no candidate sites are imported.
CULTURE_SITING_TIME_LIMIT_S = env.float("CULTURE_SITING_TIME_LIMIT_S", default=10.0)
CULTURE_SITING_MAX_NONZEROS = env.int("CULTURE_SITING_MAX_NONZEROS", default=1_000_000)
CULTURE_SITING_GRID_M = env.float("CULTURE_SITING_GRID_M", default=250.0)
# A circle's acceptance needs an offline activity in each of this many weeks up to today.
CULTURE_CIRCLE_ACTIVITY_WEEKS = env.int("CULTURE_CIRCLE_ACTIVITY_WEEKS", default=4)
# The absolute address residents reach the platform at: the circles' QR codes encode it.
CULTURE_PUBLIC_BASE_URL = env("CULTURE_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

# ---- one-click booking (culture.booking) --------------------------------------------------
# Repeated no-shows suspend booking: this many no-shows within the window suspend the person for
# the given number of days from the last one.
CULTURE_BOOKING_NO_SHOW_LIMIT = env.int("CULTURE_BOOKING_NO_SHOW_LIMIT", default=3)
CULTURE_BOOKING_NO_SHOW_WINDOW_DAYS = env.int("CULTURE_BOOKING_NO_SHOW_WINDOW_DAYS", default=90)
CULTURE_BOOKING_SUSPENSION_DAYS = env.int("CULTURE_BOOKING_SUSPENSION_DAYS", default=30)
# A booking not checked in this many minutes after its start may be marked a no-show.
CULTURE_BOOKING_NO_SHOW_AFTER_MINUTES = env.int("CULTURE_BOOKING_NO_SHOW_AFTER_MINUTES", default=30)
# The negative control of the concurrency tests and the benchmark ONLY: False switches the
# database guard off (a naive read-check-write in autocommit) to show the race it prevents.
# Production settings refuse False.
CULTURE_BOOKING_GUARD = env.bool("CULTURE_BOOKING_GUARD", default=True)
# Outside channels for notifications (besides the in-app message): dotted path of a backend.
CULTURE_NOTIFICATION_BACKENDS = env.list(
    "CULTURE_NOTIFICATION_BACKENDS", default=["culture.accounts.notifications.LoggingChannel"]
)

# ---- one-click borrowing and the main/branch library system (culture.library) ------------
# Defaults of the loan rules (a LoanRule row per reader category and item type overrides them).
CULTURE_LIBRARY_LOAN_LIMIT = env.int("CULTURE_LIBRARY_LOAN_LIMIT", default=10)
CULTURE_LIBRARY_LOAN_DAYS = env.int("CULTURE_LIBRARY_LOAN_DAYS", default=30)
CULTURE_LIBRARY_RENEWALS = env.int("CULTURE_LIBRARY_RENEWALS", default=1)
CULTURE_LIBRARY_HOLD_EXPIRY_DAYS = env.int("CULTURE_LIBRARY_HOLD_EXPIRY_DAYS", default=7)
# A returned copy goes back to its home branch ("home") or stays where it was returned ("float").
CULTURE_LIBRARY_RETURN_POLICY = env("CULTURE_LIBRARY_RETURN_POLICY", default="float")
# Home delivery of one-click borrowing (送书到家) offered to readers.
CULTURE_LIBRARY_HOME_DELIVERY = env.bool("CULTURE_LIBRARY_HOME_DELIVERY", default=True)
# The loan-limit guard (the reader row locked and the counter moved by a conditional UPDATE).
# False only for the negative-control test and benchmark; production refuses it.
CULTURE_LIBRARY_GUARD = env.bool("CULTURE_LIBRARY_GUARD", default=True)
# Reader categories from the card's birth date: 少儿 under this age, 老年 from that one.
# Readers are reminded this many days before a loan is due (and told once when it is overdue).
CULTURE_LIBRARY_REMIND_DAYS = env.int("CULTURE_LIBRARY_REMIND_DAYS", default=3)
CULTURE_LIBRARY_CHILD_UNDER = env.int("CULTURE_LIBRARY_CHILD_UNDER", default=14)
CULTURE_LIBRARY_ELDERLY_FROM = env.int("CULTURE_LIBRARY_ELDERLY_FROM", default=60)
# S17: the first year the platform's copies are the library system's whole stock (0: not yet;
# the reported figures are used). The default of the named definition of the same meaning.
CULTURE_LIBRARY_STOCK_COMPLETE_FROM = env.int("CULTURE_LIBRARY_STOCK_COMPLETE_FROM", default=0)
