"""The UoR framework as versioned data: KLOEs, prompts and ratings characteristics."""

from django.db import models

from core.models import AbstractFramework, AbstractKloe
from core.ratings import Rating


class Framework(AbstractFramework):
    """One version of the UoR framework. An assessment keeps its version for ever."""


class Kloe(AbstractKloe):
    """A key line of enquiry of one framework version."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="kloes")
    metrics = models.ManyToManyField("metrics.MetricDefinition", blank=True, related_name="kloes")

    class Meta(AbstractKloe.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="kloe_code_unique"),
            models.UniqueConstraint(fields=["framework", "number"], name="kloe_number_unique"),
        ]

    def __str__(self):
        return self.title


class Prompt(models.Model):
    kloe = models.ForeignKey(Kloe, on_delete=models.CASCADE, related_name="prompts")
    code = models.CharField(max_length=20)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    carried_over_from = models.CharField(max_length=100, blank=True)
    metrics = models.ManyToManyField(
        "metrics.MetricDefinition",
        blank=True,
        related_name="prompts",
        help_text="The KLOE's metrics that answer this prompt.",
    )

    class Meta:
        ordering = ["kloe", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kloe", "code"], name="prompt_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"


class Characteristic(models.Model):
    """A ratings characteristic statement; `kloe` empty means an overall characteristic."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="characteristics"
    )
    kloe = models.ForeignKey(
        Kloe, on_delete=models.CASCADE, null=True, blank=True, related_name="characteristics"
    )
    level = models.PositiveSmallIntegerField(choices=Rating.choices)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["framework", "kloe", "level", "number"]

    def __str__(self):
        return self.text[:80]
