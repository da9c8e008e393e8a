"""Comply or explain: the next developmental review is due three years after the last was
completed, or on a date NHS Improvement agrees up to five years after; 29 February moves to
28 February; a trust past its due date without an accepted explanation is overdue."""

import datetime
from http import HTTPStatus

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import DevelopmentalReviewFactory
from wellled import policies, services
from wellled.models import DevelopmentalReview
from wellled.selectors import review_cycle_for_trust

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (D(2023, 6, 15), 3, D(2026, 6, 15)),
        (D(2020, 2, 29), 3, D(2023, 2, 28)),  # no 29 February in 2023: the 28th
        (D(2020, 2, 29), 4, D(2024, 2, 29)),  # a leap year again: the 29th
        (D(2020, 2, 29), 5, D(2025, 2, 28)),
        (D(2021, 2, 28), 3, D(2024, 2, 28)),  # 28 February stays the 28th in a leap year
        (D(2021, 3, 1), 3, D(2024, 3, 1)),
    ],
)
def test_years_are_added_by_calendar_with_29_february_as_the_28th(day, years, expected):
    assert day + relativedelta(years=years) == expected


def completed(trust, on, **kwargs) -> DevelopmentalReview:
    return DevelopmentalReviewFactory(
        trust=trust, started_on=on - datetime.timedelta(days=60), completed_on=on, **kwargs
    )


def test_the_default_due_date_is_three_years_after_completion(trust):
    review = completed(trust, D(2023, 6, 15))
    assert review_cycle_for_trust(trust=trust).due_on == D(2026, 6, 15)
    assert review.latest_allowed_due_on == D(2028, 6, 15)


def test_the_latest_completed_review_sets_the_due_date(trust):
    completed(trust, D(2019, 5, 1))
    completed(trust, D(2022, 5, 1))
    DevelopmentalReviewFactory(trust=trust, started_on=D(2025, 1, 1), completed_on=None)
    assert review_cycle_for_trust(trust=trust).due_on == D(2025, 5, 1)


@pytest.mark.parametrize(
    ("completed_on", "agreed", "allowed"),
    [
        (D(2023, 6, 15), D(2028, 6, 15), True),  # exactly five years
        (D(2023, 6, 15), D(2028, 6, 16), False),  # a day over
        (D(2023, 6, 15), D(2026, 6, 14), True),  # earlier than three years is allowed
        (D(2023, 6, 15), D(2023, 6, 15), False),  # not after completion
        (D(2020, 2, 29), D(2025, 2, 28), True),  # five years from 29 Feb ends on the 28th
        (D(2020, 2, 29), D(2025, 3, 1), False),  # 1 March is past five years
    ],
)
def test_an_agreed_date_may_be_at_most_five_years_after_completion(
    trust, assessor, completed_on, agreed, allowed
):
    review = completed(trust, completed_on)
    if allowed:
        services.developmental_review_agree_due_date(review=review, actor=assessor, due_on=agreed)
        assert review_cycle_for_trust(trust=trust).due_on == agreed
        assert review_cycle_for_trust(trust=trust).agreed
        return
    with pytest.raises(ValidationError) as error:
        services.developmental_review_agree_due_date(review=review, actor=assessor, due_on=agreed)
    review.refresh_from_db()
    assert review.agreed_next_due_on is None
    if agreed > completed_on:
        latest = completed_on + relativedelta(years=5)
        assert error.value.message_dict["agreed_next_due_on"] == [
            services.DUE_TOO_LATE.format(latest=latest)
        ]


def test_the_page_refuses_a_date_over_five_years_with_the_latest_allowed(client, trust, assessor):
    review = completed(trust, D(2020, 2, 29))
    client.force_login(assessor)
    response = client.post(
        reverse("wellled:devreview_due_date", args=[review.pk]),
        {"agreed_next_due_on_0": 1, "agreed_next_due_on_1": 3, "agreed_next_due_on_2": 2025},
    )
    assert response.status_code == HTTPStatus.OK
    assert "the latest allowed date is 28 February 2025" in response.content.decode()


def test_only_nhs_improvement_agrees_a_date(trust, trust_user, cqc_user):
    review = completed(trust, D(2023, 6, 15))
    for user in (trust_user, cqc_user):
        with pytest.raises(PermissionDenied):
            services.developmental_review_agree_due_date(
                review=review, actor=user, due_on=D(2027, 1, 1)
            )


def test_overdue_only_after_the_due_date(trust):
    today = timezone.localdate()
    completed(trust, today + relativedelta(years=-3))  # due today: not yet overdue
    assert not review_cycle_for_trust(trust=trust).overdue
    DevelopmentalReview.objects.all().delete()
    completed(trust, today + relativedelta(years=-3) - datetime.timedelta(days=1))  # due yesterday
    cycle = review_cycle_for_trust(trust=trust)
    assert cycle.due_on < today
    assert cycle.overdue


def test_no_completed_review_means_no_due_date_and_no_flag(trust, assessor):
    assert review_cycle_for_trust(trust=trust).due_on is None
    assert not review_cycle_for_trust(trust=trust).overdue
    with pytest.raises(ValidationError, match="no completed developmental review"):
        services.review_explanation_record(
            trust=trust,
            actor=assessor,
            explanation="x",
            alternative_assurance="y",
            accepted_on=D(2026, 1, 1),
        )


def test_an_accepted_explanation_lifts_the_overdue_flag_for_that_due_date(
    client, trust, assessor, trust_user
):
    today = timezone.localdate()
    review = completed(trust, today + relativedelta(years=-4))
    assert review_cycle_for_trust(trust=trust).overdue
    client.force_login(assessor)
    response = client.post(
        reverse("wellled:explanation_create", args=[trust.ods_code]),
        {
            "explanation": "A merger is under way; the review follows it.",
            "alternative_assurance": "Quarterly governance review by the audit committee",
            "accepted_on_0": today.day,
            "accepted_on_1": today.month,
            "accepted_on_2": today.year,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    cycle = review_cycle_for_trust(trust=trust)
    assert not cycle.overdue
    assert cycle.explanation.accepted_by == assessor
    assert cycle.explanation.covers_due_on == review.completed_on + relativedelta(years=3)
    # The trust sees who accepted it and the alternative assurance.
    client.force_login(trust_user)
    page = client.get(reverse("wellled:trust_detail", args=[trust.ods_code])).content.decode()
    assert "Quarterly governance review by the audit committee" in page
    assert f"Accepted by {assessor}" in page
    # A new due date (agreed later) is not covered by the old explanation.
    services.developmental_review_agree_due_date(
        review=review,
        actor=assessor,
        due_on=review.completed_on + relativedelta(years=3, days=1),
    )
    assert review_cycle_for_trust(trust=trust).overdue


def test_only_nhs_improvement_accepts_an_explanation(trust, trust_user):
    completed(trust, D(2020, 1, 1))
    with pytest.raises(PermissionDenied, match=policies.NHSI_ONLY):
        services.review_explanation_record(
            trust=trust,
            actor=trust_user,
            explanation="x",
            alternative_assurance="y",
            accepted_on=D(2026, 1, 1),
        )


def test_recording_a_review_through_the_page(client, framework, kloes, trust, trust_user):
    client.force_login(trust_user)
    url = reverse("wellled:devreview_create", args=[trust.ods_code])
    form = client.get(url).content.decode()
    assert form.count('name="independence"') == len(DevelopmentalReview.Independence.choices)
    assert "---------" not in form
    empty = client.post(url, {})
    assert "Enter the lead facilitator" in empty.content.decode()
    data = {
        "facilitator_name": "Pat Reviewer",
        "facilitator_organisation": "Governance Partners",
        "peer_reviewers": "A Peer\nB Peer",
        "independence": "safeguard",
        "safeguard": "",
        "kloes": [kloes["culture"].pk, kloes["information"].pk],
        "started_on_0": 6,
        "started_on_1": 1,
        "started_on_2": 2025,
        "completed_on_0": 29,
        "completed_on_1": 2,
        "completed_on_2": 2024,
        "material_concerns": "True",
        "concerns_text": "",
        "rating_culture": "3",
        "rating_leadership_capacity": "2",
        # Each KLOE left out is explained (tests/wellled/test_review_scope_and_ratings.py).
        **{
            f"omitted_{code}": "Covered by the 2024 review."
            for code in kloes
            if code not in ("culture", "information")
        },
    }
    refused = client.post(url, data).content.decode()
    assert services.SAFEGUARD_REQUIRED in refused
    assert services.CONCERNS_REQUIRED in refused
    assert services.COMPLETED_BEFORE_START in refused
    assert "given for W1, which is not in the scope" in refused
    data |= {
        "safeguard": "A different partner led the review",
        "concerns_text": "Board assurance framework not used",
        "completed_on_1": 3,
        "completed_on_2": 2025,
        "rating_leadership_capacity": "",
        "letter_sent_on_0": 10,
        "letter_sent_on_1": 4,
        "letter_sent_on_2": 2025,
    }
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()
    review = DevelopmentalReview.objects.get()
    assert review.material_concerns
    assert review.peer_reviewer_list == ["A Peer", "B Peer"]
    assert {r.kloe.code: r.rating for r in review.ratings.all()} == {"culture": 3}
    assert review.next_due_on == D(2028, 3, 29)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "29 March 2028" in page
    assert "Board assurance framework not used" in page
