"""Two-factor sign-in: enrol, sign in with a code, refuse a wrong one, recovery codes, reset."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from metrics.models import Role, SecurityEvent
from metrics.services import two_factor_reset
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]


@pytest.fixture
def two_factor_on():
    with override_settings(UOR_TWO_FACTOR=True):
        yield


def code_for(device: TOTPDevice, at=None) -> str:
    return f"{totp(device.bin_key, t0=device.t0, step=device.step, digits=device.digits):06d}"


def enrol(client: Client) -> list[str]:
    """Go through the enrolment pages as a person would; return the recovery codes shown."""
    page = client.get(reverse("accounts:two_factor_enrol"))
    assert page.status_code == HTTPStatus.OK
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    assert device.key.upper() != secret  # the page shows base32, the row keeps hex
    response = client.post(reverse("accounts:two_factor_enrol"), {"token": code_for(device)})
    assert response.status_code == HTTPStatus.FOUND
    account = client.get(response["Location"])
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", account.content.decode())
    assert len(codes) == 10
    return codes


def sign_in_password(client: Client, user):
    return client.post(
        reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}
    )


def test_enrol_then_sign_in_with_a_code(client):
    assessor = UserFactory(username="enroller", role=Role.ASSESSOR)
    client.force_login(assessor)
    enrol(client)
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.OTP_ENROLLED, user=assessor
    ).exists()
    client.post(reverse("accounts:logout"))

    with time_machine.travel(timezone.now() + timedelta(minutes=2)) as traveller:
        response = sign_in_password(client, assessor)
        assert response["Location"] == reverse("accounts:login_code")
        # Not signed in yet: the home page still asks to sign in.
        assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))

        wrong = client.post(reverse("accounts:login_code"), {"token": "000000"})
        assert wrong.status_code == HTTPStatus.OK
        assert "That code is not right" in wrong.content.decode()
        assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_FAILED).exists()

        # django-otp makes each failure wait a little longer before the next try.
        traveller.shift(timedelta(seconds=5))
        device = TOTPDevice.objects.get(user=assessor, confirmed=True)
        right = client.post(reverse("accounts:login_code"), {"token": code_for(device)})
        assert right["Location"] == reverse("home")
        assert client.get(reverse("home")).status_code == HTTPStatus.OK


def test_a_recovery_code_signs_in_once(client):
    cqc = UserFactory(username="reviewer", role=Role.CQC)
    client.force_login(cqc)
    codes = enrol(client)
    client.post(reverse("accounts:logout"))

    sign_in_password(client, cqc)
    response = client.post(reverse("accounts:login_code"), {"token": codes[0]})
    assert response["Location"] == reverse("home")
    assert (
        "You signed in with a recovery code. You have 9 left."
        in client.get(reverse("home")).content.decode()
    )
    assert StaticToken.objects.filter(device__user=cqc).count() == 9
    client.post(reverse("accounts:logout"))

    sign_in_password(client, cqc)
    again = client.post(reverse("accounts:login_code"), {"token": codes[0]})
    assert "That code is not right" in again.content.decode()


def test_too_many_wrong_codes_end_the_attempt(client):
    assessor = UserFactory(username="guesser", role=Role.ASSESSOR)
    client.force_login(assessor)
    enrol(client)
    client.post(reverse("accounts:logout"))
    sign_in_password(client, assessor)
    for _ in range(5):
        response = client.post(reverse("accounts:login_code"), {"token": "123456"})
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:login_code"))["Location"] == reverse("accounts:login")


def test_trust_users_must_enrol_too(client, trust_user):
    response = sign_in_password(client, trust_user)
    assert response["Location"] == reverse("accounts:two_factor_enrol")


def test_an_admin_without_a_second_factor_must_enrol_first(client):
    admin = UserFactory(username="newadmin", role=Role.ADMIN)
    response = sign_in_password(client, admin)
    assert response["Location"] == reverse("accounts:two_factor_enrol")
    home = client.get(reverse("home"))
    assert home["Location"] == reverse("accounts:two_factor_enrol")
    page = client.get(reverse("accounts:two_factor"))
    assert "You must set up an authenticator app" in page.content.decode()
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.FOUND
    enrol(client)
    assert client.get(reverse("home")).status_code == HTTPStatus.OK
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_an_admin_resets_a_users_second_factor(client):
    admin = UserFactory(username="resetter", role=Role.ADMIN)
    assessor = UserFactory(username="lostphone", role=Role.ASSESSOR)
    own = Client()
    own.force_login(assessor)
    enrol(own)
    client.force_login(admin)
    enrol(client)
    response = client.post(
        reverse("admin:metrics_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [assessor.pk]},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not TOTPDevice.objects.filter(user=assessor).exists()
    assert not StaticToken.objects.filter(device__user=assessor).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.OTP_RESET, user=assessor)
    assert event.detail == "reset by resetter; 1 session ended"
    # With no second factor left, the password alone signs them in again, only to enrol.
    response = sign_in_password(Client(), assessor)
    assert response["Location"] == reverse("accounts:two_factor_enrol")


def test_reset_service_removes_every_device(assessor, admin_user):
    TOTPDevice.objects.create(user=assessor, confirmed=True)
    two_factor_reset(user=assessor, actor=admin_user)
    assert not TOTPDevice.objects.filter(user=assessor).exists()
