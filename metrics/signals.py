"""Write sign-in events to the security log; recompute finance scores after loads."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from metrics.models import SecurityEvent
from metrics.services.metric_values_changed import metric_values_changed
from metrics.services.security import security_event_record


@receiver(metric_values_changed, dispatch_uid="finance_scores_on_values_changed")
def refresh_finance_scores(sender, **kwargs):
    """Finance scores are computed again for the months whose values a load changed."""
    # NOTE: imported here, not at start-up: the scores need pandas, which few processes do.
    from metrics.services.finance_scores import finance_scores_on_values_changed

    finance_scores_on_values_changed(sender, **kwargs)


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEvent.Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        security_event_record(kind=SecurityEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )


@receiver(user_locked_out)
def log_locked_out(sender, request, username, ip_address, **kwargs):
    security_event_record(
        kind=SecurityEvent.Kind.LOCKED_OUT,
        request=request,
        username=username or "",
        detail=f"locked after repeated failed sign-ins from {ip_address}",
    )
