"""The internal decision record of an assessment: every step with who, when and note, the
NHS Improvement-CQC discussion and the handling of each factual-accuracy challenge.

NOTE: internal by design. It names people by full name and login name and carries QA's
return notes and CQC's dispute notes: staff read it (policies.may_read_record); the trust
and the public never do. The published report (content.py) shows none of it.
"""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from assessments.models import Assessment, Challenge, Status
from core.pdf import html_to_pdf
from metrics.models import User

TEMPLATE = "reports/assessment_record.html"
NOBODY = "Nobody yet"


def person_label(user: User | None) -> str:
    """A person as the record names them: full name and login name, so both can be traced."""
    if user is None:
        return NOBODY
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


@dataclass(frozen=True)
class RecordStep:
    at: datetime.datetime
    label: str
    who: str
    note: str


@dataclass(frozen=True)
class RecordMessage:
    who: str
    at: datetime.datetime
    text: str


@dataclass(frozen=True)
class RecordChallenge:
    """A challenge with the people who raised, answered and signed it off, named."""

    challenge: Challenge

    def __getattr__(self, name):
        # The template reads the challenge's own fields (number, passage, …) through this.
        if name == "challenge":
            raise AttributeError(name)
        return getattr(self.challenge, name)

    @property
    def raised_by_label(self) -> str:
        return person_label(self.challenge.raised_by)

    @property
    def answered_by_label(self) -> str:
        return person_label(self.challenge.answered_by)

    @property
    def signed_off_by_label(self) -> str:
        return person_label(self.challenge.signed_off_by)


def _step_label(action: str, from_status: str, to_status: str) -> str:
    """ "Return to team: QA review → Gathering evidence": the action, then where it moved."""
    return (
        f"{action.replace('_', ' ').capitalize()}: "
        f"{Status(from_status).label} → {Status(to_status).label}"
    )


def record_context(assessment: Assessment) -> dict:
    """Everything the internal record shows, read once (the page and the PDF share it)."""
    assessment = Assessment.objects.select_related("trust", "lead").get(pk=assessment.pk)
    steps = [
        RecordStep(
            step.at,
            _step_label(step.action, step.from_status, step.to_status),
            person_label(step.actor),
            step.note,
        )
        for step in assessment.transitions.select_related("actor")
    ]
    discussion = [
        RecordMessage(person_label(message.author), message.at, message.text)
        for message in assessment.discussion.select_related("author")
    ]
    challenges = [
        RecordChallenge(challenge)
        for challenge in assessment.challenges.select_related(
            "raised_by", "answered_by", "signed_off_by"
        )
    ]
    return {
        "title": f"Internal decision record: {assessment.trust.name}",
        "assessment": assessment,
        "trust": assessment.trust,
        "team": {"lead": person_label(assessment.lead)},
        "steps": steps,
        "discussion": discussion,
        "challenges": challenges,
        # The consistency findings as they stood when the team proposed and when the
        # factual-accuracy check closed, with the team's answers.
        "consistency": list(assessment.finding_records.select_related("recorded_by")),
        "generated_at": timezone.localtime(),
    }


def record_pdf(*, assessment: Assessment) -> bytes:
    """The internal record of `assessment` as PDF bytes (rendered by the Celery task)."""
    return html_to_pdf(render_to_string(TEMPLATE, record_context(assessment)))
