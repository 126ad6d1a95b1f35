"""Production: secrets must come from the environment; HTTPS everywhere."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure") or len(set(SECRET_KEY)) < 5:
    # The same limits as Django's security.W009 check: 50 characters or more, 5 or more different ones.
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value in production: at least 50 characters, "
        "at least 5 of them different, not starting with 'insecure'."
    )

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Behind gunicorn, keep database connections for a minute (checked before reuse: see base.py).
DATABASES["default"]["CONN_MAX_AGE"] = int(env("CONN_MAX_AGE", "60"))  # noqa: F405
if "replica" in DATABASES:  # noqa: F405 - DATABASE_REPLICA_URL is set: the read replica, kept the same way
    DATABASES["replica"]["CONN_MAX_AGE"] = int(env("CONN_MAX_AGE", "60"))  # noqa: F405
# Behind the TLS proxy every request comes from the proxy: sign-in lock-outs and the sign-in record
# use the client's address from X-Forwarded-For, trusting as many proxies as PROXY_COUNT says (default 1).
PROXY_COUNT = int(env("PROXY_COUNT", "1"))
