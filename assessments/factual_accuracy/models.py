"""Keep the trust's factual-accuracy challenges to the draft and the deadline for them."""

import re

from django.conf import settings
from django.db import models

QUOTE_WORDS = 12  # at most this many words of a passage quoted in the change summary


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


class NoMoreChallenges(models.Model):
    """The trust's word that it has no more challenges: it raises none after it, and the lead
    may close the check before the deadline without giving a reason."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="no_more_challenges"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "confirmations of no more challenges"

    def __str__(self):
        return f"No more challenges (confirmed {self.confirmed_at:%d %B %Y})"


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

    class Target(models.TextChoices):
        """The passage a challenge is about; an omission names a section instead."""

        FINDING = "finding", "A finding"
        RATIONALE = "rationale", "The reasons for a rating"
        SUMMARY = "summary", "The summary of findings"
        SECTION = "section", "A KLOE's section (information left out)"

    class Resolution(models.TextChoices):
        CHANGED = "changed", "The text was changed"
        NO_CHANGE = "no_change", "No text changes"

    # Outcomes that oblige the team to resolve the challenge before the check closes.
    UPHELD = (Outcome.ACCEPTED, Outcome.PARTLY_ACCEPTED)

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="challenges"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    section = models.CharField("section of the report", max_length=200, blank=True)
    target = models.CharField(
        "passage challenged", max_length=20, choices=Target.choices, blank=True
    )
    passage = models.TextField("passage quoted", blank=True)
    correction = models.TextField("proposed correction")
    reason = models.TextField("reason")
    evidence = models.ForeignKey(
        "assessments.Evidence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name="finding challenged",
        help_text="The finding challenged, or for an omission the finding it follows.",
    )
    rating = models.ForeignKey(
        "assessments.KloeRating",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name="rationale challenged",
    )
    kloe = models.ForeignKey(
        "assessments.Kloe",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="section the missing information belongs to",
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
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)
    resolution_reason = models.TextField("why no text changes", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The sign-off reviewer's last refusal: the answer went back to the team to redraft.
    sent_back_reason = models.TextField("why the answer was sent back", blank=True)
    sent_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_back_at = models.DateTimeField(null=True, blank=True)

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
            models.CheckConstraint(
                condition=~models.Q(resolution="no_change") | ~models.Q(resolution_reason=""),
                name="challenge_no_change_has_reason",
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

    @property
    def needs_resolution(self) -> bool:
        """Accepted or partly accepted: the passage changes, or the team says why not."""
        return self.outcome in self.UPHELD

    @property
    def is_resolved(self) -> bool:
        return bool(self.resolution)

    @property
    def change_summary(self) -> str:
        """What changed, for staff and the trust ("" if unresolved): a correction quotes the
        words that differ, an omission the text added, a "no change" the team's reason."""
        return self._describe_change(
            lambda before, after: f"Changed “{_shorten(before)}” to “{_shorten(after)}”"
        )

    @property
    def published_change(self) -> str:
        """What the published report says changed: the corrected words only.

        NOTE: the published report must not repeat a figure it corrected, so it says what the
        passage now reads; the change from old to new is in `change_summary` and the history.
        """
        return self._describe_change(
            lambda before, after: f"Corrected: now reads “{_shorten(after)}”"
        )

    def _describe_change(self, corrected) -> str:
        """Reads `revisions` (prefetch them for a list); `corrected(before, after)` words a
        correction, given the differing words of the old and new text."""
        if self.resolution == self.Resolution.NO_CHANGE:
            return f"No change: {self.resolution_reason}"
        if self.resolution != self.Resolution.CHANGED:
            return ""
        parts = []
        for revision in self.revisions.all():
            old, new = revision.old_text.strip(), revision.new_text.strip()
            if (self.kind == self.Kind.OMISSION or not old) and new.startswith(old):
                parts.append(f"Added: “{_shorten(new[len(old) :].strip())}”")
            else:
                parts.append(corrected(*_difference(old, new)))
        return "; ".join(parts)


def _difference(old: str, new: str) -> tuple[str, str]:
    """The words of `old` and `new` between their common beginning and common end."""
    a, b = re.split(r"\s+", old), re.split(r"\s+", new)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return " ".join(a[start : len(a) - end]), " ".join(b[start : len(b) - end])


def _shorten(text: str) -> str:
    words = text.split()
    return " ".join(words[:QUOTE_WORDS]) + (" …" if len(words) > QUOTE_WORDS else "")
