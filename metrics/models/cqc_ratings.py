"""CQC's ratings of a trust: one record per trust, kept beside it, with every rating dated
and kept (the history). The UoR finalisation, publication and review decisions write it,
and so does the well-led ratings page; oversight and the trust page read it."""

from django.conf import settings
from django.db import models

from core.ratings import Rating


class CqcQuestion(models.TextChoices):
    SAFE = "safe", "Safe"
    EFFECTIVE = "effective", "Effective"
    CARING = "caring", "Caring"
    RESPONSIVE = "responsive", "Responsive"
    WELL_LED = "well_led", "Well-led"
    OVERALL = "overall", "Overall quality"
    USE_OF_RESOURCES = "use_of_resources", "Use of resources"
    COMBINED = "combined", "Combined quality and use of resources"


class CqcRatingSource(models.TextChoices):
    UOR_FINALISATION = "uor_finalisation", "Recorded by CQC when finalising a UoR assessment"
    UOR_PUBLICATION = "uor_publication", "Published with a UoR assessment"
    UOR_REVIEW = "uor_review", "Changed by CQC after a review request"
    WELL_LED_PAGE = "well_led_page", "Recorded by CQC on the well-led ratings page"


class CqcRating(models.Model):
    """One of CQC's ratings of a trust (a key question, overall, use of resources or
    combined) on a date. Rows are only added: the latest of each question is the current
    rating, the others its history."""

    Question = CqcQuestion
    Source = CqcRatingSource

    trust = models.ForeignKey("metrics.Trust", on_delete=models.PROTECT, related_name="cqc_ratings")
    question = models.CharField(max_length=20, choices=CqcQuestion.choices)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    rated_on = models.DateField("date of the rating")
    source = models.CharField(max_length=20, choices=CqcRatingSource.choices)
    # Where the rating came from, in words (e.g. "UoR assessment 12"); empty from the page.
    source_detail = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["trust", "question", "-rated_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=4), name="cqcrating_on_scale"
            ),
            models.CheckConstraint(
                condition=models.Q(question__in=CqcQuestion.values), name="cqcrating_question"
            ),
        ]
        indexes = [
            models.Index(fields=["trust", "question", "-rated_on"], name="cqcrating_latest"),
        ]

    def __str__(self):
        return f"{self.trust_id} {self.question}: {self.get_rating_display()} ({self.rated_on})"
