"""The SOF finance score of a trust for a month, computed from its metric values."""

from django.db import models

from .moderation import ModerationStatus

# The five SOF finance metrics, in the order of Figure 2 (and of the CSV export).
SOF_METRIC_CODES = (
    "capital_service_capacity",
    "liquidity_days",
    "ie_margin",
    "distance_from_plan",
    "agency_spend_vs_cap",
)
SOF_FLAG_CODES = ("control_total_accepted", "financial_special_measures")
# What a refresh writes for a trust and month, after its key (the API lists these but the
# decision id, which it shows as the decision itself).
SCORE_COLUMNS = (
    *SOF_METRIC_CODES,
    "average",
    "overall",
    "proposed",
    "moderated",
    "control_total_accepted",
    "financial_special_measures",
    "missing_metrics",
    "moderation",
    "decision_id",
    "proposal_changed",
)


class FinanceScore(models.Model):
    """One trust's SOF finance score for one month.

    Rows are written by `metrics.services.finance_scores_refresh`, which computes every
    trust and month at once. Empty scores mean the metric was not reported that month; then
    there is no average, overall or proposed score.

    The rules' moderation is a proposal (`proposed`, why in `moderation`); NHS Improvement
    decides (`decision`, written by `moderation_decide`). `moderated` is the score everyone
    is shown: the decided score once decided, else the proposal. A refresh recomputes the
    proposal and keeps the decision, flagging `proposal_changed` when the proposal moved.
    """

    trust = models.ForeignKey(
        "metrics.Trust", on_delete=models.CASCADE, related_name="finance_scores"
    )
    period = models.DateField(help_text="The first day of the month the score is for.")
    capital_service_capacity = models.PositiveSmallIntegerField(
        "capital service capacity score", null=True, blank=True
    )
    liquidity_days = models.PositiveSmallIntegerField("liquidity score", null=True, blank=True)
    ie_margin = models.PositiveSmallIntegerField("I&E margin score", null=True, blank=True)
    distance_from_plan = models.PositiveSmallIntegerField(
        "distance from plan score", null=True, blank=True
    )
    agency_spend_vs_cap = models.PositiveSmallIntegerField(
        "agency spend score", null=True, blank=True
    )
    average = models.DecimalField(
        "weighted average", max_digits=4, decimal_places=2, null=True, blank=True
    )
    overall = models.PositiveSmallIntegerField("unmoderated score", null=True, blank=True)
    proposed = models.PositiveSmallIntegerField("proposed score", null=True, blank=True)
    moderated = models.PositiveSmallIntegerField(
        "finance score",
        null=True,
        blank=True,
        help_text="The score NHS Improvement decided, else the rules' proposal until decided.",
    )
    control_total_accepted = models.BooleanField("control total accepted", null=True)
    financial_special_measures = models.BooleanField("in financial special measures", null=True)
    missing_metrics = models.CharField("missing metrics", max_length=200, blank=True)
    moderation = models.CharField("why moderation is proposed", max_length=300, blank=True)
    # NOTE: RESTRICT, not PROTECT: a trust's deletion cascades to both rows at once.
    decision = models.ForeignKey(
        "metrics.ModerationDecision",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="decision that stands",
    )
    proposal_changed = models.BooleanField("proposal changed since the decision", default=False)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["trust__name", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "period"], name="financescore_one_a_month"),
            models.CheckConstraint(
                condition=models.Q(moderated__gte=1, moderated__lte=4)
                | models.Q(moderated__isnull=True),
                name="financescore_moderated_1_to_4",
            ),
        ]
        indexes = [
            models.Index(fields=["period"], name="financescore_period"),
            # The months NHS Improvement has to decide: few rows, read by their own page.
            models.Index(
                fields=["-period"],
                name="financescore_to_decide",
                condition=models.Q(proposal_changed=True)
                | (
                    models.Q(decision__isnull=True, proposed__isnull=False)
                    & ~models.Q(moderation="")
                ),
            ),
        ]

    def __str__(self):
        return f"{self.trust_id} {self.period:%Y-%m}: {self.moderated or 'no score'}"

    @property
    def metric_scores(self) -> list[tuple[str, int | None]]:
        return [(code, getattr(self, code)) for code in SOF_METRIC_CODES]

    @property
    def metric_scores_named(self) -> list[tuple[str, int | None]]:
        """The five scores with the names people read (each field's verbose name)."""
        return [
            (self._meta.get_field(code).verbose_name, score) for code, score in self.metric_scores
        ]

    @property
    def is_moderated(self) -> bool:
        return self.moderated is not None and self.moderated != self.overall

    @property
    def moderation_status(self) -> ModerationStatus:
        if self.decision_id is not None:
            if self.proposal_changed:
                return ModerationStatus.CHANGED
            return ModerationStatus.DECIDED
        if self.proposed is not None and self.moderation:
            return ModerationStatus.PROPOSED
        return ModerationStatus.NONE

    @property
    def needs_decision(self) -> bool:
        return self.moderation_status in (ModerationStatus.PROPOSED, ModerationStatus.CHANGED)

    @property
    def proposal_token(self) -> str:
        """The proposal as the decision page showed it: a decision on a proposal that has
        changed since (a load in between) is refused."""
        return f"{self.overall or 0}.{self.proposed or 0}.{self.moderation}"
