"""The findings a person may see, each with the team's answer, and what QA must confirm."""

from dataclasses import dataclass

from django.http import Http404

from assessments import policies
from assessments.models import Assessment, Status
from metrics.models import User

from .models import FindingAnswer
from .rules import RULES, Finding, findings_evaluate


@dataclass(frozen=True)
class AnsweredFinding:
    """A finding as the pages show it: `answer` is None, or the answer that still holds."""

    finding: Finding
    answer: FindingAnswer | None
    # The team marked it fixed and it still trips: shown as not fixed.
    fix_failed: bool = False
    # Marked fixed and no longer tripping: kept in the list so QA sees how it was answered.
    resolved: bool = False

    @property
    def answered(self) -> bool:
        return self.answer is not None and not self.fix_failed

    @property
    def key(self) -> str:
        return f"{self.finding.rule}:{self.finding.subject}"

    @property
    def status_label(self) -> str:
        if self.resolved:
            return "Fixed"
        if self.fix_failed:
            return "Marked fixed, still found"
        if self.answer is not None:
            return self.answer.get_kind_display()
        return "Not answered"


def checks_apply(assessment: Assessment) -> bool:
    """The checks run from evidence gathering on: before it there is nothing to check."""
    return assessment.is_at_or_after(Status.EVIDENCE)


def _holds(answer: FindingAnswer, finding: Finding) -> bool:
    # An acknowledgement holds while the finding says what it said when acknowledged.
    return answer.kind == FindingAnswer.Kind.FIXED or answer.message == finding.message


def findings_with_answers(*, assessment: Assessment) -> list[AnsweredFinding]:
    """Every finding now, with its answer; then findings marked fixed that no longer trip."""
    if not checks_apply(assessment):
        return []
    answers = {
        (answer.rule, answer.subject): answer
        for answer in FindingAnswer.objects.filter(assessment=assessment).select_related(
            "answered_by"
        )
    }
    rows = []
    for finding in findings_evaluate(assessment):
        answer = answers.pop((finding.rule, finding.subject), None)
        if answer is not None and not _holds(answer, finding):
            answer = None
        failed = answer is not None and answer.kind == FindingAnswer.Kind.FIXED
        rows.append(AnsweredFinding(finding, answer, fix_failed=failed))
    for (rule, subject), answer in answers.items():
        spec = RULES.get(rule)
        if spec is not None and answer.kind == FindingAnswer.Kind.FIXED:
            finding = Finding(rule, spec.title, spec.source, subject, answer.message)
            rows.append(AnsweredFinding(finding, answer, resolved=True))
    return rows


def findings_for_user(*, user: User, assessment: Assessment) -> list[AnsweredFinding]:
    """The findings `user` may see on an assessment they can see (none for the trust)."""
    if not policies.may_see_findings(user, assessment):
        return []
    return findings_with_answers(assessment=assessment)


def unanswered(rows: list[AnsweredFinding]) -> list[AnsweredFinding]:
    return [row for row in rows if not row.answered]


def findings_visible_or_404(*, user: User, assessment: Assessment) -> Assessment:
    """The assessment, or 404 for a trust: it must not learn the findings exist."""
    if not policies.may_see_findings(user, assessment):
        raise Http404("No such page")
    return assessment


def findings_panel(*, user: User, assessment: Assessment) -> dict | None:
    """What a page shows of the findings: None where `user` may not see them or the checks
    have not started; else every finding and those not answered."""
    if not (policies.may_see_findings(user, assessment) and checks_apply(assessment)):
        return None
    rows = findings_with_answers(assessment=assessment)
    return {"rows": rows, "open": unanswered(rows)}
