"""Settings shared by every environment; values come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("SECRET_KEY", "insecure-local-development-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "vrhub.accounts.apps.VerifiedAdminConfig",  # django.contrib.admin, with a site that requires 2FA
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "vrhub.core",
    "vrhub.accounts",
    "vrhub.organisations",
    "vrhub.plans",
    "vrhub.cycle",
    "vrhub.workbooks",
    "vrhub.reports",
    "vrhub.dashboard",
    "vrhub.learning",
    "vrhub.transparency",
    "vrhub.evidence",
    "vrhub.jobs",
    "vrhub.operations",
    "vrhub.governance",
    "vrhub.programmes",
    "vrhub.duty",
    "vrhub.demo",
    "django_tasks",
    "django_tasks_db",
    # After vrhub.accounts, so that its sign-in audit receivers are connected before axes' own.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the CSRF check reads the body: a full disk while receiving an upload gets a clear page.
    "vrhub.core.middleware.UploadSpaceMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "vrhub.accounts.middleware.SessionTimeoutMiddleware",
    "vrhub.accounts.middleware.OTPRequiredMiddleware",
    # Evidence reads see the ISTV uploads of the user's own VRU only.
    "vrhub.evidence.middleware.EvidenceScopeMiddleware",
    "vrhub.core.middleware.ContentSecurityPolicyMiddleware",
    "vrhub.core.middleware.NotFoundMiddleware",
    "vrhub.core.db_router.ReadYourWritesMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vrhub.urls"
WSGI_APPLICATION = "vrhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "vrhub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "0")),
        # A kept connection is checked before each request, so that a database restart costs no errors.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA foreign_keys=ON;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

# An optional PostgreSQL read replica: the dashboards' pages and the API's GET endpoints read from it
# (views marked @replica_reads); everything else, and every write, uses the primary. See
# vrhub/core/db_router.py and docs/deployment.md (replica lag and reading one's own writes).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", "")
REPLICA_DATABASE: str | None = None
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(env("CONN_MAX_AGE", "0")), conn_health_checks=True
    )
    REPLICA_DATABASE = "replica"
DATABASE_ROUTERS = ["vrhub.core.db_router.ReplicaRouter"]
# After a write, that browser reads from the primary for this long (longer than the replica's lag).
REPLICA_STICKY_SECONDS = int(env("REPLICA_STICKY_SECONDS", "15"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes watches every sign-in first (it authenticates no one itself).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "vrhub" / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"

# Uploads: supporting documents are limited in size and type (see plans.documents).
DOCUMENT_MAX_BYTES = int(env("DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# A whole upload request (a file over DOCUMENT_MAX_BYTES is answered by its form; far over, here).
UPLOAD_REQUEST_MAX_BYTES = 2 * DOCUMENT_MAX_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 5
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "vrhub.plans.documents.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Evidence workbench analytical store (used by the evidence app).
EVIDENCE_DUCKDB = env("EVIDENCE_DUCKDB", str(BASE_DIR / "var" / "evidence.duckdb"))

# E-mail
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "vrhub <no-reply@localhost>")

SESSION_COOKIE_HTTPONLY = True
# Sessions: signed out after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_COOKIE_AGE
# seconds after signing in whatever happens (see vrhub.accounts.middleware).
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(12 * 60 * 60)))
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_TIMEOUT", str(30 * 60)))
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Quarterly update reminders: editors are reminded this many days before updates are due.
REMINDER_DAYS_BEFORE = int(env("REMINDER_DAYS_BEFORE", "7"))
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# Sign-in throttling (django-axes): AXES_FAILURE_LIMIT wrong passwords for one username from one IP
# address lock that pair out for AXES_COOLOFF_MINUTES; the lock-out page says when to try again.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the retry time shown stays true
AXES_LOCKOUT_CALLABLE = "vrhub.accounts.views.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # vrhub.accounts.SignInEvent records sign-ins and sign-outs
AXES_VERBOSE = False

# Two-factor authentication (django-otp, TOTP with backup codes): required for these roles and for
# staff (who can use /admin/); available to everyone from their account page.
OTP_REQUIRED_ROLES = [r.strip() for r in env("OTP_REQUIRED_ROLES", "vru_admin,signatory").split(",") if r.strip()]
OTP_REQUIRED_FOR_STAFF = True
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "vrhub")
# Local demos only: with DEBUG on, VRHUB_DEMO_SKIP_2FA=1 lets the demo users in without a second
# factor. Ignored when DEBUG is off.
VRHUB_DEMO_SKIP_2FA = env_bool("VRHUB_DEMO_SKIP_2FA", False)

# Background jobs (vrhub.jobs): a queue in the application's own database, run by
# `python manage.py db_worker` (`make worker`); `make run` starts one beside the development server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# dumpdata/loaddata (and backups) keep timestamps to the microsecond.
SERIALIZATION_MODULES = {"json": "vrhub.operations.serializer"}

# The client's address (sign-in lock-outs, the sign-in record): REMOTE_ADDR, or with PROXY_COUNT
# proxies in front the address the outermost one saw (vrhub.core.http.client_ip). Production sets 1.
PROXY_COUNT = int(env("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "vrhub.core.http.client_ip"
