"""After the draft: factual-accuracy challenges, CQC's discussion and ratings, publication."""

from django.conf import settings
from django.db import models

from core.ratings import Rating

from .assessment import Assessment


class FactualAccuracyDeadline(models.Model):
    """Each setting of the trust's deadline for challenges: the first on sharing the draft,
    then every change the lead assessor makes, with the reason given."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="fa_deadlines"
    )
    deadline = models.DateField("last day for challenges")
    reason = models.TextField(blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "set_at", "id"]
        get_latest_by = ["set_at", "id"]

    def __str__(self):
        return f"Challenges until {self.deadline:%d %B %Y}"


class Challenge(models.Model):
    """A trust's factual-accuracy challenge to the draft report, and NHSI's signed-off answer.

    The trust sees the answer only once someone outside the team has signed it off.
    """

    class Kind(models.TextChoices):
        TYPING = "typing_or_numerical", "A typing or numerical error"
        INACCURATE = "inaccurate_fact", "An inaccurate fact behind a finding"
        OMISSION = "omission", "Information left out"

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="challenges")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    section = models.CharField("section of the report", max_length=200)
    passage = models.TextField("passage quoted")
    correction = models.TextField("proposed correction")
    reason = models.TextField("reason")
    evidence = models.ForeignKey(
        "assessments.Evidence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name="finding challenged",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    response = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="challenge_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(signed_off_at__isnull=True) | ~models.Q(outcome=""),
                name="challenge_signed_off_after_answer",
            ),
        ]

    def __str__(self):
        return f"Challenge {self.number}: {self.get_kind_display()}"

    @property
    def is_answered(self) -> bool:
        return bool(self.outcome)

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class DiscussionMessage(models.Model):
    """One message of the thread between the NHSI team and CQC about a disputed rating."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="discussion")
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
        Assessment, on_delete=models.CASCADE, related_name="quality_ratings"
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


class PublishedRating(models.Model):
    """A published UoR rating on the public register. A changed rating after a review is a
    new version; the earlier one is kept."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="published_ratings"
    )
    version = models.PositiveSmallIntegerField()
    rating = models.PositiveSmallIntegerField("Use of Resources rating", choices=Rating.choices)
    combined = models.PositiveSmallIntegerField(
        "combined rating", choices=Rating.choices, null=True, blank=True
    )
    note = models.TextField(blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["assessment", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "version"], name="published_rating_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.assessment.trust}: {self.get_rating_display()} (v{self.version})"


class ReviewRequest(models.Model):
    """The trust's one request for a review of a published rating, on process grounds."""

    class Decision(models.TextChoices):
        UPHELD = "upheld", "Rating upheld"
        CHANGED = "changed", "Rating changed"

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="review_request"
    )
    grounds = models.TextField("grounds (process only)")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_note = models.TextField(blank=True)
    new_rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Review request on {self.assessment}"
