"""Test settings: fast hashing, in-memory email. DATABASE_URL is set by `make test`."""

from .base import *
from .base import env

SECRET_KEY = env("SECRET_KEY", default="test-only-key-not-secret-0123456789-abcdefghijkl")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
# Two-factor tests switch this on; most tests sign users in with force_login.
UOR_TWO_FACTOR = env.bool("UOR_TWO_FACTOR", default=False)
AXES_FAILURE_LIMIT = 5
# Serve static files from the source folders, so tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
