"""Each person's notifications: the unread count in the header, the list (newest first, paged),
opening one marks it read and goes to the thing; trust contacts, set by create_user and in
Django admin."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from metrics.models import Notification, Role, User
from metrics.services import notifications_deliver
from tests.assessments.page_helpers import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-sensible-passphrase-42"


def _tell(user, title, url="/assessments/", note="", key=""):
    return notifications_deliver(
        users=[user], event="test", title=title, body="Body.", url=url, note=note, key=key
    )


def test_the_header_counts_unread_and_opening_one_marks_it_read(assessor):
    _tell(assessor, "First", url="/trusts/")
    _tell(assessor, "Second", note="Because QA said so.")
    client = signed_in(assessor)
    home = client.get(reverse("home")).content.decode()
    assert 'id="unread-count">2<span class="govuk-visually-hidden"> unread</span>' in home

    page = client.get(reverse("metrics:notification_list")).content.decode()
    assert page.index("Second") < page.index("First")  # newest first
    assert "Because QA said so." in page
    assert page.count("Unread</strong>") == 2

    first = Notification.objects.get(title="First")
    opened = client.get(reverse("metrics:notification_open", args=[first.pk]))
    assert (opened.status_code, opened["Location"]) == (HTTPStatus.FOUND, "/trusts/")
    first.refresh_from_db()
    assert first.read_at is not None
    home = client.get(reverse("home")).content.decode()
    assert 'id="unread-count">1<' in home
    # Someone else's notification is not theirs to open, nor to know of.
    other = signed_in(UserFactory(role=Role.ASSESSOR))
    assert other.get(reverse("metrics:notification_open", args=[first.pk])).status_code == 404
    assert "First" not in other.get(reverse("metrics:notification_list")).content.decode()
    assert 'id="unread-count"' not in other.get(reverse("home")).content.decode()


def test_the_list_is_paged(assessor):
    for number in range(25):
        _tell(assessor, f"Message {number:02d}")
    client = signed_in(assessor)
    first_page = client.get(reverse("metrics:notification_list")).content.decode()
    assert "Message 24" in first_page
    assert "Message 04" not in first_page
    second = client.get(reverse("metrics:notification_list") + "?page=2").content.decode()
    assert "Message 04" in second
    assert "Message 24" not in second


def test_each_notification_is_also_an_email_and_a_key_sends_it_once(assessor):
    assert _tell(assessor, "Reminder", key="fa_week:1:2027-01-04") == 1
    assert _tell(assessor, "Reminder", key="fa_week:1:2027-01-04") == 0
    assert Notification.objects.filter(user=assessor).count() == 1
    assert [message.subject for message in mail.outbox] == ["Reminder"]


def test_create_user_marks_a_trust_contact_and_refuses_it_for_staff(trust):
    call_command(
        "create_user",
        "ceo",
        role="trust",
        trust=trust.ods_code,
        password=PASSWORD,
        trust_contact=True,
        stdout=StringIO(),
    )
    call_command(
        "create_user",
        "clerk",
        role="trust",
        trust=trust.ods_code,
        password=PASSWORD,
        stdout=StringIO(),
    )
    assert User.objects.get(username="ceo").is_trust_contact
    assert not User.objects.get(username="clerk").is_trust_contact
    with pytest.raises(CommandError, match="Only trust users can be a trust's contact"):
        call_command(
            "create_user",
            "amy",
            role="assessor",
            password=PASSWORD,
            trust_contact=True,
            stdout=StringIO(),
        )
    assert not User.objects.filter(username="amy").exists()


def test_an_admin_marks_a_trust_contact_in_django_admin(admin_user, trust_user):
    page = signed_in(admin_user).get(reverse("admin:metrics_user_change", args=[trust_user.pk]))
    assert page.status_code == HTTPStatus.OK
    assert 'name="is_trust_contact"' in page.content.decode()


def test_the_demo_chief_executive_is_a_trust_contact():
    call_command("load_demo", stdout=StringIO())
    ceo = User.objects.get(username="ceo")
    assert (ceo.full_name, ceo.trust.ods_code, ceo.is_trust_contact) == (
        "Dr Nadia Hussain",
        "ZZ1",
        True,
    )
