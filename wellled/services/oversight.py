"""Record a CQC warning notice or another material concern under an oversight theme, and
close it with its reason: NHS Improvement's own records, kept when closed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from metrics.models import Trust, User

from .. import policies
from ..models.oversight import OversightConcern

CONCERN_DATE_FUTURE = "The date of the notice or concern cannot be in the future."
CONCERN_REASON_REQUIRED = "Give the reason: what the notice or concern is about."
WARNING_NOTICE_THEME = "A CQC warning notice belongs to the quality of care theme."
CLOSE_REASON_REQUIRED = "Give the reason the concern is closed."
CLOSE_DATE_FUTURE = "The date it is closed cannot be in the future."
CLOSE_BEFORE_RAISED = "It cannot be closed before the date it was raised ({raised:%-d %B %Y})."
ALREADY_CLOSED = "This concern was already closed on {closed:%-d %B %Y}."
NOT_THIS_TRUST = "That concern is not one of this trust's."


@transaction.atomic
def oversight_concern_record(
    *, trust: Trust, actor: User, theme: str, kind: str, reason: str, raised_on: datetime.date
) -> OversightConcern:
    policies.may_record_oversight_concern(actor, trust).enforce()
    errors = {}
    if not reason.strip():
        errors["reason"] = CONCERN_REASON_REQUIRED
    if raised_on > timezone.localdate():
        errors["raised_on"] = CONCERN_DATE_FUTURE
    if kind == OversightConcern.Kind.WARNING_NOTICE and theme != OversightConcern.Theme.QUALITY:
        errors["theme"] = WARNING_NOTICE_THEME
    if errors:
        raise ValidationError(errors)
    concern = OversightConcern(
        trust=trust,
        theme=theme,
        kind=kind,
        reason=reason.strip(),
        raised_on=raised_on,
        recorded_by=actor,
    )
    concern.full_clean()
    concern.save()
    return concern


@transaction.atomic
def oversight_concern_close(
    *, trust: Trust, actor: User, concern_id: int, closed_on: datetime.date, closed_reason: str
) -> OversightConcern:
    policies.may_close_oversight_concern(actor, trust).enforce()
    concern = OversightConcern.objects.select_for_update().filter(pk=concern_id).first()
    if concern is None or concern.trust_id != trust.pk:
        raise ValidationError(NOT_THIS_TRUST)
    if concern.closed_on is not None:
        raise ValidationError(ALREADY_CLOSED.format(closed=concern.closed_on))
    errors = {}
    if not closed_reason.strip():
        errors["closed_reason"] = CLOSE_REASON_REQUIRED
    if closed_on > timezone.localdate():
        errors["closed_on"] = CLOSE_DATE_FUTURE
    elif closed_on < concern.raised_on:
        errors["closed_on"] = CLOSE_BEFORE_RAISED.format(raised=concern.raised_on)
    if errors:
        raise ValidationError(errors)
    concern.closed_on, concern.closed_reason, concern.closed_by = (
        closed_on,
        closed_reason.strip(),
        actor,
    )
    concern.save(update_fields=["closed_on", "closed_reason", "closed_by"])
    return concern
