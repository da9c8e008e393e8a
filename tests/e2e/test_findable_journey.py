"""Findable, in Chromium: the trust opens the draft and then the published report from its
home page; an anonymous visitor reaches the register from the sign-in page, opens a trust's
public page and its report; staff read the internal record. axe checks each new or changed
page, and none scrolls sideways at 320 CSS pixels (WCAG 1.4.10 Reflow)."""

import datetime
import hashlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import (
    AssessmentTransition,
    FactualAccuracyDeadline,
    KloeRating,
    PublishedRating,
    ReportVersion,
    Status,
)
from core.ratings import Rating
from metrics.models import Role
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in
from tests.factories import PDF_BYTES, AssessmentFactory, TrustFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 800}


def accessible(page) -> None:
    """No WCAG A/AA violation, at full width and at 320 px with no sideways scroll."""
    assert axe_violations(page) == [], page.url
    page.set_viewport_size(NARROW)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px"
    assert axe_violations(page) == [], f"{page.url} at 320px"
    page.set_viewport_size(WIDE)


def ready(assessment, kind: str, number: int) -> ReportVersion:
    return ReportVersion.objects.create(
        assessment=assessment,
        kind=kind,
        number=number,
        status="ready",
        pdf=PDF_BYTES,
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        # Publishing marks the final version it publishes (the one the public reads).
        published_at=timezone.now() if kind == "final" else None,
    )


@pytest.fixture
def shared():
    """A shared draft of Alpha's assessment, rated, with its deadline."""
    trust = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust", region="North")
    lead = UserFactory(username="e2e-lead", full_name="Ada Lovelace", role=Role.ASSESSOR)
    UserFactory(username="e2e-trust", role=Role.TRUST, trust=trust)
    assessment = AssessmentFactory(trust=trust, lead=lead, status=Status.FACTUAL_ACCURACY)
    for kloe in [*assessment.framework.kloes.all(), None]:
        KloeRating.objects.create(
            assessment=assessment, kloe=kloe, rating=2, rationale="Good.", updated_by=lead
        )
    FactualAccuracyDeadline.objects.create(
        assessment=assessment,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        reason="Ten working days from the day the draft was shared.",
        set_by=lead,
    )
    ready(assessment, "draft", 1)
    return assessment


def publish(assessment) -> None:
    ready(assessment, "final", 1)
    PublishedRating.objects.create(
        assessment=assessment,
        version=1,
        rating=Rating.GOOD,
        combined=Rating.REQUIRES_IMPROVEMENT,
        published_by=assessment.lead,
        published_at=timezone.now(),
    )
    assessment.status = Status.PUBLISHED
    assessment.save(update_fields=["status"])


def test_the_trust_opens_the_draft_then_the_published_report_from_home(page, shared):
    sign_in(page, "e2e-trust")
    expect(page.get_by_role("heading", level=1)).to_have_text("What you need to do next")
    accessible(page)
    with page.expect_download() as draft:
        page.get_by_role("link", name="Check the draft report").click()
    assert draft.value.suggested_filename == f"uor-{shared.pk}-draft-v1.pdf"

    publish(shared)
    page.goto("/")
    accessible(page)
    with page.expect_download() as final:
        page.get_by_role("link", name="Read your published Use of Resources report").click()
    assert final.value.suggested_filename == f"uor-{shared.pk}-final-v1.pdf"


def test_a_visitor_finds_the_register_a_trust_page_and_the_report(page, shared):
    publish(shared)
    page.goto("/accounts/login/")
    accessible(page)
    page.get_by_role("link", name="see published Use of Resources ratings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Published Use of Resources ratings")
    expect(page.locator("#register")).to_contain_text("Finance: Good")
    expect(page.locator("#register")).to_contain_text("Requires improvement")
    accessible(page)

    page.get_by_role("link", name="Alpha Hospitals NHS Trust", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Alpha Hospitals NHS Trust: Use of Resources"
    )
    accessible(page)
    with page.expect_download() as report:
        page.locator("#current-rating").get_by_role(
            "link", name="Download the published report"
        ).click()
    assert report.value.suggested_filename == f"uor-{shared.pk}-final-v1.pdf"

    # The footer links the register from every page.
    page.get_by_role("link", name="Published Use of Resources ratings").click()
    expect(page).to_have_url("/published-ratings/")


def test_staff_read_the_internal_record(page, shared):
    AssessmentTransition.objects.create(
        assessment=shared,
        action="return_to_team",
        from_status="qa_review",
        to_status="evidence",
        actor=shared.lead,
        note="The estates evidence is thin.",
        at=timezone.now(),
    )
    sign_in(page, "e2e-lead")
    page.goto(f"/assessments/{shared.pk}/reports/")
    page.get_by_role("link", name="Read the internal decision record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Internal decision record")
    expect(page.locator("#steps")).to_contain_text("The estates evidence is thin.")
    expect(page.locator("#steps")).to_contain_text("Ada Lovelace (e2e-lead)")
    accessible(page)
