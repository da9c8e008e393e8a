"""Keep the published ratings of the public register and the trust's review request."""

from django.conf import settings
from django.db import models

from core.ratings import Rating


class PublishedRating(models.Model):
    """A published UoR rating on the public register. A changed rating after a review is a
    new version; the earlier one is kept."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.PROTECT, related_name="published_ratings"
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

    @property
    def report_version(self):
        """The final report version published with this rating: the latest one published
        by then (a review that changes the rating publishes a new one at the same moment)."""
        return (
            self.assessment.reports.filter(
                kind="final", published_at__isnull=False, published_at__lte=self.published_at
            )
            .defer("pdf")
            .order_by("-published_at", "-number")
            .first()
        )


class ReviewRequest(models.Model):
    """The trust's one request for a review of a published rating, on process grounds."""

    class Decision(models.TextChoices):
        UPHELD = "upheld", "Rating upheld"
        CHANGED = "changed", "Rating changed"

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="review_request"
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
