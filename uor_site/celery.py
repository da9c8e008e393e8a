"""The Celery app. With no broker configured, tasks run in-process (embedded default)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uor_site.settings.local")

app = Celery("uor_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
