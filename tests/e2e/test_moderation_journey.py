"""In Chromium: an assessor opens the trust's finance scores, sees a month "proposed, not yet
decided", opens it, is refused without a reason, sets another score with one and sees the
month labelled decided by NHS Improvement. A later load changes the proposal: the month is
flagged and listed to decide again. axe finds no WCAG A/AA fault on the pages, and the decide
page does not scroll sideways at 320 px."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from metrics.models import FinanceScore, MetricDefinition, MetricValue, Role
from metrics.services import finance_scores_refresh, metric_definitions_load
from metrics.services.moderation import REASON_REQUIRED
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in
from tests.factories import TrustFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MONTH = datetime.date(2024, 3, 1)
# Every metric scores 1 except agency spend (4): unmoderated 2, the rules propose 3.
VALUES = {
    "capital_service_capacity": 3.0,
    "liquidity_days": 5.0,
    "ie_margin": 2.0,
    "distance_from_plan": 0.5,
    "agency_spend_vs_cap": 60.0,
    "control_total_accepted": 1.0,
    "financial_special_measures": 0.0,
}


def _load(trust, **changes) -> None:
    """Store the month's SOF values and refresh, as a load of them does."""
    metric_definitions_load()
    by_code = {d.code: d for d in MetricDefinition.objects.all()}
    MetricValue.objects.filter(trust=trust, period=MONTH).delete()
    MetricValue.objects.bulk_create(
        MetricValue(trust=trust, metric=by_code[code], period=MONTH, value=value)
        for code, value in {**VALUES, **changes}.items()
    )
    finance_scores_refresh(periods=[MONTH])


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_assessor_decides_a_months_moderation(page):
    trust = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust")
    UserFactory(username="e2e-assessor", full_name="Priya Shah", role=Role.ASSESSOR)
    _load(trust)

    sign_in(page, "e2e-assessor")
    page.goto(trust.get_absolute_url())
    history = page.locator("table").filter(has_text="March 2024")
    expect(history).to_contain_text("Proposed, not yet decided")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Decide the moderation for March 2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Decide the moderation of the finance score, March 2024"
    )
    expect(page.locator("#proposal")).to_contain_text("3, because: scored 4 on agency_spend_vs_cap")
    assert axe_violations(page) == []

    page.get_by_label("Set another score").check()
    page.get_by_label("4 (worst)").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(REASON_REQUIRED)
    expect(page).to_have_title(re.compile(r"^Error: Decide the moderation, March 2024"))
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert _no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_label("Reason").fill("Cash support requested from the region.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The finance score of Alpha Hospitals NHS Trust for March 2024 is decided: 4."
    )
    expect(history).to_contain_text("Decided by NHS Improvement on")
    expect(history).to_contain_text("because “Cash support requested from the region.”")
    assert FinanceScore.objects.get(trust=trust, period=MONTH).moderated == 4

    # A later load: special measures, so the rules now propose 4. The decision stands, flagged.
    _load(trust, financial_special_measures=1.0)
    page.reload()
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "The proposal changed since NHS Improvement's decision for March 2024"
    )
    page.get_by_role("link", name="Moderation", exact=True).click()
    expect(page.locator("#to-decide")).to_contain_text("Proposal changed since the decision")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Alpha Hospitals NHS Trust, March 2024").click()
    expect(page.locator("#decision-history")).to_contain_text("Priya Shah")
    page.get_by_label("Confirm the proposal: finance score 4").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    expect(history).to_contain_text("the proposed 4 confirmed")
    assert page.console_errors == []
