"""Production: PostgreSQL via DATABASE_URL, HTTPS behind a proxy, every secret from the env."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# Login lockout behind the reverse proxy: with AXES_PROXY_COUNT=N (the number of proxies in front
# of gunicorn) django-axes reads the client address from X-Forwarded-For, which the proxy must
# set (docs/deploy.md); with 0 (the default) it uses the connection's address.
_axes_proxies = env.int("AXES_PROXY_COUNT", default=0)
if _axes_proxies:
    AXES_IPWARE_PROXY_COUNT = _axes_proxies
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# The booking guard may be switched off only by the tests' and benchmark's negative control.
if not CULTURE_BOOKING_GUARD:  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CULTURE_BOOKING_GUARD=False is for the negative-control test only")

if not CULTURE_LIBRARY_GUARD:  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CULTURE_LIBRARY_GUARD=False is for the negative-control test only")
