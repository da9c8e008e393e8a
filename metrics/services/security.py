"""Write the security log."""

from django.http import HttpRequest

from metrics.models import SecurityEvent, User


def client_address(request: HttpRequest | None) -> str | None:
    # NOTE: behind the production proxy REMOTE_ADDR is the proxy; gunicorn's
    # --forwarded-allow-ips makes it the client's. We never trust X-Forwarded-For here.
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    """Record one security event: who, when, from which address, on which path."""
    if user is not None and not user.is_authenticated:
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(user.username if user else username)[:150],
        ip_address=client_address(request),
        path=(request.get_full_path() if request else "")[:500],
        detail=detail[:500],
    )
