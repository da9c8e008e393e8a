"""The 30-minute idle timeout, kept without a session write on every page view."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def session_writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if "django_session" in query["sql"] and query["sql"].startswith(("UPDATE", "INSERT"))
    ]


def signed_in(client) -> bool:
    response = client.get(reverse("home"))
    if response.status_code == HTTPStatus.FOUND:
        assert response["Location"].startswith(reverse("accounts:login"))
        return False
    assert response.status_code == HTTPStatus.OK
    return True


def test_a_page_view_that_changes_nothing_does_not_write_the_session(client, assessor):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(assessor)
        with CaptureQueriesContext(connection) as first:
            assert signed_in(client)
        assert session_writes(first) == []  # signing in started the clock
        traveller.shift(timedelta(seconds=30))
        with CaptureQueriesContext(connection) as again:
            assert signed_in(client)
        assert session_writes(again) == []
        traveller.shift(timedelta(seconds=31))
        with CaptureQueriesContext(connection) as a_minute_on:
            assert signed_in(client)
        assert len(session_writes(a_minute_on)) == 1


@pytest.mark.parametrize("every", [timedelta(seconds=50), timedelta(minutes=5)])
def test_someone_active_stays_signed_in_well_past_thirty_minutes(client, assessor, every):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(assessor)
        while timezone.now() < start + timedelta(minutes=75):
            assert signed_in(client), f"signed out at {timezone.now() - start}"
            traveller.shift(every)


def test_someone_idle_for_thirty_minutes_is_signed_out(client, assessor):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(assessor)
        assert signed_in(client)
        traveller.shift(timedelta(seconds=40))
        assert signed_in(client)  # no refresh: the last was 40 s ago
        traveller.shift(timedelta(minutes=30))
        assert not signed_in(client)
        assert "_auth_user_id" not in client.session


def test_twenty_nine_idle_minutes_after_a_page_view_keep_someone_signed_in(client, assessor):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(assessor)
        assert signed_in(client)
        traveller.shift(timedelta(minutes=29))
        assert signed_in(client)
        traveller.shift(timedelta(minutes=29))
        assert signed_in(client)
