"""Password reset by email: the link arrives, works once, and the new password signs in."""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-brand-new-passphrase-7"


def test_reset_by_email_then_sign_in(client, assessor):
    response = client.post(reverse("accounts:password_reset"), {"email": assessor.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Use of Resources password"
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", message.body).group(1)

    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password_reset_complete")

    fresh = Client()
    signed_in = fresh.post(
        reverse("accounts:login"), {"username": assessor.username, "password": NEW_PASSWORD}
    )
    assert signed_in["Location"] == reverse("home")
    # The link works once.
    reused = Client().get(link, follow=True)
    assert "This link no longer works" in reused.content.decode()


def test_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.invalid"})
    assert response.status_code == HTTPStatus.FOUND
    assert mail.outbox == []
