"""NHS Improvement records a segment decision in headless Chromium: Table 2 beside each
segment, warnings that must be confirmed, and the decision in the history with its warnings
and the flags that stood that day (kept after the flags change); axe checks every page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metrics.models import FinanceScore, Role
from tests.e2e.conftest import axe_violations
from tests.e2e.test_reflow import MEASURE
from tests.e2e.test_sign_in import sign_in
from tests.e2e.test_wellled_journey import fill_date
from tests.factories import TrustFactory, UserFactory
from wellled.models import SegmentDecision
from wellled.services import segment_table_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def assert_reflows(page) -> None:
    """No sideways scroll at 320 px (WCAG 1.4.10), then back to the usual width."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate(MEASURE) is None, page.url
    page.set_viewport_size(size)


def test_nhsi_records_a_segment_decision_that_raises_warnings(page):
    segment_table_load()
    trust = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust")
    score = FinanceScore.objects.create(
        trust=trust, period=datetime.date(2026, 9, 1), overall=4, moderated=4
    )
    UserFactory(username="e2e-nhsi", role=Role.ASSESSOR)
    sign_in(page, "e2e-nhsi")
    page.goto("/well-led/trusts/RAA/")
    page.get_by_role("link", name="Record a segment decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a segment decision")
    expect(page.locator("#flags-now")).to_contain_text("Finance score 3 or 4")
    expect(page.get_by_text("The provider has significant support needs")).to_be_visible()
    accessible(page)

    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the segment")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the licence-breach status")
    accessible(page)

    page.locator("[name=segment][value='4']").check()
    page.locator("[name=support_offer][value=special_measures]").check()
    page.locator("[name=licence_breach][value=none]").check()
    page.locator("[name=special_measures][value=none]").check()
    page.get_by_label("Rationale").fill("Very serious finance issues; regional team to act")
    fill_date(page, "decided_on", timezone.localdate())
    page.get_by_role("button", name="Record the decision").click()
    warnings = page.locator("#segment-warnings")
    expect(warnings).to_contain_text("Segment 3 or 4 needs a breach")
    expect(warnings).to_contain_text("Segment 4 needs special measures")
    expect(warnings).to_contain_text("Source: NHS Oversight Framework 2019/20 annex 1, Table 2")
    assert not SegmentDecision.objects.exists()
    accessible(page)
    assert_reflows(page)

    page.get_by_label("I have read the warnings").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The segment decision is recorded"
    )
    decision = SegmentDecision.objects.get()
    card = page.locator(f"#segment-decision-{decision.pk}")
    expect(card).to_contain_text("Segment 4")
    expect(card).to_contain_text("No breach")
    expect(card).to_contain_text("Segment 4 needs special measures")
    expect(card).to_contain_text("Finance score 3 or 4")
    accessible(page)
    assert_reflows(page)

    # The score improves; the decision still shows the flag that stood when it was taken.
    score.overall = score.moderated = 1
    score.save()
    page.reload()
    expect(card).to_contain_text("Finance score 3 or 4")
    assert page.console_errors == []
