"""`manage.py create_user`: a working user, or a clear error and nothing created."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from metrics.models import Role, User

pytestmark = pytest.mark.django_db
PASSWORD = "a-sensible-passphrase-42"


@pytest.mark.parametrize("role", ["admin", "assessor", "qa", "cqc"])
def test_creates_a_staff_user_who_can_sign_in(role):
    out = StringIO()
    call_command(
        "create_user", "alex", role=role, email="alex@example.nhs.uk", password=PASSWORD, stdout=out
    )
    user = User.objects.get(username="alex")
    assert (user.role, user.trust, user.email) == (role, None, "alex@example.nhs.uk")
    assert user.is_staff == (role == Role.ADMIN)
    assert "Created alex" in out.getvalue()
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "alex", "password": PASSWORD})
    assert response["Location"] == reverse("home")


def test_creates_a_trust_user_tied_to_their_trust(trust):
    call_command(
        "create_user",
        "tina",
        role="trust",
        trust=trust.ods_code.lower(),
        password=PASSWORD,
        stdout=StringIO(),
    )
    user = User.objects.get(username="tina")
    assert user.trust == trust
    assert user.organisation_name == trust.name


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"role": "boss"}, "Unknown role 'boss': choose one of admin, assessor, qa, trust, cqc."),
        ({"role": "trust"}, "A trust user needs --trust with the trust's ODS code."),
        ({"role": "trust", "trust": "NOPE"}, "No trust has the ODS code 'NOPE'."),
        ({"role": "assessor", "trust": "RAA"}, "Only trust users belong to a trust"),
        ({"role": "assessor", "password": "short"}, "This password is too short."),
    ],
)
def test_bad_input_gives_a_clear_error_and_creates_nothing(trust, options, message):
    options = {"password": PASSWORD, **options}
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("create_user", "bob", **options, stdout=StringIO())
    assert not User.objects.filter(username="bob").exists()


def test_a_taken_username_is_refused(assessor):
    with pytest.raises(CommandError, match="already taken"):
        call_command("create_user", assessor.username.upper(), role="qa", password=PASSWORD)


def test_takes_the_full_name_people_are_shown_by():
    call_command(
        "create_user",
        "u-lead-17",
        role="assessor",
        name="Dr Amara Okafor",
        password=PASSWORD,
        stdout=StringIO(),
    )
    user = User.objects.get(username="u-lead-17")
    assert user.get_full_name() == "Dr Amara Okafor"
    assert str(user) == "Dr Amara Okafor"
