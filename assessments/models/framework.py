"""The UoR framework as versioned data: KLOEs, prompts and ratings characteristics."""

from django.db import models

from core.models import AbstractFramework, AbstractKloe
from core.ratings import Rating


class Framework(AbstractFramework):
    """One version of the UoR framework. An assessment keeps its version for ever."""

    consultation_draft = models.BooleanField(
        "consultation draft",
        default=False,
        help_text="Put out for consultation: a live assessment may not use it, a pilot may.",
    )
    trust_types = models.JSONField(
        "trust types covered",
        default=list,
        blank=True,
        help_text="The trust types (metrics.TrustType values) it assesses; empty names no limit.",
    )
    provenance = models.TextField(
        "where its words come from",
        blank=True,
        help_text="One paragraph for readers of the pages and the report; `notes` has the detail.",
    )

    @classmethod
    def fields_from(cls, data: dict) -> dict:
        return {
            **super().fields_from(data),
            "consultation_draft": bool(data.get("consultation_draft")),
            "trust_types": list(data.get("trust_types") or []),
            "provenance": (data.get("provenance") or {}).get("framework", ""),
        }

    def covers(self, trust_type: str) -> bool:
        return not self.trust_types or trust_type in self.trust_types


class Kloe(AbstractKloe):
    """A key line of enquiry of one framework version."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="kloes")
    metrics = models.ManyToManyField("metrics.MetricDefinition", blank=True, related_name="kloes")
    source = models.TextField("where the question comes from", blank=True)

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
    source = models.TextField("where the prompt comes from", blank=True)
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
    source = models.TextField("where the statement comes from", blank=True)
    outside_scope = models.TextField(
        "why it is outside the framework's scope",
        blank=True,
        help_text="Shown beside the statement; such a statement is never offered as present.",
    )

    class Meta:
        ordering = ["framework", "kloe", "level", "number"]

    def __str__(self):
        return self.text[:80]
