"""Deliver a notification: a row in each person's list and an e-mail to each who has an address.

The apps decide who is told and what it says (assessments.notifications,
wellled.notifications); this is the one way it reaches people. It runs in a Celery task
after the commit that made the hand-over, so a rolled-back step tells nobody.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from metrics.models import Notification, User


def notifications_deliver(
    *,
    users: Iterable[User],
    event: str,
    title: str,
    body: str,
    url: str,
    note: str = "",
    key: str = "",
) -> int:
    """Add the notification to each person's list and e-mail them; return how many were told.

    With a `key`, a person already holding that key is skipped (a reminder goes out once,
    however often the daily job runs).
    """
    told = []
    for user in {user.pk: user for user in users if user.is_active}.values():
        try:
            with transaction.atomic():
                Notification.objects.create(
                    user=user, event=event, title=title, body=body, note=note, url=url, key=key
                )
        except IntegrityError:
            if not key:
                raise
            continue  # already sent this reminder to this person
        told.append(user)
    base = getattr(settings, "UOR_BASE_URL", "")
    text = body + (f"\n\nReason or note: {note}" if note else "") + f"\n\n{base}{url}\n"
    send_mass_mail(
        [(title, text, settings.DEFAULT_FROM_EMAIL, [u.email]) for u in told if u.email],
        fail_silently=False,
    )
    return len(told)


def notification_open(*, user: User, pk: int) -> Notification:
    """Mark the person's own notification read (404 for anyone else's) and return it."""
    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is None:
        raise Http404("No such notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
