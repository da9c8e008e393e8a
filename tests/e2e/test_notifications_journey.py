"""In Chromium: the lead hands the assessment over from its page, lands on home with what
happened; the new lead sees the unread count, opens the notification (marked read) and reaches
the assessment. axe finds no WCAG A/AA fault on the new pages, at full width and at 320 px."""

import pytest
from playwright.sync_api import expect

from assessments.models import Status
from metrics.models import Role
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in
from tests.factories import AssessmentFactory, TrustFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_lead_hands_over_and_the_new_lead_is_told(page):
    trust = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust")
    lead = UserFactory(username="e2e-lead", full_name="Amara Okafor", role=Role.ASSESSOR)
    UserFactory(username="e2e-new", full_name="Tom Lindqvist", role=Role.ASSESSOR)
    assessment = AssessmentFactory(trust=trust, lead=lead, status=Status.EVIDENCE)

    sign_in(page, "e2e-lead")
    page.goto(assessment.get_absolute_url())
    page.get_by_role("link", name="Change the lead or the team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hand over the assessment or change its team"
    )
    assert axe_violations(page) == []
    page.get_by_label("Lead assessor").select_option(label="Tom Lindqvist")
    page.get_by_label("Reason for the change").fill("Amara is on leave until March.")
    page.get_by_role("button", name="Change the team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you need to do next")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The assessment is handed over"
    )
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "e2e-new")
    expect(page.locator("#unread-count")).to_have_text("1 unread")
    page.get_by_role("link", name="Notifications").click()
    expect(page.locator("#notifications")).to_contain_text("Amara is on leave until March.")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert _no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="Assessment team changed: Alpha Hospitals NHS Trust").click()
    expect(page).to_have_url(assessment.get_absolute_url())
    expect(page.locator("#unread-count")).to_have_count(0)
