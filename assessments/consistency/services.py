"""Answer a finding; record the findings in the internal decision record at two steps."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments import policies
from assessments.models import Assessment
from assessments.reports.record import person_label
from metrics.models import User

from .models import FindingAnswer, FindingRecord
from .selectors import findings_with_answers, unanswered

FINDING_GONE = "That finding is no longer found: the assessment has changed since you opened it."
REASON_REQUIRED = "Give the reason for acknowledging the finding."
UNANSWERED_CONFIRM = (
    "{count} consistency finding(s) are not answered by the team: confirm that you have read "
    "them to ratify (on the page, tick the box; through the API, send findings_confirmed: true)."
)
CHOOSE_KIND = "Choose whether you acknowledge the finding or have fixed it."


@transaction.atomic
def finding_answer(
    *, assessment: Assessment, actor: User, key: str, kind: str, reason: str = ""
) -> FindingAnswer:
    """Acknowledge a finding with a reason, or mark it fixed (it shows as not fixed while it
    still trips). A second answer replaces the first; the records keep what stood before."""
    policies.may_answer_finding(actor, assessment).enforce()
    if kind not in FindingAnswer.Kind.values:
        raise ValidationError({"kind": CHOOSE_KIND})
    reason = (reason or "").strip()
    if kind == FindingAnswer.Kind.ACKNOWLEDGED and not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    current = {row.key: row.finding for row in findings_with_answers(assessment=assessment)}
    finding = current.get(key)
    if finding is None:
        raise ValidationError({"key": FINDING_GONE})
    answer, _ = FindingAnswer.objects.update_or_create(
        assessment=assessment,
        rule=finding.rule,
        subject=finding.subject,
        defaults={
            "kind": kind,
            "reason": reason,
            "message": finding.message,
            "answered_by": actor,
            "answered_at": timezone.now(),
        },
    )
    return answer


def findings_record(*, assessment: Assessment, stage: str, actor: User, now) -> FindingRecord:
    """Keep the findings and their answers as they stand now, for the internal record only."""
    rows = findings_with_answers(assessment=assessment)
    return FindingRecord.objects.create(
        assessment=assessment,
        stage=stage,
        recorded_by=actor,
        recorded_at=now,
        findings=[
            {
                "rule": row.finding.rule,
                "title": row.finding.title,
                "subject": row.finding.subject,
                "message": row.finding.message,
                "source": row.finding.source,
                "status": row.status_label,
                "reason": row.answer.reason if row.answer else "",
                "answered_by": person_label(row.answer.answered_by) if row.answer else "",
            }
            for row in rows
        ],
    )


def findings_confirmed(assessment: Assessment, note: str, data: dict | None) -> list[str]:
    """Ratify's check: with findings unanswered, QA confirms it has read them (no block)."""
    if (data or {}).get("findings_confirmed"):
        return []
    left = unanswered(findings_with_answers(assessment=assessment))
    return [UNANSWERED_CONFIRM.format(count=len(left))] if left else []
