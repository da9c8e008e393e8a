"""What people record during an assessment: commentary, evidence, ratings, attachments."""

from django.conf import settings
from django.db import models

from core.models import AbstractAttachment
from core.ratings import Rating

from .assessment import Assessment
from .framework import Characteristic, Kloe, Prompt


class Commentary(models.Model):
    """The trust's commentary on one KLOE, written before the site visit."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="commentaries"
    )
    kloe = models.ForeignKey(Kloe, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "kloe__number"]
        verbose_name_plural = "commentaries"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kloe"], name="one_commentary_per_kloe"),
        ]

    def __str__(self):
        return f"Commentary on {self.kloe}"


class EvidenceQuerySet(models.QuerySet):
    def current(self):
        """Evidence that counts: withdrawn items stay in the history, out of counts and report."""
        return self.filter(withdrawn_at__isnull=True)


class Evidence(models.Model):
    """One piece of evidence an assessor records against a KLOE (and maybe a prompt)."""

    class Source(models.TextChoices):
        METRIC_ANALYSIS = "metric_analysis", "Metric analysis"
        TRUST_SUBMISSION = "trust_submission", "Trust submission"
        SITE_VISIT = "site_visit", "Site-visit interview"
        LOCAL_INTELLIGENCE = "local_intelligence", "Local intelligence"

    class Finding(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"
        CONTEXT = "context", "Context"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    kloe = models.ForeignKey(Kloe, on_delete=models.PROTECT, related_name="+", verbose_name="KLOE")
    prompt = models.ForeignKey(
        Prompt, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    finding = models.CharField(max_length=10, choices=Finding.choices)
    text = models.TextField("evidence")
    metrics = models.ManyToManyField(
        "metrics.MetricDefinition", blank=True, related_name="+", verbose_name="linked metrics"
    )
    figures = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField("withdrawn", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField("why it was withdrawn", blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "kloe__number", "created_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawal_reason=""),
                name="evidence_withdrawn_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.text[:60]}"


class EvidenceRevision(models.Model):
    """The state of a piece of evidence before each change: its history."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evidence", "version"]

    def __str__(self):
        return f"Evidence {self.evidence_id} v{self.version}"


class KloeRating(models.Model):
    """A proposed rating for one KLOE, or the overall rating when `kloe` is empty."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    kloe = models.ForeignKey(
        Kloe, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    rationale = models.TextField()
    areas_for_improvement = models.TextField(
        "areas for improvement",
        blank=True,
        help_text="What the trust must or should do, one point a line.",
    )
    outstanding_practice = models.TextField("outstanding practice", blank=True)
    agreed_rating = models.PositiveSmallIntegerField(
        "rating agreed by CQC", choices=Rating.choices, null=True, blank=True
    )
    cqc_reasons = models.TextField(
        "CQC's reasons",
        blank=True,
        help_text="Why CQC's agreed rating differs from the one proposed; printed in the report.",
    )
    characteristics = models.ManyToManyField(
        Characteristic, blank=True, related_name="+", verbose_name="characteristics present"
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "kloe__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kloe"],
                condition=models.Q(kloe__isnull=False),
                name="one_rating_per_kloe",
            ),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=models.Q(kloe__isnull=True),
                name="one_overall_rating",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=4), name="rating_on_the_scale"
            ),
        ]

    def __str__(self):
        return f"{self.kloe or 'Overall'}: {self.get_rating_display()}"


class Attachment(AbstractAttachment):
    """A file added to commentary, evidence or a challenge, checked by type, size and content."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="attachments")
    commentary = models.ForeignKey(
        Commentary, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    evidence = models.ForeignKey(
        Evidence, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    challenge = models.ForeignKey(
        "assessments.Challenge",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )

    class Meta(AbstractAttachment.Meta):
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(commentary__isnull=True, evidence__isnull=True)
                    | models.Q(commentary__isnull=True, challenge__isnull=True)
                    | models.Q(evidence__isnull=True, challenge__isnull=True)
                ),
                name="attachment_belongs_to_one_item",
            ),
        ]

    def upload_folder(self) -> str:
        return f"attachments/{self.assessment_id}"


class PassageRevision(models.Model):
    """A passage of the report before and after a recorded change, and why it changed.

    Written when an accepted factual-accuracy challenge corrects a finding, a rationale or the
    summary, and when the lead revises a rationale after CQC changed the rating: the report
    prints the new text, the history keeps both.
    """

    class Reason(models.TextChoices):
        FACTUAL_ACCURACY = "factual_accuracy", "Factual-accuracy challenge"
        CQC_DECISION = "cqc_decision", "CQC changed the rating"

    class Passage(models.TextChoices):
        FINDING = "finding", "A finding"
        RATIONALE = "rationale", "A rationale"
        SUMMARY = "summary", "The summary of findings"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="passage_revisions"
    )
    passage = models.CharField(max_length=20, choices=Passage.choices)
    evidence = models.ForeignKey(
        Evidence, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rating = models.ForeignKey(
        KloeRating, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    challenge = models.ForeignKey(
        "assessments.Challenge",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
    )
    old_text = models.TextField(blank=True)
    new_text = models.TextField(blank=True)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "revised_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(passage__in=["finding", "rationale", "summary"]),
                name="passage_revision_kind_known",
            ),
        ]

    def __str__(self):
        return f"{self.get_passage_display()} revised ({self.get_reason_display()})"
