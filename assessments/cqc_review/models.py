"""Keep the discussion between NHS Improvement and CQC about a disputed rating, and the
quality and combined ratings CQC records when finalising."""

from django.conf import settings
from django.db import models

from core.ratings import Rating


class DiscussionMessage(models.Model):
    """One message of the thread between the NHSI team and CQC about a disputed rating."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="discussion"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("message")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "at", "id"]

    def __str__(self):
        return f"{self.author} at {self.at:%d %b %Y %H:%M}"


class QualityRatings(models.Model):
    """The trust's current quality ratings as CQC records them when finalising, and the
    combined rating of quality and use of resources: proposed, then confirmed or set."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="quality_ratings"
    )
    safe = models.PositiveSmallIntegerField(choices=Rating.choices)
    safe_date = models.DateField("date of the safe rating")
    effective = models.PositiveSmallIntegerField(choices=Rating.choices)
    effective_date = models.DateField("date of the effective rating")
    caring = models.PositiveSmallIntegerField(choices=Rating.choices)
    caring_date = models.DateField("date of the caring rating")
    responsive = models.PositiveSmallIntegerField(choices=Rating.choices)
    responsive_date = models.DateField("date of the responsive rating")
    well_led = models.PositiveSmallIntegerField("well-led", choices=Rating.choices)
    well_led_date = models.DateField("date of the well-led rating")
    overall_quality = models.PositiveSmallIntegerField(
        "overall quality rating", choices=Rating.choices
    )
    overall_quality_date = models.DateField("date of the overall quality rating")
    proposed_combined = models.PositiveSmallIntegerField(
        "combined rating proposed", choices=Rating.choices
    )
    principle = models.CharField("aggregation principle applied", max_length=200)
    combined = models.PositiveSmallIntegerField(
        "combined rating of quality and use of resources", choices=Rating.choices
    )
    override_reason = models.TextField("reason for setting another rating", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "quality ratings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(combined=models.F("proposed_combined"))
                | ~models.Q(override_reason=""),
                name="combined_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"Quality ratings of {self.assessment}"
