"""Warning notices and material concerns: NHS Improvement records one under a theme with its
reason and closes it with another; bad input is refused with a message naming the field;
the oversight view filters by theme, region, system and segment and its CSV has the themes."""

import csv
import datetime
import io
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from metrics.models import Trust
from tests.factories import DevelopmentalReviewFactory, UserFactory
from wellled.models import OversightConcern, SegmentDecision
from wellled.selectors import oversight_rows

pytestmark = pytest.mark.django_db

URL = "/well-led/oversight/"
TODAY = timezone.localdate()


def url_of(trust):
    return reverse("wellled:oversight_concerns", args=[trust.ods_code])


def dated(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def record(client, trust, **fields):
    data = {
        "kind": "concern",
        "theme": "strategic",
        "reason": "Not taking part in the ICS's plan",
        **dated("raised_on", TODAY),
    }
    data.update(fields)
    return client.post(url_of(trust), data)


def test_a_concern_is_recorded_shown_in_its_theme_and_closed(client, trust, assessor):
    client.force_login(assessor)
    response = record(client, trust)
    assert response.status_code == HTTPStatus.FOUND
    concern = OversightConcern.objects.get()
    assert (concern.theme, concern.recorded_by, concern.closed_on) == ("strategic", assessor, None)
    row = next(row for row in oversight_rows(user=assessor) if row.trust == trust)
    assert [flag.code for flag in row.by_theme["strategic"]] == ["concern_strategic"]
    page = client.get(url_of(trust)).content.decode()
    assert "Not taking part in the ICS&#x27;s plan" in page
    assert f'href="?close={concern.pk}"' in page

    closing = client.get(url_of(trust), {"close": concern.pk}).content.decode()
    assert "Close the other material concern of" in closing
    response = client.post(
        url_of(trust),
        {"concern": concern.pk, "closed_reason": "Joined the plan", **dated("closed_on", TODAY)},
    )
    assert response.status_code == HTTPStatus.FOUND
    concern.refresh_from_db()
    assert (concern.closed_on, concern.closed_reason, concern.closed_by) == (
        TODAY,
        "Joined the plan",
        assessor,
    )
    row = next(row for row in oversight_rows(user=assessor) if row.trust == trust)
    assert row.by_theme["strategic"] == []
    page = client.get(url_of(trust)).content.decode()
    assert "None open." in page
    assert 'id="closed-concerns"' in page
    assert "Joined the plan" in page
    # Closing it again is refused with the reason, nothing changed.
    again = client.post(
        url_of(trust),
        {"concern": concern.pk, "closed_reason": "Again", **dated("closed_on", TODAY)},
    )
    assert again.status_code == HTTPStatus.OK
    assert "This concern was already closed on" in again.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": ""}, "Enter the reason"),
        ({"theme": ""}, "Choose the theme"),
        ({"kind": "warning_notice", "theme": "finance"}, "belongs to the quality of care theme"),
        (dated("raised_on", TODAY + datetime.timedelta(days=1)), "cannot be in the future"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    client, trust, assessor, fields, message
):
    client.force_login(assessor)
    response = record(client, trust, **fields)
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not OversightConcern.objects.exists()


def test_a_concern_cannot_close_before_it_was_raised(client, trust, assessor):
    client.force_login(assessor)
    record(client, trust, **dated("raised_on", TODAY))
    concern = OversightConcern.objects.get()
    response = client.post(
        url_of(trust),
        {
            "concern": concern.pk,
            "closed_reason": "Resolved",
            **dated("closed_on", TODAY - datetime.timedelta(days=3)),
        },
    )
    assert "It cannot be closed before the date it was raised" in response.content.decode()
    concern.refresh_from_db()
    assert concern.is_open


def test_another_trusts_concern_cannot_be_closed_from_this_trusts_page(
    client, trust, other_trust, assessor
):
    client.force_login(assessor)
    record(client, other_trust)
    concern = OversightConcern.objects.get()
    response = client.post(
        url_of(trust),
        {"concern": concern.pk, "closed_reason": "x", **dated("closed_on", TODAY)},
    )
    assert "That concern is not one of this trust&#x27;s." in response.content.decode()
    concern.refresh_from_db()
    assert concern.is_open


@pytest.mark.parametrize("role", ["cqc", "trust"])
def test_only_nhs_improvement_records_or_closes(client, trust, role):
    client.force_login(UserFactory(role=role, trust=trust if role == "trust" else None))
    assert record(client, trust).status_code == HTTPStatus.FORBIDDEN
    assert not OversightConcern.objects.exists()


@pytest.fixture
def three(trust, other_trust, assessor):
    third = Trust.objects.create(
        ods_code="RCC", name="Gamma NHS Trust", trust_type="acute", region="North"
    )
    Trust.objects.filter(pk=trust.pk).update(system="Alpha ICS")
    Trust.objects.filter(pk=other_trust.pk).update(system="Beta ICS")
    for each in (trust, other_trust, third):
        DevelopmentalReviewFactory(trust=each, completed_on=TODAY)
    OversightConcern.objects.create(
        trust=trust, theme="strategic", reason="r", raised_on=TODAY, recorded_by=assessor
    )
    OversightConcern.objects.create(
        trust=other_trust, theme="leadership", reason="r", raised_on=TODAY, recorded_by=assessor
    )
    SegmentDecision.objects.create(
        trust=other_trust, segment=3, rationale="r", decided_on=TODAY, decided_by=assessor
    )
    return trust, other_trust, third


def shown(client, **params) -> set[str]:
    page = client.get(URL, params).content.decode()
    names = {
        "Alpha": "Alpha Hospitals NHS Trust",
        "Beta": "Beta Hospitals NHS Trust",
        "Gamma": "Gamma NHS Trust",
    }
    return {short for short, name in names.items() if f">{name}</a>" in page}


def test_the_view_filters_by_theme_region_system_and_segment(client, assessor, three):
    client.force_login(assessor)
    assert shown(client) == {"Alpha", "Beta", "Gamma"}
    assert shown(client, theme="strategic") == {"Alpha"}
    assert shown(client, theme="leadership") == {"Beta"}
    assert shown(client, theme="operational") == set()
    assert shown(client, system="Beta ICS") == {"Beta"}
    assert shown(client, region="North") == {"Gamma"}
    assert shown(client, segment="3") == {"Beta"}
    assert shown(client, segment="none") == {"Alpha", "Gamma"}
    api = client.get("/api/v1/wellled/oversight/", {"theme": "strategic"}).json()
    assert [row["trust"] for row in api] == ["RAA"]
    assert api[0]["flags"][0]["theme"] == "strategic"
    assert api[0]["system"] == "Alpha ICS"


def test_the_csv_has_a_column_per_theme_and_the_flags_sources_by_theme(client, assessor, three):
    client.force_login(assessor)
    response = client.get(URL, {"format": "csv"})
    rows = {row["ods_code"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    alpha = rows["RAA"]
    assert alpha["system"] == "Alpha ICS"
    assert (alpha["theme_strategic"], alpha["theme_leadership"], alpha["theme_service"]) == (
        "1",
        "0",
        "0",
    )
    assert alpha["flag_concern_strategic"] == "yes"
    assert alpha["flag_sources"].startswith("Strategic change: Other material concern: ")
    assert rows["RBB"]["theme_leadership"] == "1"
    assert rows["RBB"]["segment"] == "3"
