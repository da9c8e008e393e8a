"""In Chromium: a QA committee member opens the calibration view from the menu, sees the
highlighted pair, narrows the view to one KLOE and a region with the filters, and the page
stays free of WCAG A/AA faults at full width and without sideways scroll at 320 px."""

import pytest
from playwright.sync_api import expect

from metrics.models import Role
from tests.assessments.calibration_data import ratified
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in
from tests.factories import TrustFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_qa_finds_the_pair_and_filters_the_view(page):
    alpha = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust", region="London")
    beta = TrustFactory(ods_code="RBB", name="Beta Hospitals NHS Trust", region="North")
    ratified(alpha, finance=1, quartiles={"cal_margin": 2}, finance_score=2)
    ratified(beta, finance=3, quartiles={"cal_margin": 3}, finance_score=3)
    UserFactory(username="e2e-qa", role=Role.QA)

    sign_in(page, "e2e-qa")
    page.get_by_role("link", name="Calibration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calibration of ratified ratings")
    expect(page.locator("#pairs-heading")).to_have_text("Pairs to look at again: 1")
    pair = page.locator('[data-pair="finance RAA RBB"]')
    expect(pair).to_contain_text("Alpha Hospitals NHS Trust: Outstanding")
    expect(pair).to_contain_text("Beta Hospitals NHS Trust: Requires improvement")
    expect(pair).to_contain_text("Margin: 2 and 3")
    expect(page.locator("#calibration tbody tr")).to_have_count(2)
    assert page.console_errors == []
    assert axe_violations(page) == []

    page.get_by_label("Key line of enquiry").select_option(label="People")
    page.get_by_label("Region").select_option("North")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#pairs-heading")).to_have_text("Pairs to look at again: 0")
    rows = page.locator("#calibration tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Beta Hospitals NHS Trust")
    headers = page.locator("#calibration").get_by_role("columnheader")
    expect(headers.filter(has_text="People")).to_have_count(1)
    expect(
        page.locator("#calibration").get_by_role("columnheader", name="Finance", exact=True)
    ).to_have_count(0)
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert _no_sideways_scroll(page)
