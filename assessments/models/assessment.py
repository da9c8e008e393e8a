"""An assessment of one trust, its team, its site-visit agenda and its transition log."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .framework import Framework, Kloe


class Status(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    EVIDENCE = "evidence", "Gathering evidence"
    QA_REVIEW = "qa_review", "QA review"
    DRAFT_REPORT = "draft_report", "Draft report"
    FACTUAL_ACCURACY = "factual_accuracy", "Factual accuracy check"
    CQC_REVIEW = "cqc_review", "CQC review"
    DISPUTE = "dispute", "Rating in discussion"
    REVISION = "revision", "Rationale revision"
    FINALISED = "finalised", "Finalised"
    PUBLISHED = "published", "Published"


# The order of the steps: "from state X on" means this index or later.
STATUS_ORDER = list(Status.values)


class Assessment(models.Model):
    """A Use of Resources assessment of one trust, tied to one framework version for ever."""

    Status = Status

    trust = models.ForeignKey("metrics.Trust", on_delete=models.PROTECT, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    site_visit_date = models.DateField("site-visit date")
    commentary_deadline = models.DateField("commentary deadline")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments_led"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assessments_joined"
    )
    pilot = models.BooleanField(
        default=False,
        help_text=(
            "Marked by an admin: a pilot may use a consultation draft or assess a trust type "
            "the framework does not cover."
        ),
    )
    commentary_submitted_at = models.DateTimeField(null=True, blank=True)
    publication_date = models.DateField(
        "publication date",
        null=True,
        blank=True,
        help_text="Set by CQC when finalising; the final report is embargoed until then.",
    )
    summary = models.TextField(
        "summary of findings",
        blank=True,
        help_text="The report's summary in prose; the team writes it until the draft is shared.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-site_visit_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="assessment_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(commentary_deadline__lte=models.F("site_visit_date")),
                name="commentary_due_before_visit",
            ),
        ]

    def __str__(self):
        return f"{self.trust.name}: visit {self.site_visit_date:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("assessments:assessment_detail", kwargs={"pk": self.pk})

    def is_at_or_after(self, status: str) -> bool:
        return STATUS_ORDER.index(self.status) >= STATUS_ORDER.index(status)

    def visit_held(self, today: datetime.date | None = None) -> bool:
        """Whether the site-visit day has come: ratings and site-visit evidence wait for it."""
        return (today or timezone.localdate()) >= self.site_visit_date

    def team_ids(self) -> set[int]:
        # .all(), not values_list: it reads the members prefetched with the assessment.
        return {self.lead_id, *(member.pk for member in self.members.all())}

    def has_ready_draft(self) -> bool:
        """Whether a draft report has been rendered (the check before `share_draft`)."""
        return self.reports.filter(kind="draft", status="ready").exists()


class AgendaSession(models.Model):
    """One session of the one-day site visit."""

    MAX_ATTENDEES = 8

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="agenda")
    number = models.PositiveSmallIntegerField()
    starts_at = models.TimeField("starts")
    ends_at = models.TimeField("ends")
    title = models.CharField(max_length=200)
    kloes = models.ManyToManyField(Kloe, blank=True, verbose_name="KLOEs covered")
    attendees = models.TextField(
        "trust attendees", blank=True, help_text="One per line, at most eight."
    )

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%H:%M} to {self.ends_at:%H:%M} {self.title}"

    @property
    def attendee_list(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class AssessmentTransition(models.Model):
    """The audit row of one workflow action: who, when, from, to, note."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"
