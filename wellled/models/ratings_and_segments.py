"""Hold NHS Improvement's oversight segment decisions about a trust, kept as history.
(CQC's ratings, well-led among them, are kept beside the trust: `metrics.CqcRating`.)"""

from django.conf import settings
from django.db import models

from core.ratings import Rating

# The 2019/20 oversight annex: a rating of Requires improvement or Inadequate is a trigger.
RATING_TRIGGERS = (Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE)


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
