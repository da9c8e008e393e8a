"""Tell people of the well-led hand-overs: a self-review signed off, a developmental review
recorded or overdue, an action overdue. Delivered like UoR's (metrics.services
.notifications_deliver) from a Celery task after the commit; reminders carry a key so each
reaches each person once however often the daily job runs."""

import datetime

from django.utils import timezone

from core.tasks import queue_on_commit
from metrics.models import Role, Trust, User
from metrics.services import notifications_deliver

from .models import Action, DevelopmentalReview
from .selectors.developmental_reviews import review_cycle_for_trust

# event: (also tell NHS Improvement's admins?, title, body). Titles and bodies name the trust.
EVENTS = {
    "self_review_signed_off": (
        True,
        "Well-led self-review signed off: {trust}",
        "The board of {trust} has signed off its well-led self-review; it is now read-only.",
    ),
    "developmental_review_recorded": (
        True,
        "Developmental review recorded: {trust}",
        "A developmental review of {trust} against the well-led framework has been recorded.",
    ),
    "developmental_review_overdue": (
        True,
        "Developmental review overdue: {trust}",
        "The next developmental review of {trust} was due by {due} and no explanation has "
        "been accepted. Record the review, or explain why it has not happened.",
    ),
    "action_overdue": (
        False,
        "Well-led action overdue: {trust}",
        "An action of {trust}'s well-led plan was due by {due} and is not complete.",
    ),
}


def wellled_notify_on_commit(
    event: str,
    trust_id: int,
    url: str,
    *,
    note: str = "",
    actor: User | None = None,
    key: str = "",
    due: datetime.date | None = None,
) -> None:
    """Queue `event`'s notifications for the trust once the current transaction commits."""
    queue_on_commit(
        "wellled.tasks.wellled_notify_task",
        event,
        trust_id,
        url,
        note,
        actor.pk if actor else None,
        key,
        f"{due:%d %B %Y}" if due else "",
        # NOTE: no row keeps a hand-over for the sweep, so with the broker down it is told here.
        run_here_if_away=True,
    )


def wellled_notification_send(
    *,
    event: str,
    trust_id: int,
    url: str,
    note: str = "",
    actor_id: int | None = None,
    key: str = "",
    due: str = "",
) -> int:
    """Deliver one event to the trust's contacts (and admins where the event says)."""
    trust = Trust.objects.filter(pk=trust_id).first()
    if trust is None or event not in EVENTS:
        return 0
    to_admins, title, body = EVENTS[event]
    people = User.objects.filter(is_active=True, trust=trust, is_trust_contact=True)
    if to_admins:
        people = people | User.objects.filter(is_active=True, role=Role.ADMIN)
    values = {"trust": trust.name, "due": due or "its due date"}
    return notifications_deliver(
        users=[user for user in people.distinct() if user.pk != actor_id],
        event=event,
        title=title.format(**values),
        body=body.format(**values),
        note=note,
        url=url,
        key=key,
    )


def wellled_reminders_send(today: datetime.date | None = None) -> int:
    """Queue the overdue reminders due `today`: each trust's overdue developmental review and
    each open action past its due date; return how many were queued."""
    today = today or timezone.localdate()
    queued = 0
    reviewed = DevelopmentalReview.objects.filter(completed_on__isnull=False)
    for trust in Trust.objects.filter(pk__in=reviewed.values("trust_id")):
        cycle = review_cycle_for_trust(trust=trust)
        if cycle.due_on and cycle.due_on < today and cycle.explanation is None:
            wellled_notify_on_commit(
                "developmental_review_overdue",
                trust.pk,
                cycle.last_review.get_absolute_url(),
                key=f"devreview_overdue:{trust.pk}:{cycle.due_on:%Y-%m-%d}",
                due=cycle.due_on,
            )
            queued += 1
    overdue = Action.objects.filter(status__in=Action.OPEN_STATUSES, due_on__lt=today)
    for action in overdue.select_related("self_review", "developmental_review"):
        source = action.self_review or action.developmental_review
        wellled_notify_on_commit(
            "action_overdue",
            source.trust_id,
            action.get_absolute_url(),
            note=action.text,
            key=f"action_overdue:{action.pk}:{action.due_on:%Y-%m-%d}",
            due=action.due_on,
        )
        queued += 1
    return queued
