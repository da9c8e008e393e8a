"""Settings shared by every environment. Values that differ come from the environment.

https://docs.djangoproject.com/en/5.2/ref/settings/
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from environs import Env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = Env()
env.read_env(str(BASE_DIR / ".env"), recurse=False)

# GENERAL
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"
USE_I18N = False
USE_TZ = True
ROOT_URLCONF = "uor_site.urls"
WSGI_APPLICATION = "uor_site.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# DATABASES
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
# The embedded default is a SQLite file beside manage.py; set DATABASE_URL for PostgreSQL.
DATABASES = {
    "default": env.dj_db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep each process's connection for a minute rather than opening one per request (0 closes it
# after every request). https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection is checked before a request uses it, so a restarted PostgreSQL (or a
# connection it killed) costs a reconnect, not a failed request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "metrics.admin_config.UorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
]
LOCAL_APPS = ["core", "metrics", "assessments", "wellled"]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/auth/customizing/
AUTH_USER_MODEL = "metrics.User"
# NOTE: axes must come first so a locked-out account is refused before its password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Second factor for NHS Improvement and CQC staff. Production refuses to switch it off.
UOR_TWO_FACTOR = env.bool("UOR_TWO_FACTOR", default=True)
OTP_TOTP_ISSUER = "NHS Use of Resources"

# Login throttling: after AXES_FAILURE_LIMIT failures the username is locked from that address.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "metrics.middleware.PageMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "metrics.middleware.SessionIdleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "metrics.middleware.TwoFactorEnrolmentMiddleware",
    "metrics.middleware.SecurityLogMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# SECURITY
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/security/
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Sessions end after this long without a request. metrics.middleware.SessionIdleMiddleware
# pushes the expiry back at most once a minute, so a page view that changes nothing writes
# nothing.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "metrics.context_processors.service",
            ],
        },
    }
]
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# STATIC
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/howto/static-files/
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# NOTE: uploaded files live in the database (core.storage), beside the rows that own them:
# saved in their transaction, in every backup, and the same for every web and worker process.
STORAGES = {
    "default": {"BACKEND": "core.storage.DatabaseStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# MEDIA (uploaded attachments)
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#media-root
# NOTE: files are never served by a URL of their own; they go out only through the download
# views, which check who may see them. So there is no MEDIA_URL. MEDIA_ROOT is only where
# files were kept before they moved into the database: `move_files_to_database` reads it.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# EMAIL
# ------------------------------------------------------------------------------
# EMAIL_URL such as smtp+tls://user:pass@host:587; the console backend by default.
# NOTE: parsed here because the dj-email-url release we get sets no EMAIL_BACKEND (so
# Django fell back to SMTP) and ignores "+tls".
_email = urlsplit(env("EMAIL_URL", default="consolemail://"))
_EMAIL_BACKENDS = {
    "consolemail": "django.core.mail.backends.console.EmailBackend",
    "memorymail": "django.core.mail.backends.locmem.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
}
if _email.scheme not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(f"EMAIL_URL must start with one of {', '.join(_EMAIL_BACKENDS)}")
EMAIL_BACKEND = _EMAIL_BACKENDS[_email.scheme]
EMAIL_HOST = _email.hostname or "localhost"
EMAIL_PORT = _email.port or 25
EMAIL_HOST_USER = unquote(_email.username or "")
EMAIL_HOST_PASSWORD = unquote(_email.password or "")
EMAIL_USE_TLS = _email.scheme == "smtp+tls"
EMAIL_USE_SSL = _email.scheme == "smtp+ssl"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="UoR <noreply@uor.invalid>")

# CELERY
# ------------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# With no broker, tasks run in-process so the embedded default needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="uor")
# Time limits of the long tasks (core.tasks.time_limits): at the soft limit a task is asked to
# stop and records why; UOR_TIME_LIMIT_GRACE later the worker kills it. The sweep
# (core.jobs.jobs_sweep, every UOR_SWEEP_SECONDS) re-queues or fails a row still "rendering" or
# "running" UOR_JOB_MARGIN_SECONDS after its hard limit, and re-sends a row left queued for
# UOR_QUEUED_GRACE_SECONDS (the broker was down when it was saved, or lost its message).
UOR_RENDER_TIME_LIMIT = env.int("UOR_RENDER_TIME_LIMIT", default=300)
UOR_LOAD_TIME_LIMIT = env.int("UOR_LOAD_TIME_LIMIT", default=1800)
UOR_TIME_LIMIT_GRACE = env.int("UOR_TIME_LIMIT_GRACE", default=30)
UOR_JOB_MARGIN_SECONDS = env.int("UOR_JOB_MARGIN_SECONDS", default=60)
UOR_SWEEP_SECONDS = env.int("UOR_SWEEP_SECONDS", default=60)
UOR_QUEUED_GRACE_SECONDS = env.int("UOR_QUEUED_GRACE_SECONDS", default=120)
# NOTE: Redis hands an unacknowledged task to another worker after the visibility timeout;
# it is computed here, once, longer than the longest hard limit plus the sweep's margin, so
# a slow task is never run twice at once and the sweep acts first on a dead worker's rows.
UOR_LONGEST_TIME_LIMIT = max(UOR_RENDER_TIME_LIMIT, UOR_LOAD_TIME_LIMIT) + UOR_TIME_LIMIT_GRACE
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": UOR_LONGEST_TIME_LIMIT + UOR_JOB_MARGIN_SECONDS + 600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,  # a Redis that accepts but never answers (longer than BRPOP's 1 s)
}
# Publishing fails fast when Redis is down: the row is saved queued and the sweep sends it
# later, so a request need not wait long for a broker that is not there.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
# Run by `celery -A uor_site beat`: the reminders a week and a day before the commentary and
# factual-accuracy deadlines and once they pass (assessments.services.reminders), and the
# overdue well-led reviews and actions (wellled.notifications). Each reaches each person
# once, however often they run (`manage.py send_reminders` does the same by hand). And the
# jobs sweep (`manage.py sweep_jobs` by hand).
CELERY_BEAT_SCHEDULE = {
    "deadline-reminders": {
        "task": "assessments.tasks.deadline_reminders_task",
        "schedule": timedelta(days=1),
    },
    "wellled-reminders": {
        "task": "wellled.tasks.wellled_reminders_task",
        "schedule": timedelta(days=1),
    },
    # Re-send queued jobs nobody picked up; re-queue or fail those whose worker stopped.
    "jobs-sweep": {
        "task": "core.tasks.jobs_sweep_task",
        "schedule": timedelta(seconds=UOR_SWEEP_SECONDS),
    },
}

# REST FRAMEWORK
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["metrics.api_auth.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.ApiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.pagination.ApiPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "core.api.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "UoR API",
    "DESCRIPTION": "NHS Use of Resources assessments: the same data the pages show, by role.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every error answer documented with its body (core.api_schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api_schema.document_errors",
    ],
    # One name for the 1-4 rating scale, which several fields share.
    "ENUM_NAME_OVERRIDES": {
        "RatingEnum": "core.ratings.Rating",
        "ReportKindEnum": "assessments.reports.models.ReportVersion.Kind",
        "ChallengeKindEnum": "assessments.factual_accuracy.models.Challenge.Kind",
        "ChallengeOutcomeEnum": "assessments.factual_accuracy.models.Challenge.Outcome",
        "EvidenceSourceEnum": "assessments.models.Evidence.Source",
        "CqcRatingSourceEnum": "metrics.models.cqc_ratings.CqcRatingSource",
    },
}

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A 403 or 404 the service gives on purpose is one line, not a traceback.
    "filters": {"expected_refusals": {"()": "core.log_filters.ExpectedRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"filters": ["expected_refusals"]},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
