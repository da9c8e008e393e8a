"""The team edits the site-visit agenda and the commentary deadline in the browser."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments import services
from assessments.models import AgendaSession, Status
from tests.assessments.page_helpers import set_status, signed_in, url
from tests.factories import AgendaSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(assessment):
    return [
        AgendaSessionFactory(assessment=assessment, number=1, title="Introduction"),
        AgendaSessionFactory(
            assessment=assessment,
            number=2,
            title="Finance",
            starts_at=datetime.time(10, 0),
            ends_at=datetime.time(11, 30),
        ),
    ]


def agenda_post(assessment, **changes):
    finance = assessment.framework.kloes.get(code="finance")
    data = {
        "session_1_title": "Introduction",
        "session_1_starts_at": "09:00",
        "session_1_ends_at": "10:00",
        "session_1_attendees": "Chief executive\nChair",
        "session_2_title": "Finance and productivity",
        "session_2_starts_at": "10:15",
        "session_2_ends_at": "11:45",
        "session_2_kloes": [finance.pk],
        "session_2_attendees": "Director of finance\nDeputy director of finance",
    }
    data.update(changes)
    return data


def test_team_changes_times_title_kloes_and_attendees(assessment, agenda, people):
    client = signed_in(people["member"])
    response = client.post(url("agenda_edit", assessment), agenda_post(assessment))
    assert response.status_code == HTTPStatus.FOUND
    session = AgendaSession.objects.get(assessment=assessment, number=2)
    assert session.title == "Finance and productivity"
    assert (session.starts_at, session.ends_at) == (datetime.time(10, 15), datetime.time(11, 45))
    assert [kloe.code for kloe in session.kloes.all()] == ["finance"]
    assert session.attendee_list == ["Director of finance", "Deputy director of finance"]
    page = client.get(response["Location"]).content.decode()
    assert "Finance and productivity" in page
    assert "The site-visit agenda is saved." in page


def test_nine_attendees_are_refused_naming_the_session_and_nothing_changes(
    assessment, agenda, people
):
    nine = "\n".join(f"Person {n}" for n in range(1, 10))
    response = signed_in(people["lead"]).post(
        url("agenda_edit", assessment),
        agenda_post(assessment, session_2_attendees=nine, session_1_title="Changed"),
    )
    assert response.status_code == HTTPStatus.OK
    expected = services.TOO_MANY_ATTENDEES.format(
        number=2, title="Finance and productivity", count=9
    )
    assert expected in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert AgendaSession.objects.get(assessment=assessment, number=1).title == "Introduction"
    assert AgendaSession.objects.get(assessment=assessment, number=2).title == "Finance"


def test_a_session_ending_before_it_starts_is_refused(assessment, agenda, people):
    response = signed_in(people["lead"]).post(
        url("agenda_edit", assessment),
        agenda_post(assessment, session_1_starts_at="11:00", session_1_ends_at="10:00"),
    )
    assert response.status_code == HTTPStatus.OK
    assert "Session 1 (Introduction) must end after it starts." in response.content.decode()
    assert AgendaSession.objects.get(assessment=assessment, number=1).ends_at == datetime.time(
        10, 0
    )


def test_the_service_refuses_too_many_attendees_too(assessment, agenda, people):
    session = {
        "number": 1,
        "title": "Introduction",
        "starts_at": datetime.time(9),
        "ends_at": datetime.time(10),
        "kloes": [],
        "attendees": [f"Person {n}" for n in range(9)],
    }
    with pytest.raises(ValidationError) as refused:
        services.agenda_update(assessment=assessment, actor=people["lead"], sessions=[session])
    assert "at most eight" in refused.value.messages[0]


@pytest.mark.parametrize("who", ["trust", "qa_in_review", "admin", "outsider", "other_trust"])
def test_only_the_team_edits_the_agenda(assessment, agenda, people, who):
    if who == "qa_in_review":
        set_status(assessment, Status.QA_REVIEW)
        user, expected = people["qa"], HTTPStatus.FORBIDDEN
    else:
        user = people[who]
        expected = (
            HTTPStatus.NOT_FOUND if who in ("outsider", "other_trust") else HTTPStatus.FORBIDDEN
        )
    client = signed_in(user)
    assert client.get(url("agenda_edit", assessment)).status_code == expected
    assert client.post(url("agenda_edit", assessment), agenda_post(assessment)).status_code == (
        expected
    )
    assert AgendaSession.objects.get(assessment=assessment, number=2).title == "Finance"


def test_agenda_is_frozen_once_the_rating_is_proposed(assessment, agenda, people):
    set_status(assessment, Status.QA_REVIEW)
    response = signed_in(people["lead"]).post(
        url("agenda_edit", assessment), agenda_post(assessment)
    )
    assert response.status_code == HTTPStatus.FORBIDDEN


def deadline_post(date: datetime.date) -> dict:
    return {
        "commentary_deadline_0": date.day,
        "commentary_deadline_1": date.month,
        "commentary_deadline_2": date.year,
    }


def test_team_moves_the_commentary_deadline(assessment, people):
    new = assessment.site_visit_date - datetime.timedelta(days=3)
    response = signed_in(people["lead"]).post(url("deadline_edit", assessment), deadline_post(new))
    assert response.status_code == HTTPStatus.FOUND
    assessment.refresh_from_db()
    assert assessment.commentary_deadline == new


@pytest.mark.parametrize(
    ("offset", "message"),
    [(1, services.DEADLINE_AFTER_VISIT), (None, services.DEADLINE_IN_PAST)],
)
def test_a_deadline_after_the_visit_or_in_the_past_is_refused(assessment, people, offset, message):
    before = assessment.commentary_deadline
    if offset is None:
        date = timezone.localdate() - datetime.timedelta(days=1)
    else:
        date = assessment.site_visit_date + datetime.timedelta(days=offset)
    response = signed_in(people["lead"]).post(url("deadline_edit", assessment), deadline_post(date))
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.commentary_deadline == before


def test_the_trust_cannot_move_its_own_deadline(assessment, people):
    new = assessment.site_visit_date
    response = signed_in(people["trust"]).post(url("deadline_edit", assessment), deadline_post(new))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_the_overview_links_the_team_to_the_agenda_and_deadline(assessment, agenda, people):
    page = signed_in(people["lead"]).get(assessment.get_absolute_url()).content.decode()
    assert url("agenda_edit", assessment) in page
    assert url("deadline_edit", assessment) in page
    trust_page = signed_in(people["trust"]).get(assessment.get_absolute_url()).content.decode()
    assert url("agenda_edit", assessment) not in trust_page
