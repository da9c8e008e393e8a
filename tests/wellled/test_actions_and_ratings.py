"""Action plans with progress notes and overdue highlighting; CQC's well-led rating history."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from metrics.models import CqcRating
from tests.factories import DevelopmentalReviewFactory, WellLedActionFactory
from wellled import policies, services
from wellled.models import Action, ProgressNote

pytestmark = pytest.mark.django_db


def test_the_trust_adds_an_action_from_a_review(client, framework, kloes, trust, trust_user):
    review = DevelopmentalReviewFactory(trust=trust)
    client.force_login(trust_user)
    url = reverse("wellled:action_create", args=[trust.ods_code])
    assert "Choose the review" in client.post(url, {}).content.decode()
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        url,
        {
            "source": f"dev-{review.pk}",
            "kloe": kloes["culture"].pk,
            "text": "Run a freedom-to-speak-up campaign",
            "owner": "Director of nursing",
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
        },
    )
    action = Action.objects.get()
    assert response["Location"] == action.get_absolute_url()
    assert action.developmental_review == review
    assert action.status == Action.Status.NOT_STARTED


def test_an_action_cannot_come_from_another_trusts_review(framework, kloes, trust, trust_user):
    other_review = DevelopmentalReviewFactory()
    with pytest.raises(ValidationError, match="another trust"):
        services.action_create(
            trust=trust,
            actor=trust_user,
            kloe=kloes["culture"],
            text="x",
            owner="y",
            due_on=timezone.localdate(),
            developmental_review=other_review,
        )


def test_progress_notes_are_dated_and_kept(client, trust, trust_user):
    action = WellLedActionFactory(developmental_review=DevelopmentalReviewFactory(trust=trust))
    client.force_login(trust_user)
    for day, status, text in ((1, "in_progress", "Started"), (20, "complete", "Done")):
        response = client.post(
            action.get_absolute_url(),
            {
                "status": status,
                "noted_on_0": day,
                "noted_on_1": 10,
                "noted_on_2": 2026,
                "text": text,
            },
        )
        assert response.status_code == HTTPStatus.FOUND
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETE
    assert list(ProgressNote.objects.values_list("noted_on", "text")) == [
        (datetime.date(2026, 10, 20), "Done"),
        (datetime.date(2026, 10, 1), "Started"),
    ]


def test_overdue_actions_stand_out_on_the_trusts_page(client, trust, trust_user, assessor):
    review = DevelopmentalReviewFactory(trust=trust)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = WellLedActionFactory(developmental_review=review, due_on=yesterday, text="Late one")
    WellLedActionFactory(developmental_review=review, due_on=yesterday, status="complete")
    WellLedActionFactory(developmental_review=review, text="On time")
    assert late.is_overdue
    for user in (trust_user, assessor):
        client.force_login(user)
        page = client.get(reverse("wellled:trust_detail", args=[trust.ods_code])).content.decode()
        assert "1 action overdue" in page
        assert page.count('govuk-tag--red">Overdue') == 1
    detail = client.get(late.get_absolute_url()).content.decode()
    assert 'id="action-overdue"' in detail


def test_staff_cannot_record_progress(client, trust, assessor):
    action = WellLedActionFactory(developmental_review=DevelopmentalReviewFactory(trust=trust))
    client.force_login(assessor)
    assert client.get(action.get_absolute_url()).status_code == HTTPStatus.OK
    assert client.post(action.get_absolute_url(), {}).status_code == HTTPStatus.FORBIDDEN


def test_the_api_creates_and_lists_actions(client, framework, trust, trust_user):
    review = DevelopmentalReviewFactory(trust=trust)
    client.force_login(trust_user)
    response = client.post(
        "/api/v1/wellled/actions/",
        {
            "developmental_review": review.pk,
            "kloe": "information",
            "text": "Data quality audit",
            "owner": "CIO",
            "due_on": "2020-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.CREATED, response.json()
    listed = client.get("/api/v1/wellled/actions/").json()["results"]
    assert listed[0]["overdue"] is True


def test_cqc_records_the_well_led_rating_with_history(client, trust, cqc_user, assessor):
    client.force_login(cqc_user)
    url = reverse("wellled:rating_create", args=[trust.ods_code])
    for rating, year in ((3, 2024), (2, 2026)):
        response = client.post(
            url, {"rating": rating, "rated_on_0": 1, "rated_on_1": 2, "rated_on_2": year}
        )
        assert response.status_code == HTTPStatus.FOUND
    history = list(
        CqcRating.objects.filter(trust=trust, question="well_led").values_list("rating", flat=True)
    )
    assert history == [2, 3]  # newest first
    page = client.get(reverse("wellled:trust_detail", args=[trust.ods_code])).content.decode()
    assert "Requires improvement" in page
    assert "Good" in page
    with pytest.raises(PermissionDenied, match=policies.CQC_ONLY):
        services.wellled_rating_record(
            trust=trust, actor=assessor, rating=1, rated_on=datetime.date(2026, 1, 1)
        )


def test_the_api_lets_only_cqc_record_a_rating(client, trust, cqc_user, assessor):
    body = {"trust": trust.ods_code, "rating": 4, "rated_on": "2026-03-01"}
    client.force_login(assessor)
    refused = client.post("/api/v1/wellled/cqc-ratings/", body, content_type="application/json")
    assert refused.status_code == HTTPStatus.FORBIDDEN
    client.force_login(cqc_user)
    made = client.post("/api/v1/wellled/cqc-ratings/", body, content_type="application/json")
    assert made.status_code == HTTPStatus.CREATED
    assert made.json()["recorded_by"] == cqc_user.username
