"""Hold the externally facilitated developmental reviews and comply or explain: when the next
review is due, the facilitator's ratings, and the explanations NHS Improvement accepts."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.urls import reverse

from core.ratings import Rating

from .framework import Kloe

# NOTE: relativedelta turns 29 February into 28 February in a common year (not 1 March), so a
# period of "n years" never runs past n years and "at most five years" is never crossed.
REVIEW_INTERVAL_YEARS = 3  # the next review is due three years after the last one completed
AGREED_LIMIT_YEARS = 5  # NHS Improvement may agree a later date, up to five years after


class DevelopmentalReview(models.Model):
    """An externally facilitated developmental review of leadership and governance."""

    class Independence(models.TextChoices):
        DECLARED = (
            "declared",
            "The reviewers did no audit or governance work for the trust in the previous three "
            "years",
        )
        SAFEGUARD = "safeguard", "They did; a safeguard was used (described below)"

    trust = models.ForeignKey("metrics.Trust", on_delete=models.PROTECT, related_name="+")
    facilitator_name = models.CharField("lead facilitator", max_length=200)
    facilitator_organisation = models.CharField("facilitator's organisation", max_length=200)
    peer_reviewers = models.TextField("peer reviewers", blank=True, help_text="One per line.")
    independence = models.CharField(
        "independence of the reviewers", max_length=10, choices=Independence.choices
    )
    safeguard = models.TextField("safeguard used", blank=True)
    kloes = models.ManyToManyField(Kloe, related_name="+", verbose_name="KLOEs covered")
    extra_areas = models.TextField("other areas in scope", blank=True)
    omitted_kloes = models.JSONField(
        "why KLOEs are left out",
        default=dict,
        blank=True,
        help_text="KLOE code to the explanation of why the review does not cover it.",
    )
    started_on = models.DateField("review started")
    completed_on = models.DateField("review completed", null=True, blank=True)
    findings = models.TextField(blank=True)
    good_practice = models.TextField("areas of good practice", blank=True)
    material_concerns = models.BooleanField("material governance concerns found", default=False)
    concerns_text = models.TextField("material governance concerns", blank=True)
    letter_sent_on = models.DateField(
        "completion letter sent to NHS Improvement", null=True, blank=True
    )
    agreed_next_due_on = models.DateField(
        "next review due (date agreed with NHS Improvement)", null=True, blank=True
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True)
                | models.Q(completed_on__gte=models.F("started_on")),
                name="devreview_completed_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(independence="declared") | ~models.Q(safeguard=""),
                name="devreview_safeguard_described",
            ),
            models.CheckConstraint(
                condition=models.Q(material_concerns=False) | ~models.Q(concerns_text=""),
                name="devreview_concerns_described",
            ),
        ]

    def __str__(self):
        return f"Developmental review by {self.facilitator_organisation}, {self.started_on:%B %Y}"

    def get_absolute_url(self):
        return reverse("wellled:devreview_detail", kwargs={"pk": self.pk})

    @property
    def default_next_due_on(self) -> datetime.date | None:
        if self.completed_on is None:
            return None
        return self.completed_on + relativedelta(years=REVIEW_INTERVAL_YEARS)

    @property
    def latest_allowed_due_on(self) -> datetime.date | None:
        if self.completed_on is None:
            return None
        return self.completed_on + relativedelta(years=AGREED_LIMIT_YEARS)

    @property
    def next_due_on(self) -> datetime.date | None:
        return self.agreed_next_due_on or self.default_next_due_on

    @property
    def peer_reviewer_list(self) -> list[str]:
        return [line.strip() for line in self.peer_reviewers.splitlines() if line.strip()]


class FacilitatorRating(models.Model):
    review = models.ForeignKey(
        DevelopmentalReview, on_delete=models.CASCADE, related_name="ratings"
    )
    kloe = models.ForeignKey(Kloe, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)

    class Meta:
        ordering = ["review", "kloe__number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kloe"], name="one_facilitator_rating"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=4),
                name="facilitator_rating_on_scale",
            ),
        ]

    def __str__(self):
        return f"{self.kloe}: {self.get_rating_display()}"


class ReviewExplanation(models.Model):
    """Comply or explain: why a trust has not had its review by the due date, and how the
    board is assured instead. It covers the due date in force when it was accepted."""

    trust = models.ForeignKey("metrics.Trust", on_delete=models.PROTECT, related_name="+")
    covers_due_on = models.DateField("due date it explains")
    explanation = models.TextField()
    alternative_assurance = models.TextField("alternative means of assurance")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="accepted by",
    )
    accepted_on = models.DateField("accepted on")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["trust", "-accepted_on", "-id"]

    def __str__(self):
        return f"Explanation for {self.trust_id}, due {self.covers_due_on}"
