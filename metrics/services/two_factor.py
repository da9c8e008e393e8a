"""Second factors for everyone: TOTP authenticators and single-use recovery codes (django-otp)."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from metrics.models import SecurityEvent, User
from metrics.policies import may_reset_second_factor

from .security import security_event_record

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
WRONG_CODE = "That code is not right. Check your authenticator app and try again."
ALREADY_ENROLLED = "You already have an authenticator. Ask an admin to reset it first."


def totp_device_start(*, user: User) -> TOTPDevice:
    """Begin enrolment: a fresh unconfirmed authenticator, replacing any unfinished one."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValueError(ALREADY_ENROLLED)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def totp_confirm(
    *, user: User, token: str, request: HttpRequest | None = None
) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the unfinished authenticator with a code from it; return it and recovery codes."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_clean(token)):
        security_event_record(
            kind=SecurityEvent.Kind.OTP_FAILED, request=request, user=user, detail="enrolment"
        )
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    security_event_record(kind=SecurityEvent.Kind.OTP_ENROLLED, request=request, user=user)
    return device, recovery_codes_issue(user=user, request=request)


@transaction.atomic
def recovery_codes_issue(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """Replace the user's recovery codes with new ones; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    security_event_record(kind=SecurityEvent.Kind.RECOVERY_CODES, request=request, user=user)
    return codes


def two_factor_verify(*, user: User, token: str, request: HttpRequest | None = None):
    """Return the device that accepts `token` (authenticator first, then recovery codes)."""
    token = _clean(token)
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            if isinstance(device, StaticDevice):
                security_event_record(
                    kind=SecurityEvent.Kind.RECOVERY_USED, request=request, user=user
                )
            return device
    security_event_record(kind=SecurityEvent.Kind.OTP_FAILED, request=request, user=user)
    return None


@transaction.atomic
def two_factor_reset(*, user: User, actor: User, request: HttpRequest | None = None) -> int:
    """Remove every second factor of `user` so they enrol again at their next sign-in.

    Their sessions end too, so a session opened with the lost phone goes with it. Return how
    many sessions ended.
    """
    may_reset_second_factor(actor, user).enforce()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    ended = _sessions_end(user=user)
    security_event_record(
        kind=SecurityEvent.Kind.OTP_RESET,
        request=request,
        user=user,
        detail=f"reset by {actor.username}; {ended} session{'s' if ended != 1 else ''} ended",
    )
    return ended


def _sessions_end(*, user: User) -> int:
    """Delete every live session signed in as `user` (database-backed sessions only)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):  # NOTE: cookie or cache sessions can't be listed
        return 0
    model = store.get_model_class()
    ended = 0
    # NOTE: sessions are signed data, so each live one is decoded; they end after 30 idle
    # minutes, so there are never many.
    for row in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        if row.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(row.session_key).delete()
            ended += 1
    return ended


def has_second_factor(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def _clean(token: str) -> str:
    return "".join((token or "").split())
