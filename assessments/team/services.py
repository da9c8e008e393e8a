"""Hand the assessment to another lead, or change its team, with a reason kept in history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments import policies
from assessments.models import Assessment, AssessmentTransition
from assessments.notifications import notify_on_commit
from metrics.models import User

TEAM_ACTION = "change_team"  # its row in the assessment's history
TEAM_LEAD_NOT_ASSESSOR = "The lead must be an NHS Improvement assessor."
TEAM_MEMBER_NOT_ASSESSOR = "Every team member must be an NHS Improvement assessor: {names}."
TEAM_REASON_REQUIRED = "Give the reason for the change; it is kept in the assessment's history."
TEAM_UNCHANGED = "Nothing changed: choose another lead or change the team members."


def _names(users) -> str:
    return ", ".join(sorted(str(user) for user in users))


@transaction.atomic
def assessment_team_change(
    *, assessment: Assessment, actor: User, lead: User, members: list[User], reason: str
) -> Assessment:
    """Set the lead and the other members; record what changed and why; tell both the people
    who left and the team as it now is."""
    locked = Assessment.objects.select_for_update().select_related("lead").get(pk=assessment.pk)
    policies.may_change_team(actor, locked).enforce()
    errors = {}
    if not policies.is_assessor(lead):
        errors["lead"] = TEAM_LEAD_NOT_ASSESSOR
    if wrong := [member for member in members if not policies.is_assessor(member)]:
        errors["members"] = TEAM_MEMBER_NOT_ASSESSOR.format(names=_names(wrong))
    if not reason.strip():
        errors["reason"] = TEAM_REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    old_lead = locked.lead
    old_members = set(locked.members.all())
    new_members = {member for member in members if member.pk != lead.pk}
    if lead.pk == old_lead.pk and new_members == old_members:
        raise ValidationError(TEAM_UNCHANGED, code="unchanged")

    before, after = old_members | {old_lead}, new_members | {lead}
    changes = []
    if lead.pk != old_lead.pk:
        changes.append(f"Lead: {old_lead} handed over to {lead}.")
    if joined := after - before:
        changes.append(f"Joined: {_names(joined)}.")
    if left := before - after:
        changes.append(f"Left: {_names(left)}.")
    note = " ".join([*changes, f"Reason: {reason.strip()}"])

    locked.lead = lead
    locked.save(update_fields=["lead"])
    locked.members.set(new_members)
    AssessmentTransition.objects.create(
        assessment=locked,
        action=TEAM_ACTION,
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        note=note,
        at=timezone.now(),
    )
    notify_on_commit("team_changed", locked, note=note, actor=actor, users=list(left))
    return locked
