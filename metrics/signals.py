"""Write sign-in events to the security log; recompute scores and benchmarks after loads;
start the idle clock at sign-in."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from metrics.middleware import SessionIdleMiddleware
from metrics.models import SecurityEvent
from metrics.services.metric_values_changed import metric_values_changed
from metrics.services.security import security_event_record


@receiver(metric_values_changed, dispatch_uid="finance_scores_on_values_changed")
def refresh_finance_scores(sender, **kwargs):
    """Finance scores are computed again for the months whose values a load changed."""
    # NOTE: imported here, not at start-up: the scores need pandas, which few processes do.
    from metrics.services.finance_scores import finance_scores_on_values_changed

    finance_scores_on_values_changed(sender, **kwargs)


@receiver(metric_values_changed, dispatch_uid="benchmarks_on_values_changed")
def refresh_benchmarks(sender, **kwargs):
    """Benchmarks are stored again for the months whose values a load changed."""
    # NOTE: imported here, not at start-up: the benchmarks need numpy, which few processes do.
    from metrics.services.benchmark_store import benchmarks_on_values_changed

    benchmarks_on_values_changed(sender, **kwargs)


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


@receiver(user_logged_in, dispatch_uid="session_idle_clock_at_sign_in")
def start_idle_clock(sender, request, user, **kwargs):
    # Sign-in saves the session anyway; stamped now, the next page view need not save it again.
    SessionIdleMiddleware.mark_refreshed(request.session)
