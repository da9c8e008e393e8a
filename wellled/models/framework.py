"""Hold the well-led framework as versioned data: KLOEs W1-W8 with their prompts, ratings
characteristics and good practice, loaded from fixtures/frameworks/wellled-2017.yaml."""

from django.db import models

from core.models import AbstractFramework, AbstractKloe
from core.ratings import Rating


class Framework(AbstractFramework):
    """One version of the well-led framework."""


class Kloe(AbstractKloe):
    """One of the eight well-led key lines of enquiry (W1-W8)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="kloes")

    class Meta(AbstractKloe.Meta):
        verbose_name = "KLOE"
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="wellled_kloe_code_unique"),
            models.UniqueConstraint(
                fields=["framework", "number"], name="wellled_kloe_number_unique"
            ),
        ]

    def __str__(self):
        return f"W{self.number} {self.title}"

    @property
    def label(self) -> str:
        return f"W{self.number}"


class Prompt(models.Model):
    class AppliesTo(models.TextChoices):
        CORE = "core", "Core"
        MENTAL_HEALTH = "mental_health", "Specialist mental health services only"

    kloe = models.ForeignKey(Kloe, on_delete=models.CASCADE, related_name="prompts")
    code = models.CharField(max_length=20)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    applies_to = models.CharField(max_length=20, choices=AppliesTo.choices, default="core")

    class Meta:
        ordering = ["kloe", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kloe", "code"], name="wellled_prompt_code_unique"),
            models.CheckConstraint(
                condition=models.Q(applies_to__in=["core", "mental_health"]),
                name="wellled_prompt_applies_known",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"


class RatingsCharacteristic(models.Model):
    """A four-level ratings statement (Annex B); `kloe` empty means well-led overall."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="characteristics"
    )
    kloe = models.ForeignKey(
        Kloe, on_delete=models.CASCADE, null=True, blank=True, related_name="characteristics"
    )
    level = models.PositiveSmallIntegerField(choices=Rating.choices)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    mental_health = models.BooleanField("for specialist mental health services", default=False)

    class Meta:
        ordering = ["framework", "kloe", "mental_health", "level", "number"]

    def __str__(self):
        return self.text[:80]


class GoodPractice(models.Model):
    """A characteristic of good organisations, with its descriptions of good practice."""

    kloe = models.ForeignKey(Kloe, on_delete=models.CASCADE, related_name="good_practice")
    number = models.PositiveSmallIntegerField()
    characteristic = models.TextField()

    class Meta:
        ordering = ["kloe", "number"]
        verbose_name_plural = "good practice"

    def __str__(self):
        return self.characteristic[:80]


class GoodPracticeDescription(models.Model):
    good_practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="descriptions"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["good_practice", "number"]

    def __str__(self):
        return self.text[:80]
