"""Deadline reminders (a week and a day before, and overdue; each sent once however often the
daily job runs) and the lead handing the assessment over or changing its team."""

import datetime
from http import HTTPStatus
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.factual_accuracy.models import FactualAccuracyDeadline
from assessments.models import AssessmentTransition, Status
from assessments.services.reminders import deadline_reminders_send
from assessments.team.services import (
    TEAM_REASON_REQUIRED,
    TEAM_UNCHANGED,
    assessment_team_change,
)
from metrics.models import Notification, Role
from tests.assessments.page_helpers import signed_in
from tests.factories import AssessmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ceo(trust):
    return UserFactory(username="ceo", role=Role.TRUST, trust=trust, is_trust_contact=True)


def _told(event: str) -> list[str]:
    return sorted(Notification.objects.filter(event=event).values_list("user__username", flat=True))


def _run(today, captured) -> None:
    with captured(execute=True):
        deadline_reminders_send(today=today)


@pytest.mark.parametrize(
    ("days_before", "event", "told"),
    [
        (8, None, []),
        (7, "commentary_week", ["ceo"]),
        (3, "commentary_week", ["ceo"]),  # a missed day still sends the week's reminder
        (1, "commentary_day", ["ceo"]),
        (-1, "commentary_overdue", ["assessor1", "ceo"]),
    ],
)
def test_commentary_reminders_go_once(
    trust, assessor, ceo, days_before, event, told, django_capture_on_commit_callbacks
):
    deadline = datetime.date(2027, 3, 10)
    assessment = AssessmentFactory(
        trust=trust,
        lead=assessor,
        commentary_deadline=deadline,
        site_visit_date=deadline + datetime.timedelta(days=14),
    )
    today = deadline - datetime.timedelta(days=days_before)
    _run(today, django_capture_on_commit_callbacks)
    _run(today, django_capture_on_commit_callbacks)  # the job runs twice: nobody is told twice
    assert Notification.objects.count() == len(told)
    assert len(mail.outbox) == len(told)
    if event:
        assert _told(event) == told
        assert f"{deadline:%A %d %B %Y}" in mail.outbox[0].body
    # Once submitted, nobody is reminded.
    Notification.objects.all().delete()
    assessment.commentary_submitted_at = timezone.now()
    assessment.save()
    _run(today - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()


def test_factual_accuracy_reminders_follow_the_current_deadline(
    trust, assessor, ceo, django_capture_on_commit_callbacks
):
    assessment = AssessmentFactory(trust=trust, lead=assessor, status=Status.FACTUAL_ACCURACY)
    deadline = datetime.date(2027, 1, 15)
    FactualAccuracyDeadline.objects.create(
        assessment=assessment, deadline=deadline, reason="Ten working days.", set_by=assessor
    )
    for day in (8, 7, 6, 1, 0, -1, -2):
        _run(deadline - datetime.timedelta(days=day), django_capture_on_commit_callbacks)
    assert [_told("fa_week"), _told("fa_day"), _told("fa_overdue")] == [
        ["ceo"],
        ["ceo"],
        ["assessor1", "ceo"],
    ]
    # A moved deadline is a new one: its reminders go out afresh.
    FactualAccuracyDeadline.objects.create(
        assessment=assessment,
        deadline=deadline + datetime.timedelta(days=5),
        reason="More time.",
        set_by=assessor,
    )
    _run(deadline, django_capture_on_commit_callbacks)
    assert _told("fa_week") == ["ceo", "ceo"]


def test_the_reminders_command_is_safe_to_run_again(
    trust, assessor, ceo, django_capture_on_commit_callbacks
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    AssessmentFactory(
        trust=trust,
        lead=assessor,
        commentary_deadline=tomorrow,
        site_visit_date=tomorrow + datetime.timedelta(days=14),
    )
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", stdout=StringIO())
    assert _told("commentary_day") == ["ceo"]


@pytest.fixture
def team(trust, assessor):
    member = UserFactory(username="member1", role=Role.ASSESSOR)
    newcomer = UserFactory(username="newcomer", role=Role.ASSESSOR)
    assessment = AssessmentFactory(trust=trust, lead=assessor, status=Status.EVIDENCE)
    assessment.members.add(member)
    return assessment, member, newcomer


def test_the_lead_hands_over_with_a_reason_and_everyone_is_told(
    team, assessor, django_capture_on_commit_callbacks
):
    assessment, member, newcomer = team
    client = signed_in(assessor)
    url = reverse("assessments:team_change", args=[assessment.pk])
    assert client.get(assessment.get_absolute_url()).content.decode().count(url) == 1
    refused = client.post(url, {"lead": newcomer.pk, "members": [member.pk], "reason": ""})
    assert refused.status_code == HTTPStatus.OK
    assert "Give the reason for the change" in refused.content.decode()
    assessment.refresh_from_db()
    assert assessment.lead == assessor  # nothing half-saved

    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(
            url, {"lead": newcomer.pk, "members": [member.pk], "reason": "Amara is on leave."}
        )
    # The old lead left the team, so lands on their home page with what happened.
    assert (moved.status_code, moved["Location"]) == (HTTPStatus.FOUND, reverse("home"))
    assessment.refresh_from_db()
    assert assessment.lead == newcomer
    assert set(assessment.members.all()) == {member}
    history = AssessmentTransition.objects.get(assessment=assessment, action="change_team")
    assert history.note == (
        "Lead: assessor1 handed over to newcomer. Joined: newcomer. Left: assessor1. "
        "Reason: Amara is on leave."
    )
    # The old lead acted; the new lead and the member are told, with the reason.
    assert _told("team_changed") == ["member1", "newcomer"]
    assert all("Amara is on leave." in message.body for message in mail.outbox)
    assert client.get(assessment.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    home = signed_in(newcomer).get(reverse("home")).content.decode()
    assert "Record evidence and propose ratings" in home


def test_a_member_cannot_change_the_team_and_the_api_asks_the_same_policy(
    team, assessor, django_capture_on_commit_callbacks
):
    assessment, member, _ = team
    url = reverse("assessments:team_change", args=[assessment.pk])
    assert signed_in(member).get(url).status_code == HTTPStatus.FORBIDDEN
    api = reverse("api:assessment-team", args=[assessment.pk])
    body = {"lead": "assessor1", "members": ["newcomer"], "reason": ""}
    assert signed_in(member).post(api, body, content_type="application/json").status_code == 403
    refused = signed_in(assessor).post(api, body, content_type="application/json")
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    body["reason"] = "Tom joins for the site visit."
    with django_capture_on_commit_callbacks(execute=True):
        done = signed_in(assessor).post(api, body, content_type="application/json")
    assert done.json() == {
        "lead": "assessor1",
        "members": ["newcomer"],
        "reason": "Tom joins for the site visit.",
    }
    # The member who left and the newcomer are both told.
    assert _told("team_changed") == ["member1", "newcomer"]


def test_the_service_refuses_a_change_without_a_reason_or_without_a_change(team, assessor):
    assessment, member, _ = team
    for reason, message in (("", TEAM_REASON_REQUIRED), ("Why not.", TEAM_UNCHANGED)):
        with pytest.raises(ValidationError) as refused:
            assessment_team_change(
                assessment=assessment,
                actor=assessor,
                lead=assessor,
                members=[member],
                reason=reason,
            )
        assert message in str(refused.value)
    assert not AssessmentTransition.objects.filter(action="change_team").exists()
