"""The team adds sessions to the site-visit agenda and removes them, in the browser."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied

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
            starts_at=datetime.time(11, 0),
            ends_at=datetime.time(12, 0),
        ),
    ]


def titles(assessment) -> list[tuple[int, str]]:
    return list(assessment.agenda.order_by("number").values_list("number", "title"))


def test_the_agenda_page_links_to_adding_and_removing_sessions(assessment, agenda, people):
    page = signed_in(people["lead"]).get(url("agenda_edit", assessment)).content.decode()
    assert url("agenda_session_add", assessment) in page
    assert url("agenda_session_remove", assessment) in page


def test_team_adds_a_session_which_takes_its_place_by_start_time(assessment, agenda, people):
    client = signed_in(people["member"])
    assert client.get(url("agenda_session_add", assessment)).status_code == HTTPStatus.OK
    finance = assessment.framework.kloes.get(code="finance")
    response = client.post(
        url("agenda_session_add", assessment),
        {
            "title": "Estates walk-round",
            "starts_at": "10:15",
            "ends_at": "10:45",
            "kloes": [finance.pk],
            "attendees": "Director of estates\n\nHead of facilities",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert titles(assessment) == [(1, "Introduction"), (2, "Estates walk-round"), (3, "Finance")]
    added = AgendaSession.objects.get(assessment=assessment, title="Estates walk-round")
    assert [kloe.code for kloe in added.kloes.all()] == ["finance"]
    assert added.attendee_list == ["Director of estates", "Head of facilities"]
    page = client.get(response["Location"]).content.decode()
    assert "Session 2 added: Estates walk-round, 10:15 to 10:45." in page
    assert "Session 3: Finance" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Give the session a title."),
        ({"ends_at": "09:00"}, None, "Session 3 (Lunch) must end after it starts."),
        ({"starts_at": "half ten"}, "starts_at", "Enter the time as hours and minutes"),
        (
            {"attendees": "\n".join(f"Person {n}" for n in range(9))},
            None,
            "Session 3 (Lunch) lists 9 trust attendees: at most eight can attend a session.",
        ),
    ],
)
def test_a_bad_session_is_refused_naming_the_problem_and_nothing_is_added(
    assessment, agenda, people, changes, field, message
):
    data = {"title": "Lunch", "starts_at": "12:30", "ends_at": "13:00"} | changes
    response = signed_in(people["lead"]).post(url("agenda_session_add", assessment), data)
    assert response.status_code == HTTPStatus.OK
    errors = response.context["form"].errors
    assert message in str(errors.get(field, errors.get("__all__")))
    assert "govuk-error-summary" in response.content.decode()
    assert titles(assessment) == [(1, "Introduction"), (2, "Finance")]


def test_team_removes_a_session_and_the_rest_are_renumbered(assessment, agenda, people):
    AgendaSessionFactory(
        assessment=assessment,
        number=3,
        title="Feedback",
        starts_at=datetime.time(15, 0),
        ends_at=datetime.time(16, 0),
    )
    client = signed_in(people["lead"])
    page = client.get(url("agenda_session_remove", assessment) + "?session=2")
    assert page.status_code == HTTPStatus.OK
    assert page.context["form"]["session"].value() == "2"  # chosen from the agenda's link
    response = client.post(url("agenda_session_remove", assessment), {"session": 2})
    assert response.status_code == HTTPStatus.FOUND
    assert titles(assessment) == [(1, "Introduction"), (2, "Feedback")]
    follow = client.get(response["Location"]).content.decode()
    assert "The session “Finance” is removed; the others are renumbered." in follow


def test_removing_needs_a_choice_and_keeps_the_last_session(assessment, agenda, people):
    client = signed_in(people["lead"])
    response = client.post(url("agenda_session_remove", assessment), {})
    assert response.status_code == HTTPStatus.OK
    assert services.SESSION_CHOOSE in response.content.decode()
    client.post(url("agenda_session_remove", assessment), {"session": 1})
    response = client.post(url("agenda_session_remove", assessment), {"session": 1})
    assert response.status_code == HTTPStatus.OK
    assert services.LAST_SESSION in response.content.decode()
    assert titles(assessment) == [(1, "Finance")]


@pytest.mark.parametrize("route", ["agenda_session_add", "agenda_session_remove"])
def test_only_the_team_changes_sessions_and_only_until_the_rating_is_proposed(
    assessment, agenda, people, route
):
    for who, expected in [
        ("trust", HTTPStatus.FORBIDDEN),
        ("outsider", HTTPStatus.NOT_FOUND),
        ("admin", HTTPStatus.FORBIDDEN),
    ]:
        response = signed_in(people[who]).post(url(route, assessment), {"session": 1})
        assert response.status_code == expected, who
    set_status(assessment, Status.QA_REVIEW)
    response = signed_in(people["lead"]).post(url(route, assessment), {"session": 1})
    assert response.status_code == HTTPStatus.FORBIDDEN
    with pytest.raises(PermissionDenied):
        services.agenda_session_remove(assessment=assessment, actor=people["lead"], number=1)
    assert titles(assessment) == [(1, "Introduction"), (2, "Finance")]
