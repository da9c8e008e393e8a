from django.apps import AppConfig


class WellledConfig(AppConfig):
    name = "wellled"
    verbose_name = "Well-led"
