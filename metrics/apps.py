from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Trusts, users and metrics"

    def ready(self):
        from . import signals  # noqa: F401  (connects the security-log receivers)
