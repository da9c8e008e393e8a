from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Trusts, users and metrics"

    def ready(self):
        # NOTE: imported here, once the apps are loaded, as Django's signals guide says:
        # signals connects the security-log receivers, tasks registers the Celery tasks that
        # services queue by name (core.tasks.queue_on_commit).
        from . import signals, tasks  # noqa: F401
