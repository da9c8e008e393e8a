"""The embedded default: SQLite, tasks in-process, console email, debug pages."""

from .base import *
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# NOTE: a fixed key is fine here: this module is never used in production (see production.py).
SECRET_KEY = env("SECRET_KEY", default="local-only-insecure-key-change-me-for-anything-real")
# The demo users sign in with a password only; production refuses this switch.
UOR_TWO_FACTOR = env.bool("UOR_TWO_FACTOR", default=False)
WHITENOISE_USE_FINDERS = True
