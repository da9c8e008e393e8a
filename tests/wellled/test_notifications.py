"""Well-led hand-overs: a self-review signed off and a developmental review recorded tell the
trust's contacts and NHS Improvement's admins; an overdue review or action reminds them once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from metrics.models import Notification, Role
from tests.factories import DevelopmentalReviewFactory, UserFactory, WellLedActionFactory
from tests.wellled.test_self_review import fill_every_entry
from wellled import services
from wellled.notifications import wellled_reminders_send

pytestmark = pytest.mark.django_db


def _told(event: str) -> list[str]:
    return sorted(Notification.objects.filter(event=event).values_list("user__username", flat=True))


@pytest.fixture
def ceo(trust):
    return UserFactory(username="ceo", role=Role.TRUST, trust=trust, is_trust_contact=True)


def test_signing_off_a_self_review_tells_the_contacts_and_admins(
    framework, trust, trust_user, ceo, admin_user, django_capture_on_commit_callbacks
):
    review = services.self_review_create(trust=trust, actor=trust_user, title="Board review")
    fill_every_entry(review, trust_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.self_review_sign_off(
            review=review,
            actor=trust_user,
            signed_off_on=timezone.localdate(),
            signed_off_by_name="Chair",
        )
    # trust_user signed it off and is not a contact; the chief executive and the admin hear.
    assert _told("self_review_signed_off") == ["admin1", "ceo"]
    note = Notification.objects.filter(event="self_review_signed_off").first().note
    assert "by Chair" in note
    assert sorted(message.to[0] for message in mail.outbox) == [
        "admin1@example.invalid",
        "ceo@example.invalid",
    ]


def test_overdue_reviews_and_actions_are_reminded_once(
    trust, ceo, admin_user, django_capture_on_commit_callbacks
):
    long_ago = timezone.localdate() - datetime.timedelta(days=4 * 365)
    review = DevelopmentalReviewFactory(
        trust=trust, started_on=long_ago - datetime.timedelta(days=30), completed_on=long_ago
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    WellLedActionFactory(developmental_review=review, due_on=yesterday, text="Late one")
    WellLedActionFactory(developmental_review=review, due_on=yesterday, status="complete")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            wellled_reminders_send()
    assert _told("developmental_review_overdue") == ["admin1", "ceo"]
    assert _told("action_overdue") == ["ceo"]
    assert Notification.objects.get(event="action_overdue").note == "Late one"
    assert len(mail.outbox) == 3


def test_recording_a_developmental_review_tells_the_contacts_and_admins(
    kloes, trust, trust_user, ceo, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = services.developmental_review_save(
            trust=trust,
            actor=trust_user,
            kloes=[kloes["culture"]],
            ratings={kloes["culture"]: 2},
            omissions={code: "Not this time." for code in kloes if code != "culture"},
            facilitator_name="Pat Reviewer",
            facilitator_organisation="Governance Partners",
            independence="declared",
            started_on=datetime.date(2025, 1, 6),
            completed_on=datetime.date(2025, 3, 3),
        )
    assert _told("developmental_review_recorded") == ["admin1", "ceo"]
    row = Notification.objects.filter(event="developmental_review_recorded").first()
    assert row.url == review.get_absolute_url()
