"""Pages after the draft: raising and answering challenges, the deadline, the discussion,
agreed and quality ratings, the register (filters, CSV) and the finance score beside it."""

import csv
import datetime
import io
from html import escape
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import deadlines, refusals
from assessments.cqc_review import selectors as cqc_selectors
from assessments.cqc_review import services as cqc_services
from assessments.factual_accuracy import services as fa_services
from assessments.home import home_tasks_for
from assessments.models import (
    Challenge,
    DiscussionMessage,
    KloeRating,
    PublishedRating,
    Status,
)
from assessments.workflow import CQC_REASONS_MISSING
from core.ratings import Rating
from metrics.models import FinanceScore, Role
from tests.assessments.page_helpers import CHALLENGE, set_status, signed_in, upload, url
from tests.factories import PDF_BYTES, AssessmentFactory, TrustFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_trust_raises_a_challenge_with_a_file(shared, people):
    client = signed_in(people["trust"])
    response = client.post(
        url("challenge_create", shared), {**CHALLENGE, "file": upload("ledger.pdf", PDF_BYTES)}
    )
    assert response.status_code == HTTPStatus.FOUND
    challenge = Challenge.objects.get()
    assert (challenge.number, challenge.raised_by) == (1, people["trust"])
    assert challenge.attachments.get().original_name == "ledger.pdf"
    page = client.get(url("challenge_list", shared)).content.decode()
    assert "Agency spend is 2%" in page
    assert "Not answered yet" in page
    attachment = challenge.attachments.get()
    download = url("attachment_download", shared, attachment_pk=attachment.pk)
    assert client.get(download).status_code == HTTPStatus.OK
    assert signed_in(people["lead"]).get(download).status_code == HTTPStatus.OK
    assert signed_in(people["other_trust"]).get(download).status_code == HTTPStatus.NOT_FOUND


def test_a_challenge_to_the_rating_is_refused_on_the_page_with_why(shared, people):
    response = signed_in(people["trust"]).post(
        url("challenge_create", shared), {**CHALLENGE, "about_rating": "on"}
    )
    assert response.status_code == HTTPStatus.OK
    assert escape(fa_services.CHALLENGE_TO_RATING) in response.content.decode()
    assert not Challenge.objects.exists()


def test_after_the_deadline_the_page_says_so_and_refuses(shared, people):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    shared.fa_deadlines.update(deadline=yesterday)
    client = signed_in(people["trust"])
    page = client.get(url("challenge_list", shared)).content.decode()
    assert escape(refusals.CHALLENGES_CLOSED.format(deadline=yesterday)) in page
    assert "Raise a challenge" not in page
    assert client.post(url("challenge_create", shared), CHALLENGE).status_code == 403


def test_the_lead_extends_the_deadline_with_a_reason(shared, people):
    new = timezone.localdate() + datetime.timedelta(days=20)
    response = signed_in(people["lead"]).post(
        url("fa_deadline_edit", shared),
        {
            "deadline_0": new.day,
            "deadline_1": new.month,
            "deadline_2": new.year,
            "reason": "Board meeting moved",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert deadlines.fa_deadline_current(shared).reason == "Board meeting moved"


def test_answer_then_independent_sign_off_before_the_trust_reads_it(shared, people):
    challenge = fa_services.challenge_raise(assessment=shared, actor=people["trust"], **CHALLENGE)
    response = signed_in(people["member"]).post(
        url("challenge_answer", shared, challenge_pk=challenge.pk),
        {"outcome": "accepted", "response": "We have corrected the figure."},
    )
    assert response.status_code == HTTPStatus.FOUND
    trust = signed_in(people["trust"])
    assert (
        "We have corrected the figure."
        not in trust.get(url("challenge_list", shared)).content.decode()
    )
    assert any("sign off" in task.title for task in home_tasks_for(user=people["qa"]))
    signed = signed_in(people["qa"]).post(
        url("challenge_sign_off", shared, challenge_pk=challenge.pk)
    )
    assert signed.status_code == HTTPStatus.FOUND
    assert (
        "We have corrected the figure." in trust.get(url("challenge_list", shared)).content.decode()
    )


def test_cqc_sees_the_shared_draft_for_information(shared, people):
    cqc = UserFactory(username="cqc", role=Role.CQC)
    assert signed_in(cqc).get(shared.get_absolute_url()).status_code == HTTPStatus.OK
    assert signed_in(cqc).get(url("report_list", shared)).status_code == HTTPStatus.OK


def test_dispute_discussion_and_agreed_rating_pages(assessment, people):
    cqc = UserFactory(username="cqc", role=Role.CQC)
    for kloe in [*assessment.framework.kloes.all(), None]:
        KloeRating.objects.create(
            assessment=assessment, kloe=kloe, rating=2, rationale="x", updated_by=people["lead"]
        )
    set_status(assessment, Status.DISPUTE)
    client = signed_in(cqc)
    assert client.post(url("discussion", assessment), {"text": "Why good?"}).status_code == 302
    assert DiscussionMessage.objects.get().author == cqc
    assert signed_in(people["trust"]).get(url("discussion", assessment)).status_code == 403
    agreed = {
        "rating_finance": 3,
        "rating_people": 2,
        "rating_overall": 3,
        "note": "Agreed after talks",
    }
    refused = client.post(url("agree_rating", assessment), agreed)
    assert (
        escape(CQC_REASONS_MISSING.format(kloes="Finance, the overall rating"))
        in refused.content.decode()
    )
    reasons = {"reasons_finance": "Cash is short", "reasons_overall": "Finance weighs"}
    # The valid form shows its check page first; nothing is recorded until CQC confirms.
    check = client.post(url("agree_rating", assessment), {**agreed, **reasons})
    assert check.status_code == HTTPStatus.OK
    assert "revises the rationale of each rating CQC changed" in check.content.decode()
    assert "You cannot change the agreed ratings after recording them." in (check.content.decode())
    assessment.refresh_from_db()
    assert assessment.status == Status.DISPUTE
    assert not KloeRating.objects.filter(assessment=assessment, agreed_rating__isnull=False)
    response = client.post(
        url("agree_rating", assessment), {**agreed, **reasons, "confirmed": "yes"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assessment.refresh_from_db()
    assert assessment.status == Status.REVISION
    assert cqc_selectors.uor_rating(assessment) == Rating.REQUIRES_IMPROVEMENT
    # The lead sees CQC's reasons beside the rationale and revises it.
    lead = signed_in(people["lead"])
    page = lead.get(url("rationale_revision", assessment)).content.decode()
    assert "Cash is short" in page
    revised = lead.post(
        url("rationale_revision", assessment), {"kloe": "finance", "rationale": "Cash is short."}
    )
    assert revised.status_code == HTTPStatus.FOUND
    assert KloeRating.objects.get(assessment=assessment, kloe__code="finance").rationale == (
        "Cash is short."
    )


def test_quality_ratings_propose_the_combined_rating_and_an_override_needs_a_reason(
    assessment, people
):
    cqc = UserFactory(username="cqc", role=Role.CQC)
    KloeRating.objects.create(
        assessment=assessment, kloe=None, rating=2, rationale="x", updated_by=people["lead"]
    )
    set_status(assessment, Status.CQC_REVIEW)
    # One date for all six ratings (not the same date typed six times).
    data = {"rated_on_0": 1, "rated_on_1": 5, "rated_on_2": 2026}
    data |= dict.fromkeys(cqc_services.QUALITY_FIELDS, 2)
    client = signed_in(cqc)
    form = client.get(url("quality_ratings", assessment)).content.decode()
    assert form.count('name="rated_on_0"') == 1
    assert "safe_date" not in form
    refused = client.post(url("quality_ratings", assessment), {**data, "combined": 1})
    assert escape(cqc_services.OVERRIDE_REASON_REQUIRED) in refused.content.decode()
    saved = client.post(url("quality_ratings", assessment), data)
    assert saved.status_code == HTTPStatus.FOUND
    record = assessment.quality_ratings
    dates = {getattr(record, f"{name}_date") for name in cqc_services.QUALITY_FIELDS}
    assert dates == {datetime.date(2026, 5, 1)}
    page = client.get(url("quality_ratings", assessment)).content.decode()
    assert cqc_services.PRINCIPLE_GOOD in page


def publish(trust, rating, region, when, lead):
    assessment = AssessmentFactory(trust=trust, lead=lead, status=Status.PUBLISHED)
    return PublishedRating.objects.create(
        assessment=assessment, version=1, rating=rating, published_by=lead, published_at=when
    )


def test_the_register_is_public_filterable_sortable_and_downloads_as_csv(people):
    now = timezone.now()
    north = TrustFactory(ods_code="RN1", name="North Trust", region="North")
    south = TrustFactory(ods_code="RS1", name="South Trust", region="South")
    publish(north, Rating.GOOD, "North", now, people["lead"])
    publish(south, Rating.OUTSTANDING, "South", now, people["lead"])
    anonymous = Client()
    page = anonymous.get(reverse("assessments:published_register"))
    assert page.status_code == HTTPStatus.OK
    assert "North Trust" in page.content.decode()
    assert "South Trust" in page.content.decode()
    filtered = anonymous.get(reverse("assessments:published_register"), {"region": "South"})
    assert "North Trust" not in filtered.content.decode()
    exported = anonymous.get(
        reverse("assessments:published_register"), {"sort": "rating", "format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert [(r["ods_code"], r["uor_rating"]) for r in rows] == [
        ("RS1", "Outstanding"),
        ("RN1", "Good"),
    ]


def test_the_finance_score_and_uor_rating_are_shown_side_by_side(trust, people):
    FinanceScore.objects.create(trust=trust, period=datetime.date(2026, 9, 1), moderated=3)
    publish(trust, Rating.GOOD, trust.region, timezone.now(), people["lead"])
    page = signed_in(people["trust"]).get(
        reverse("assessments:trust_use_of_resources", kwargs={"ods_code": trust.ods_code})
    )
    text = page.content.decode()
    assert 'id="finance-scores"' in text
    assert 'id="uor-rating"' in text
    assert "never combined" in text
