"""Production settings for the page benchmark, on loopback, with what a bench cannot supply.

Everything comes from uor_site.settings.production (DEBUG off, CONN_MAX_AGE as production
sets it, second factors on, manifest static files, secure cookies and the HTTPS redirect;
the bench's client says it came over HTTPS with X-Forwarded-Proto, as the proxy would).
Only the secrets and hosts that production reads from the environment get bench defaults,
and the static files are collected into a throwaway folder.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-key-not-secret-0123456789-abcdefghijklmnop")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# NOTE: production refuses to start without a broker; the measured pages are GETs that queue
# no task, so nothing ever connects to it.
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from uor_site.settings.production import *  # noqa: F403
from uor_site.settings.production import STATIC_ROOT, env

STATIC_ROOT = env.path("BENCH_STATIC_ROOT", default=STATIC_ROOT)
