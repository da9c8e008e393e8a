"""Reads that pages and the API share. Who may see which trust is decided here only."""

from django.db.models import QuerySet
from django.http import Http404

from metrics.models import DataLoad, Role, SecurityEvent, Trust, User


def trusts_visible_to(*, user: User) -> QuerySet[Trust]:
    """Staff see every trust; a trust user sees only their own; anyone else none."""
    if not user.is_authenticated:
        return Trust.objects.none()
    if user.role == Role.TRUST:
        return Trust.objects.filter(pk=user.trust_id)
    return Trust.objects.all()


def trust_get_for_user(*, user: User, ods_code: str) -> Trust:
    """The trust, or 404 when it does not exist or the user may not know it exists."""
    trust = trusts_visible_to(user=user).filter(ods_code=ods_code).first()
    if trust is None:
        raise Http404("No such trust")
    return trust


def data_loads_for_admin() -> QuerySet[DataLoad]:
    return DataLoad.objects.select_related("uploaded_by").defer("content")


def security_events_filtered(
    *, kind: str = "", username: str = "", date_from=None, date_to=None
) -> QuerySet[SecurityEvent]:
    events = SecurityEvent.objects.select_related("user")
    if kind:
        events = events.filter(kind=kind)
    if username:
        events = events.filter(username__icontains=username)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events
