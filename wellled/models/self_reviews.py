"""Hold the board's self-review against the eight KLOEs: the priority-rating schemes it rates
with, its entries, its files of evidence and its PDF renderings."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.models import AbstractAttachment, AbstractRenderedDocument
from core.ratings import Rating

from .framework import Framework, Kloe

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
    comparable_rating = models.PositiveSmallIntegerField(
        "comparable CQC rating",
        choices=Rating.choices,
        null=True,
        blank=True,
        help_text=(
            "The level on CQC's four-point scale this priority is read as, so a board's "
            "self-rating can be set beside a facilitator's rating. The scheme's mapping."
        ),
    )

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
