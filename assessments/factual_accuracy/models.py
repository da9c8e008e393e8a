"""Keep the trust's factual-accuracy challenges to the draft and the deadline for them."""

from django.conf import settings
from django.db import models


class FactualAccuracyDeadline(models.Model):
    """Each setting of the trust's deadline for challenges: the first on sharing the draft,
    then every change the lead assessor makes, with the reason given."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="fa_deadlines"
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

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="challenges"
    )
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
