"""Hold the decisions others make about a trust: CQC's well-led rating and NHS Improvement's
oversight segment, each kept as history."""

from django.conf import settings
from django.db import models

from core.ratings import Rating

# The 2019/20 oversight annex: a rating of Requires improvement or Inadequate is a trigger.
RATING_TRIGGERS = (Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE)


class WellLedRating(models.Model):
    """CQC's well-led rating of a trust on a date; every rating is kept (the history)."""

    trust = models.ForeignKey("metrics.Trust", on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    rated_on = models.DateField("date of the rating")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["trust", "-rated_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=4), name="wellled_rating_on_scale"
            ),
        ]

    def __str__(self):
        return f"{self.trust_id}: {self.get_rating_display()} ({self.rated_on})"


class SegmentDecision(models.Model):
    """NHS Improvement's oversight segment (1-4) for a trust, with its reasons; kept as
    history. The service never proposes a segment: the annex leaves it to people."""

    trust = models.ForeignKey("metrics.Trust", on_delete=models.PROTECT, related_name="+")
    segment = models.PositiveSmallIntegerField(choices=[(n, f"Segment {n}") for n in (1, 2, 3, 4)])
    rationale = models.TextField()
    decided_on = models.DateField("date of the decision")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["trust", "-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(segment__gte=1, segment__lte=4), name="segment_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.trust_id}: segment {self.segment} ({self.decided_on})"
