"""A trust user never reaches another trust's well-led records, by page or by API: 404."""

import hashlib
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import (
    DevelopmentalReviewFactory,
    SelfReviewAttachmentFactory,
    SelfReviewFactory,
    WellLedActionFactory,
)
from wellled.models import SelfReviewReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(trust):
    review = SelfReviewFactory(trust=trust)
    dev_review = DevelopmentalReviewFactory(trust=trust)
    report = SelfReviewReport.objects.create(
        review=review,
        number=1,
        status="ready",
        pdf=b"%PDF",
        size=4,
        sha256=hashlib.sha256(b"%PDF").hexdigest(),
    )
    return {
        "review": review,
        "attachment": SelfReviewAttachmentFactory(review=review),
        "report": report,
        "dev_review": dev_review,
        "action": WellLedActionFactory(developmental_review=dev_review),
    }


def page_urls(records, trust):
    review, dev = records["review"], records["dev_review"]
    return [
        reverse("wellled:trust_detail", args=[trust.ods_code]),
        reverse("wellled:selfreview_detail", args=[review.pk]),
        reverse("wellled:selfreview_entry", args=[review.pk, "culture"]),
        reverse("wellled:selfreview_reports", args=[review.pk]),
        reverse("wellled:selfreview_report_download", args=[review.pk, records["report"].pk]),
        reverse("wellled:selfreview_attachment", args=[review.pk, records["attachment"].pk]),
        reverse("wellled:devreview_detail", args=[dev.pk]),
        reverse("wellled:devreview_edit", args=[dev.pk]),
        reverse("wellled:action_detail", args=[records["action"].pk]),
        reverse("wellled:action_create", args=[trust.ods_code]),
    ]


def api_urls(records):
    return [
        f"/api/v1/wellled/self-reviews/{records['review'].pk}/",
        f"/api/v1/wellled/developmental-reviews/{records['dev_review'].pk}/",
        f"/api/v1/wellled/actions/{records['action'].pk}/",
    ]


def test_pages_answer_404_to_another_trust(client, records, trust, other_trust_user):
    client.force_login(other_trust_user)
    for url in page_urls(records, trust):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
        assert client.post(url, {}).status_code == HTTPStatus.NOT_FOUND, url


def test_the_api_answers_404_and_lists_only_the_own_trust(client, records, other_trust_user):
    client.force_login(other_trust_user)
    for url in api_urls(records):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    entry = f"/api/v1/wellled/self-reviews/{records['review'].pk}/entry/"
    assert client.post(entry, {}).status_code == HTTPStatus.NOT_FOUND
    for name in ("self-reviews", "developmental-reviews", "actions", "cqc-ratings"):
        assert client.get(f"/api/v1/wellled/{name}/").json()["results"] == [], name


def test_the_own_trust_and_staff_reach_them(client, records, trust, trust_user, cqc_user):
    for user in (trust_user, cqc_user):
        client.force_login(user)
        for url in [*page_urls(records, trust)[:7], *api_urls(records)]:
            assert client.get(url).status_code == HTTPStatus.OK, (user, url)
