"""The security log: what is recorded, and the admin page that filters and exports it."""

import csv
import io
from http import HTTPStatus

import pytest
from django.urls import reverse

from metrics.models import SecurityEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_sign_out_and_failures_are_recorded_with_address_and_path(client, assessor):
    login = reverse("accounts:login")
    client.post(login, {"username": assessor.username, "password": "nope-nope-nope"})
    client.post(login, {"username": assessor.username, "password": TEST_PASSWORD})
    client.post(reverse("accounts:logout"))
    events = list(SecurityEvent.objects.order_by("id"))
    assert [event.kind for event in events] == ["login_failed", "login", "logout"]
    assert all(event.username == assessor.username for event in events)
    assert all(event.ip_address == "127.0.0.1" for event in events)
    assert events[0].path == login


def test_another_trusts_page_is_hidden_and_the_attempt_logged(client, trust_user, other_trust):
    client.force_login(trust_user)
    url = other_trust.get_absolute_url()
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.NOT_FOUND)
    assert (event.user, event.path) == (trust_user, url)


def test_a_refused_page_is_logged(client, trust_user):
    client.force_login(trust_user)
    assert client.get(reverse("metrics:security_log")).status_code == HTTPStatus.FORBIDDEN
    assert SecurityEvent.objects.filter(kind="forbidden", user=trust_user).exists()


def test_admin_filters_the_log_and_downloads_it_as_csv(client, admin_user):
    SecurityEvent.objects.create(kind="login_failed", username="=cmd|' /C calc'!A0")
    SecurityEvent.objects.create(kind="login", username="someone")
    client.force_login(admin_user)  # force_login sends no signal, so no event of its own

    page = client.get(reverse("metrics:security_log"), {"kind": "login_failed"})
    body = page.content.decode()
    assert "Failed sign-in" in body
    assert "someone" not in body

    export = client.get(reverse("metrics:security_log"), {"kind": "login_failed", "format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    assert 'filename="security-log.csv"' in export["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0] == ["when", "event", "username", "address", "path", "detail"]
    assert len(rows) == 2
    # A value that a spreadsheet would run as a formula is neutralised.
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
