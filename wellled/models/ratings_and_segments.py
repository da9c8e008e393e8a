"""Hold NHS Improvement's oversight segment decisions about a trust, kept as history.
(CQC's ratings, well-led among them, are kept beside the trust: `metrics.CqcRating`.)"""

from django.conf import settings
from django.db import models

from core.ratings import Rating

# The 2019/20 oversight annex: a rating of Requires improvement or Inadequate is a trigger.
RATING_TRIGGERS = (Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE)


class SegmentDecision(models.Model):
    """NHS Improvement's oversight segment (1-4) for a trust, with its reasons; kept as
    history. The service never proposes a segment: the annex leaves it to people. Beside it,
    the licence and special-measures status and the support offered (Table 2 of the 2019/20
    annex), the warnings the decider confirmed, and the flags that stood on the day.
    Decisions recorded before these were kept have blank statuses and no lists (None)."""

    class LicenceBreach(models.TextChoices):
        NONE = "none", "No breach"
        SUSPECTED = "suspected", "Suspected breach"
        ACTUAL = "actual", "Actual breach"

    class SpecialMeasures(models.TextChoices):
        # The 2016 consultation (para 40) names the two regimes; a trust can be in both.
        NONE = "none", "Not in special measures"
        QUALITY = "quality", "Quality special measures"
        FINANCE = "finance", "Special measures for finance"
        BOTH = "quality_and_finance", "Both quality and finance special measures"

    class SupportOffer(models.TextChoices):
        UNIVERSAL = "universal", "Universal (voluntary)"
        TARGETED = "targeted", "Universal and targeted"
        MANDATED = "mandated", "Universal, targeted and mandated"
        SPECIAL_MEASURES = (
            "special_measures",
            "Universal, targeted and mandated, in special measures",
        )

    trust = models.ForeignKey("metrics.Trust", on_delete=models.PROTECT, related_name="+")
    segment = models.PositiveSmallIntegerField(choices=[(n, f"Segment {n}") for n in (1, 2, 3, 4)])
    licence_breach = models.CharField(
        "breach of the licence (or equivalent for NHS trusts)",
        max_length=12,
        choices=LicenceBreach.choices,
        blank=True,
    )
    special_measures = models.CharField(
        "special measures", max_length=20, choices=SpecialMeasures.choices, blank=True
    )
    support_offer = models.CharField(
        "level of support offered", max_length=20, choices=SupportOffer.choices, blank=True
    )
    rationale = models.TextField()
    decided_on = models.DateField("date of the decision")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # [{"code", "rule", "message", "source"}]: the warnings shown and confirmed when saving.
    warnings = models.JSONField("warnings confirmed", null=True, blank=True)
    # [{"code", "label", "source"(, "theme")}]: the oversight flags that stood that day.
    flags = models.JSONField("oversight flags at the time", null=True, blank=True)

    class Meta:
        ordering = ["trust", "-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(segment__gte=1, segment__lte=4), name="segment_1_to_4"
            ),
            models.CheckConstraint(
                condition=models.Q(licence_breach__in=["", "none", "suspected", "actual"]),
                name="segment_licence_breach_known",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    special_measures__in=["", "none", "quality", "finance", "quality_and_finance"]
                ),
                name="segment_special_measures_known",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    support_offer__in=["", "universal", "targeted", "mandated", "special_measures"]
                ),
                name="segment_support_offer_known",
            ),
        ]

    def __str__(self):
        return f"{self.trust_id}: segment {self.segment} ({self.decided_on})"

    @property
    def in_breach(self) -> bool:
        """Actual or suspected breach: Table 2 names both for segments 3 and 4."""
        return self.licence_breach in (self.LicenceBreach.SUSPECTED, self.LicenceBreach.ACTUAL)

    @property
    def in_special_measures(self) -> bool:
        return self.special_measures not in ("", self.SpecialMeasures.NONE)


# Table 2's "level of support offered" for each segment (the annex, para 27: the segment is
# determined by the level of support decided on).
SEGMENT_SUPPORT_OFFER = {
    1: SegmentDecision.SupportOffer.UNIVERSAL,
    2: SegmentDecision.SupportOffer.TARGETED,
    3: SegmentDecision.SupportOffer.MANDATED,
    4: SegmentDecision.SupportOffer.SPECIAL_MEASURES,
}
