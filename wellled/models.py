"""The well-led framework as versioned data, and the trust's own review cycle.

The framework (KLOEs W1-W8, prompts, characteristics) is loaded from
fixtures/frameworks/wellled-2017.yaml. Around it: board self-reviews with a priority rating
per KLOE, externally facilitated developmental reviews (comply or explain), action plans,
CQC's well-led rating per trust, and NHS Improvement's segment decisions.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.models import (
    AbstractAttachment,
    AbstractFramework,
    AbstractKloe,
    AbstractRenderedDocument,
)
from core.ratings import Rating

# The 2019/20 oversight annex: a rating of Requires improvement or Inadequate is a trigger.
RATING_TRIGGERS = (Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE)


# The framework -----------------------------------------------------------------------------


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


# Priority ratings of a self-review ---------------------------------------------------------


class PriorityScheme(models.Model):
    """The levels a board uses to rate its priorities; admins maintain it in Django admin.

    A self-review keeps the scheme it started with, so changing the active scheme never
    changes what a board already recorded.
    """

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    active = models.BooleanField(
        default=True, help_text="New self-reviews use the active scheme (the newest if several)."
    )

    class Meta:
        ordering = ["-active", "-id"]

    def __str__(self):
        return self.name


class PriorityLevel(models.Model):
    scheme = models.ForeignKey(PriorityScheme, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(help_text="1 is the least concern.")
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["scheme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="priority_level_unique"),
        ]

    def __str__(self):
        return self.label


# Board self-review -------------------------------------------------------------------------


class SelfReview(models.Model):
    """A board's self-review against the eight KLOEs (Annex A of the 2017 guidance)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED_OFF = "signed_off", "Signed off by the board"

    trust = models.ForeignKey("metrics.Trust", on_delete=models.PROTECT, related_name="+")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(
        PriorityScheme, on_delete=models.PROTECT, related_name="+", verbose_name="priority scheme"
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    signed_off_on = models.DateField("date of board sign-off", null=True, blank=True)
    signed_off_by_name = models.CharField("signed off by", max_length=200, blank=True)
    signed_off_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "signed_off"]),
                name="selfreview_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(signed_off_on__isnull=False) & ~models.Q(signed_off_by_name="")),
                name="selfreview_signed_off_has_date_and_name",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("wellled:selfreview_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class SelfReviewEntry(models.Model):
    """What the board records against one KLOE."""

    review = models.ForeignKey(SelfReview, on_delete=models.CASCADE, related_name="entries")
    kloe = models.ForeignKey(Kloe, on_delete=models.PROTECT, related_name="+", verbose_name="KLOE")
    priority = models.ForeignKey(
        PriorityLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="priority rating",
    )
    explanation = models.TextField("explanation of the self-rating", blank=True)
    assurance = models.TextField("how the board is assured (evidence)", blank=True)
    actions = models.TextField(
        "principal actions or areas for discussion with the external reviewers", blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "kloe__number"]
        verbose_name_plural = "self-review entries"
        constraints = [
            models.UniqueConstraint(fields=["review", "kloe"], name="one_entry_per_kloe"),
        ]

    def __str__(self):
        return f"{self.review}: {self.kloe}"


class SelfReviewAttachment(AbstractAttachment):
    """Evidence of assurance for one KLOE of a self-review, checked as assessment files are."""

    review = models.ForeignKey(SelfReview, on_delete=models.CASCADE, related_name="attachments")
    kloe = models.ForeignKey(Kloe, on_delete=models.PROTECT, related_name="+")

    def upload_folder(self) -> str:
        return f"wellled/{self.review_id}"


class SelfReviewReport(AbstractRenderedDocument):
    """One PDF rendering of a self-review (states, bytes and checksum: core)."""

    review = models.ForeignKey(SelfReview, on_delete=models.CASCADE, related_name="reports")

    class Meta(AbstractRenderedDocument.Meta):
        ordering = ["review", "-number"]
        constraints = [
            *AbstractRenderedDocument.Meta.constraints,
            models.UniqueConstraint(fields=["review", "number"], name="selfreview_report_unique"),
        ]

    def __str__(self):
        return f"{self.review} PDF v{self.number} ({self.get_status_display()})"

    @property
    def file_name(self) -> str:
        return f"wellled-self-review-{self.review_id}-v{self.number}.pdf"


# Developmental reviews: comply or explain --------------------------------------------------

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


# Action plans ------------------------------------------------------------------------------


class Action(models.Model):
    """One action of a trust's plan, from a self-review or a developmental review."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)

    trust = models.ForeignKey("metrics.Trust", on_delete=models.PROTECT, related_name="+")
    self_review = models.ForeignKey(
        SelfReview, on_delete=models.CASCADE, null=True, blank=True, related_name="plan"
    )
    developmental_review = models.ForeignKey(
        DevelopmentalReview, on_delete=models.CASCADE, null=True, blank=True, related_name="plan"
    )
    kloe = models.ForeignKey(Kloe, on_delete=models.PROTECT, related_name="+", verbose_name="KLOE")
    text = models.TextField("action")
    owner = models.CharField(max_length=200)
    due_on = models.DateField("due date")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(self_review__isnull=False, developmental_review__isnull=True)
                    | models.Q(self_review__isnull=True, developmental_review__isnull=False)
                ),
                name="action_from_one_review",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["not_started", "in_progress", "complete"]),
                name="action_status_known",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("wellled:action_detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_on < timezone.localdate()

    @property
    def source(self):
        return self.self_review or self.developmental_review


class ProgressNote(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    noted_on = models.DateField("date")
    text = models.TextField("progress")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-noted_on", "-id"]

    def __str__(self):
        return f"{self.noted_on}: {self.text[:60]}"


# Ratings and decisions about a trust -------------------------------------------------------


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
