from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Use of Resources assessments"

    def ready(self):
        # NOTE: registers the Celery tasks that services queue by name (see
        # core.tasks.queue_on_commit); imported once the apps are loaded.
        from . import tasks  # noqa: F401
