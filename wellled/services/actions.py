"""Write a trust's action plan: add an action from one of its reviews, record progress."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from metrics.models import Trust, User

from .. import policies
from ..models.actions import Action, ProgressNote
from ..models.developmental_reviews import DevelopmentalReview
from ..models.framework import Kloe
from ..models.self_reviews import SelfReview

ACTION_SOURCE_REQUIRED = "Choose the review the action comes from."
ACTION_SOURCE_OTHER_TRUST = "That review belongs to another trust."


@transaction.atomic
def action_create(
    *,
    trust: Trust,
    actor: User,
    kloe: Kloe,
    text: str,
    owner: str,
    due_on: datetime.date,
    self_review: SelfReview | None = None,
    developmental_review: DevelopmentalReview | None = None,
) -> Action:
    policies.may_create_action(actor, trust).enforce()
    source = self_review or developmental_review
    if source is None or (self_review and developmental_review):
        raise ValidationError(ACTION_SOURCE_REQUIRED, code="source")
    if source.trust_id != trust.pk:
        raise ValidationError(ACTION_SOURCE_OTHER_TRUST, code="source")
    action = Action(
        trust=trust,
        self_review=self_review,
        developmental_review=developmental_review,
        kloe=kloe,
        text=text,
        owner=owner,
        due_on=due_on,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_progress(
    *, action: Action, actor: User, status: str, noted_on: datetime.date, text: str
) -> Action:
    """Record progress on an action (a dated note) and its status now."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    policies.may_record_progress(actor, action).enforce()
    action.status = status
    action.full_clean()
    action.save(update_fields=["status"])
    if text.strip():
        note = ProgressNote(action=action, noted_on=noted_on, text=text, created_by=actor)
        note.full_clean()
        note.save()
    return action
