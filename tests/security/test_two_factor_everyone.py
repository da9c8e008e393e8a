"""With second factors on, every role enrols one before reaching anything, pages or API."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import Assessment
from metrics import policies
from metrics.middleware import CODE_FIRST, ENROL_FIRST
from metrics.models import Role, SecurityEvent
from metrics.services import two_factor_reset
from tests.factories import AssessmentFactory, UserFactory
from tests.security.test_two_factor import code_for, enrol, sign_in_password

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]

ROLES = [Role.ASSESSOR, Role.QA, Role.CQC, Role.TRUST, Role.ADMIN]
API_LIST = "/api/v1/trusts/"


@pytest.fixture
def two_factor_on(settings):
    settings.UOR_TWO_FACTOR = True


def person(role, trust):
    return UserFactory(role=role, trust=trust if role == Role.TRUST else None)


def their_pages(user, trust) -> list[str]:
    """Home, an assessment of the trust (theirs, for an assessor) and the metrics pack."""
    lead = user if user.role == Role.ASSESSOR else UserFactory(role=Role.ASSESSOR)
    assessment = AssessmentFactory(trust=trust, lead=lead)
    # At factual accuracy every role here sees it (QA and CQC only from their step on).
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.FACTUAL_ACCURACY)
    return [
        reverse("home"),
        assessment.get_absolute_url(),
        reverse("metrics:metrics_pack", args=[trust.ods_code]),
    ]


def assert_only_enrolment_opens(client, pages):
    enrol_url = reverse("accounts:two_factor_enrol")
    for url in pages:
        assert client.get(url)["Location"] == enrol_url, url
    assert client.post(pages[0])["Location"] == enrol_url
    api = client.get(API_LIST, HTTP_ACCEPT="application/json")
    assert api.status_code == HTTPStatus.FORBIDDEN
    assert api.json() == {"detail": ENROL_FIRST}
    assert client.get("/api/v1/me/").json() == {"detail": ENROL_FIRST}
    # The way out, the health check and static files stay open.
    assert client.get(reverse("health")).status_code == HTTPStatus.OK
    assert client.get("/static/build/uor.css").status_code == HTTPStatus.OK
    assert client.get(reverse("accounts:two_factor")).status_code == HTTPStatus.OK


@pytest.mark.parametrize("role", ROLES)
def test_every_role_enrols_before_anything_then_gives_a_code_at_sign_in(client, role, trust):
    user = person(role, trust)
    pages = their_pages(user, trust)

    response = sign_in_password(client, user)
    assert response["Location"] == reverse("accounts:two_factor_enrol")
    assert_only_enrolment_opens(client, pages)
    page = client.get(reverse("accounts:two_factor_enrol"))
    assert "You need to set one up before you can use the service" in page.content.decode()
    # Nothing but the account link in the header while enrolment is due.
    assert [item["label"] for item in page.context["nav_items"]] == ["Account"]

    codes = enrol(client)
    assert len(codes) == 10
    account = client.get(reverse("accounts:two_factor"))
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_ENROLLED, user=user).exists()
    for url in pages:
        assert client.get(url).status_code == HTTPStatus.OK, url
    assert client.get(API_LIST).status_code == HTTPStatus.OK
    assert "Account" in {item["label"] for item in account.context["nav_items"]}
    client.post(reverse("accounts:logout"))

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        response = sign_in_password(client, user)
        assert response["Location"] == reverse("accounts:login_code")
        for url in pages:
            assert client.get(url)["Location"].startswith(reverse("accounts:login"))
        assert client.get(API_LIST).status_code == HTTPStatus.UNAUTHORIZED
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        response = client.post(reverse("accounts:login_code"), {"token": code_for(device)})
        assert response["Location"] == reverse("home")
        for url in pages:
            assert client.get(url).status_code == HTTPStatus.OK, url


def test_after_enrolment_the_page_asked_for_comes_next(client, trust):
    user = person(Role.TRUST, trust)
    client.force_login(user)
    pack = reverse("metrics:metrics_pack", args=[trust.ods_code])
    assert client.get(pack)["Location"] == reverse("accounts:two_factor_enrol")
    client.get(reverse("accounts:two_factor_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor_enrol"), {"token": code_for(device)})
    account = client.get(response["Location"]).content.decode()
    assert "Your recovery codes" in account
    assert f'href="{pack}"' in account
    assert "You must set up an authenticator app" not in account


def test_a_recovery_code_works_once_for_a_trust_user(client, trust):
    user = person(Role.TRUST, trust)
    sign_in_password(client, user)
    codes = enrol(client)
    client.post(reverse("accounts:logout"))

    sign_in_password(client, user)
    response = client.post(reverse("accounts:login_code"), {"token": codes[3]})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == HTTPStatus.OK
    client.post(reverse("accounts:logout"))

    sign_in_password(client, user)
    again = client.post(reverse("accounts:login_code"), {"token": codes[3]})
    assert "That code is not right" in again.content.decode()
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))


def test_an_enrolled_session_that_never_gave_a_code_is_stopped(client, trust):
    """A session from before second factors were required: back to the code step."""
    user = person(Role.QA, trust)
    with time_machine.travel(timezone.now() - timedelta(minutes=2)):
        client.force_login(user)
        enrol(client)
    old_session = Client()
    old_session.force_login(user)  # signed in with the password alone
    api = old_session.get(API_LIST)
    assert api.status_code == HTTPStatus.FORBIDDEN
    assert api.json() == {"detail": CODE_FIRST}
    pack = reverse("metrics:metrics_pack", args=[trust.ods_code])
    assert old_session.get(pack)["Location"] == reverse("accounts:login_code")
    # Signed out until the code is given; then on to the page asked for.
    assert old_session.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    response = old_session.post(reverse("accounts:login_code"), {"token": code_for(device)})
    assert response["Location"] == pack
    assert old_session.get(pack).status_code == HTTPStatus.OK


def enrolled_admin(client, username="resetter"):
    admin = UserFactory(username=username, role=Role.ADMIN)
    client.force_login(admin)
    enrol(client)
    return admin


def test_an_admin_resets_a_factor_from_the_users_page(client, trust):
    admin = enrolled_admin(client)
    user = person(Role.TRUST, trust)
    theirs = Client()
    sign_in_password(theirs, user)
    enrol(theirs)
    assert theirs.get(reverse("home")).status_code == HTTPStatus.OK

    change = client.get(reverse("admin:metrics_user_change", args=[user.pk]))
    reset_url = reverse("admin:metrics_user_reset_second_factor", args=[user.pk])
    assert reset_url in change.content.decode()
    confirm = client.get(reset_url)
    assert "Yes, reset their second factor" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()  # asking changes nothing

    response = client.post(reset_url)
    assert response["Location"] == reverse("admin:metrics_user_change", args=[user.pk])
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    # Their open session ended with it.
    assert theirs.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))
    log = client.get(reverse("metrics:security_log"), {"kind": "otp_reset"}).content.decode()
    assert re.search(rf"{user.username}.*reset by {admin.username}; 1 session ended", log, re.S)

    # Their next sign-in goes to enrolment again.
    assert sign_in_password(Client(), user)["Location"] == reverse("accounts:two_factor_enrol")


def test_an_admin_cannot_reset_their_own_factor(client):
    admin = enrolled_admin(client)
    change = client.get(reverse("admin:metrics_user_change", args=[admin.pk]))
    reset_url = reverse("admin:metrics_user_reset_second_factor", args=[admin.pk])
    assert reset_url not in change.content.decode()
    for method in (client.get, client.post):
        response = method(reset_url)
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert policies.RESET_OWN_REFUSED in response.content.decode()
    client.post(
        reverse("admin:metrics_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [admin.pk]},
    )
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_RESET).exists()


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.QA, Role.CQC, Role.TRUST])
def test_nobody_but_an_admin_resets_a_factor(client, role, trust):
    actor = person(role, trust)
    sign_in_password(client, actor)
    enrol(client)
    target = UserFactory(role=Role.ASSESSOR)
    TOTPDevice.objects.create(user=target, confirmed=True)

    # The admin site sends anyone who is not an admin to sign in, as for its every page.
    response = client.post(reverse("admin:metrics_user_reset_second_factor", args=[target.pk]))
    assert response["Location"].startswith(reverse("admin:login"))
    with pytest.raises(PermissionDenied):
        two_factor_reset(user=target, actor=actor)
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_RESET).exists()


@pytest.mark.parametrize("role", list(Role))
def test_reset_policy_is_for_admins_and_never_their_own(role, trust):
    actor = person(role, trust)
    other = UserFactory(role=Role.ASSESSOR)
    assert bool(policies.may_reset_second_factor(actor, other)) is (role == Role.ADMIN)
    assert not policies.may_reset_second_factor(actor, actor)
    assert policies.may_manage_second_factor(actor)
    assert policies.must_enrol_second_factor(actor)
