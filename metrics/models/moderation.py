"""NHS Improvement's decisions on the moderation of a trust's SOF finance score for a month.

The 2019/20 framework (para 41) says the overall figure "may be moderated down": the rules
propose (stored on `FinanceScore`), people decide (rows here). A month can be decided more
than once; every decision is kept, the latest is the one that stands. Rows are never
edited: a refresh of the scores reads them, it never writes them.
"""

from django.conf import settings
from django.db import models


class ModerationStatus(models.TextChoices):
    """Where a month's moderation stands, as pages, exports and the API name it."""

    NONE = "none", "no moderation proposed"
    PROPOSED = "proposed", "proposed, not yet decided"
    DECIDED = "decided", "decided by NHS Improvement"
    CHANGED = "changed", "proposal changed since the decision"


class ModerationDecision(models.Model):
    """One decision: the proposal as it stood, the score decided, why, who and when."""

    trust = models.ForeignKey(
        "metrics.Trust", on_delete=models.CASCADE, related_name="moderation_decisions"
    )
    period = models.DateField(help_text="The first day of the month the score is for.")
    overall = models.PositiveSmallIntegerField("unmoderated score at the decision")
    proposed = models.PositiveSmallIntegerField("score the rules proposed")
    proposal_reason = models.CharField("why the rules proposed it", max_length=300, blank=True)
    score = models.PositiveSmallIntegerField("decided finance score")
    reason = models.TextField("NHS Improvement's reason", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("decided at")

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["trust", "period"], name="moderation_trust_month")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=4), name="moderation_score_1_to_4"
            ),
            # Setting a score other than the proposal needs its reason (confirming does not).
            models.CheckConstraint(
                condition=models.Q(score=models.F("proposed")) | ~models.Q(reason=""),
                name="moderation_reason_when_differing",
            ),
        ]

    def __str__(self):
        return f"{self.trust_id} {self.period:%Y-%m}: {self.score} ({self.decided_at:%Y-%m-%d})"

    @property
    def confirms_proposal(self) -> bool:
        return self.score == self.proposed
