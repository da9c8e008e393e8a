"""A developmental review explains each KLOE it leaves out, and its page sets the facilitator's
ratings (CQC's scale) beside the board's self-review (its priority scheme, mapped in data)."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.ratings import Rating
from tests.factories import SelfReviewFactory
from wellled import services
from wellled.models import DevelopmentalReview, PriorityScheme, SelfReview, SelfReviewEntry

pytestmark = pytest.mark.django_db
D = datetime.date


def record(trust, actor, scope, omissions=None, ratings=None):
    return services.developmental_review_save(
        trust=trust,
        actor=actor,
        kloes=scope,
        ratings=ratings or {},
        omissions=omissions,
        facilitator_name="Pat Reviewer",
        facilitator_organisation="Governance Partners",
        independence="declared",
        started_on=D(2025, 1, 6),
        completed_on=D(2025, 3, 3),
    )


def test_each_kloe_left_out_needs_its_explanation(kloes, trust, trust_user):
    scope = [kloe for code, kloe in kloes.items() if code not in ("culture", "information")]
    with pytest.raises(ValidationError) as refused:
        record(trust, trust_user, scope, omissions={"culture": "Reviewed in 2024."})
    errors = refused.value.message_dict
    assert set(errors) == {"omitted_information"}
    assert errors["omitted_information"] == [
        services.OMISSION_REQUIRED.format(kloe=kloes["information"].label)
    ]
    assert not DevelopmentalReview.objects.exists()
    review = record(
        trust,
        trust_user,
        scope,
        omissions={"culture": "Reviewed in 2024.", "information": "  New system in 2026.  "},
    )
    assert review.omitted_kloes == {
        "culture": "Reviewed in 2024.",
        "information": "New system in 2026.",
    }


def test_a_review_of_every_kloe_needs_no_explanation_and_keeps_none(kloes, trust, trust_user):
    review = record(trust, trust_user, list(kloes.values()), omissions={"culture": "Stale."})
    assert review.omitted_kloes == {}


def test_the_page_asks_for_the_explanation_and_shows_it(client, kloes, trust, trust_user):
    client.force_login(trust_user)
    url = reverse("wellled:devreview_create", args=[trust.ods_code])
    data = {
        "facilitator_name": "Pat Reviewer",
        "facilitator_organisation": "Governance Partners",
        "independence": "declared",
        "kloes": [kloe.pk for code, kloe in kloes.items() if code != "culture"],
        "started_on_0": 6,
        "started_on_1": 1,
        "started_on_2": 2025,
        "material_concerns": "False",
    }
    refused = client.post(url, data)
    assert refused.status_code == HTTPStatus.OK
    assert "Explain why the review leaves out W3" in refused.content.decode()
    saved = client.post(url, data | {"omitted_culture": "Covered by the 2024 culture audit."})
    assert saved.status_code == HTTPStatus.FOUND
    page = client.get(saved["Location"]).content.decode()
    assert "Covered by the 2024 culture audit." in page


def signed_off_self_review(trust, kloe, priority_number):
    scheme = PriorityScheme.objects.get(code="default-four-level")
    review = SelfReviewFactory(trust=trust, framework=kloe.framework, scheme=scheme)
    SelfReview.objects.filter(pk=review.pk).update(
        status=SelfReview.Status.SIGNED_OFF, signed_off_on=D(2025, 1, 2), signed_off_by_name="Chair"
    )
    SelfReviewEntry.objects.filter(review=review, kloe=kloe).update(
        priority=scheme.levels.get(number=priority_number)
    )
    return review


def test_the_default_scheme_states_its_mapping_to_cqcs_scale(framework):
    levels = PriorityScheme.objects.get(code="default-four-level").levels.order_by("number")
    assert [(level.label, level.comparable_rating) for level in levels] == [
        ("No concerns", Rating.OUTSTANDING),
        ("Minor concerns", Rating.GOOD),
        ("Moderate concerns", Rating.REQUIRES_IMPROVEMENT),
        ("Significant concerns", Rating.INADEQUATE),
    ]


@pytest.mark.parametrize(
    ("facilitator", "priority", "verdict"),
    [
        (3, 3, "The same"),
        (3, 2, "The facilitator rates it lower than the board"),
        (2, 3, "The facilitator rates it higher than the board"),
    ],
)
def test_the_review_page_compares_the_two_ratings_on_one_scale(
    client, kloes, trust, trust_user, facilitator, priority, verdict
):
    culture = kloes["culture"]
    signed_off_self_review(trust, culture, priority)
    review = record(
        trust,
        trust_user,
        list(kloes.values()),
        ratings={culture: facilitator},
    )
    client.force_login(trust_user)
    page = client.get(review.get_absolute_url()).content.decode()
    assert 'id="ratings-compared"' in page
    row = page[page.index(culture.label, page.index('id="ratings-compared"')) :]
    row = row[: row.index("</tr>")]
    assert verdict in row
    assert f"{priority}: {Rating(priority).label}" in row


def test_without_a_signed_off_self_review_the_page_says_so(client, kloes, trust, trust_user):
    review = record(trust, trust_user, list(kloes.values()), ratings={kloes["culture"]: 2})
    client.force_login(trust_user)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "The trust has no signed-off board self-review to compare with." in page


def test_the_api_takes_the_explanations_and_names_a_missing_one(client, kloes, trust, trust_user):
    client.force_login(trust_user)
    body = {
        "facilitator_name": "Pat Reviewer",
        "facilitator_organisation": "Governance Partners",
        "independence": "declared",
        "kloes": [code for code in kloes if code != "culture"],
        "started_on": "2025-01-06",
    }
    url = reverse("wellled-api:developmentalreview-list")
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert list(refused.json()) == ["omitted_culture"]
    body["omitted_kloes"] = {"culture": "Reviewed by the 2024 audit."}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == HTTPStatus.CREATED, created.content
    assert created.json()["omitted_kloes"] == {"culture": "Reviewed by the 2024 audit."}
