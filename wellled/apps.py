from django.apps import AppConfig


class WellledConfig(AppConfig):
    name = "wellled"
    verbose_name = "Well-led"

    def ready(self):
        # NOTE: registers the Celery tasks that services queue by name (see
        # core.tasks.queue_on_commit); imported once the apps are loaded.
        from . import tasks  # noqa: F401
