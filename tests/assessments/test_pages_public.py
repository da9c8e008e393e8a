"""The public side: the register with KLOE ratings, the combined rating and the report; a
trust's public page; the published report (only the published final version, no sign-in);
the register linked from the sign-in page and the footer."""

import datetime
import hashlib
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import KloeRating, PublishedRating, ReportVersion, Status
from assessments.reports.selectors import published_report_get
from core.ratings import Rating
from tests.assessments.page_helpers import set_status
from tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db

FINAL_V2 = PDF_BYTES.replace(b"%%EOF", b"% the second final version\n%%EOF")


def version(assessment, kind, number, pdf=PDF_BYTES, status="ready", **fields):
    return ReportVersion.objects.create(
        assessment=assessment,
        kind=kind,
        number=number,
        status=status,
        pdf=pdf,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        **fields,
    )


@pytest.fixture
def published(assessment, people):
    """A published assessment: KLOE ratings (CQC agreed Finance lower), two final versions,
    a draft and an internal record, and its published rating with the combined rating."""
    finance, people_kloe = assessment.framework.kloes.order_by("number")
    for kloe, rating, agreed in ((finance, 2, 3), (people_kloe, 2, None), (None, 2, 3)):
        KloeRating.objects.create(
            assessment=assessment,
            kloe=kloe,
            rating=rating,
            agreed_rating=agreed,
            rationale="Because.",
            updated_by=people["lead"],
        )
    version(assessment, "draft", 1)
    # Version 1 was published, then superseded by version 2 after a review request.
    marked = timezone.now() - datetime.timedelta(days=2)
    version(assessment, "final", 1, published_at=marked, superseded_at=timezone.now())
    version(assessment, "final", 2, pdf=FINAL_V2, published_at=timezone.now())
    version(assessment, "record", 1)
    PublishedRating.objects.create(
        assessment=assessment,
        version=1,
        rating=Rating.REQUIRES_IMPROVEMENT,
        combined=Rating.GOOD,
        published_by=people["lead"],
        published_at=timezone.now() - datetime.timedelta(days=2),
    )
    return set_status(assessment, Status.PUBLISHED)


def report_url(assessment) -> str:
    return reverse(
        "assessments:published_report",
        kwargs={"ods_code": assessment.trust.ods_code, "pk": assessment.pk},
    )


def test_the_register_shows_kloe_ratings_the_combined_rating_and_links(published):
    page = Client().get(reverse("assessments:published_register")).content.decode()

    assert "Finance: Requires improvement" in page  # CQC's agreed rating
    assert "People: Good" in page
    assert "Combined quality and use of resources" in page
    assert reverse("assessments:published_trust", kwargs={"ods_code": "RAA"}) in page
    assert report_url(published) in page


def test_the_trust_public_page_shows_its_ratings_report_and_history(published, people):
    PublishedRating.objects.create(
        assessment=published,
        version=2,
        rating=Rating.GOOD,
        combined=Rating.GOOD,
        note="Changed after a review.",
        published_by=people["lead"],
        published_at=timezone.now(),
    )
    response = Client().get(reverse("assessments:published_trust", kwargs={"ods_code": "RAA"}))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Alpha Hospitals NHS Trust: Use of Resources" in page
    assert "Finance: Requires improvement" in page
    assert report_url(published) in page
    assert "version 2, after a review" in page
    assert "version 1" in page


def test_a_trust_with_no_published_rating_has_no_public_page(trust):
    response = Client().get(reverse("assessments:published_trust", kwargs={"ods_code": "RAA"}))
    assert response.status_code == HTTPStatus.NOT_FOUND
    response = Client().get(reverse("assessments:published_trust", kwargs={"ods_code": "NOPE"}))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_anyone_downloads_the_latest_final_version_without_signing_in(published):
    response = Client().get(report_url(published))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert response.content == FINAL_V2
    assert "final-v2" in response["Content-Disposition"]


def test_only_the_version_publishing_marked_is_served(published):
    """Not a later unmarked render, not the superseded one."""
    version(published, "final", 3, pdf=b"%PDF-1.7 unpublished")
    current = published.reports.get(kind="final", number=2)

    assert published_report_get(assessment=published) == current
    assert Client().get(report_url(published)).content == FINAL_V2
    ReportVersion.objects.filter(pk=current.pk).update(superseded_at=timezone.now())
    assert Client().get(report_url(published)).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("status", [Status.FACTUAL_ACCURACY, Status.CQC_REVIEW, Status.FINALISED])
def test_before_publication_the_report_is_not_public(published, status):
    set_status(published, status)
    assert Client().get(report_url(published)).status_code == HTTPStatus.NOT_FOUND


def test_no_ready_final_version_means_404_never_the_draft_or_record(published):
    ReportVersion.objects.filter(kind="final").update(status="failed")
    assert Client().get(report_url(published)).status_code == HTTPStatus.NOT_FOUND


def test_another_trusts_code_in_the_address_is_404(published, other_trust):
    url = reverse("assessments:published_report", kwargs={"ods_code": "RBB", "pk": published.pk})
    assert Client().get(url).status_code == HTTPStatus.NOT_FOUND


def test_the_register_is_linked_from_the_sign_in_page_and_the_footer():
    register = reverse("assessments:published_register")
    sign_in = Client().get(reverse("accounts:login")).content.decode()
    assert sign_in.count(f'href="{register}"') == 2  # the page's own link and the footer's
