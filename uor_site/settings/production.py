"""Production: PostgreSQL, Redis, HTTPS only. Secrets have no defaults.

https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import UOR_TWO_FACTOR, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

if not UOR_TWO_FACTOR:
    raise ImproperlyConfigured("UOR_TWO_FACTOR cannot be switched off in production.")

# SECURITY
# ------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "strict-origin"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# STATIC
# ------------------------------------------------------------------------------
STORAGES = {
    "default": {"BACKEND": "core.storage.DatabaseStorage"},  # uploads: in PostgreSQL
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

if not env("CELERY_BROKER_URL", default=""):
    raise ImproperlyConfigured("Set CELERY_BROKER_URL: production runs tasks in Celery workers.")
