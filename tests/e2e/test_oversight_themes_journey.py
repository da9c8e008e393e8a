"""The oversight themes journey in headless Chromium: NHS Improvement records another
material concern about a trust, sees it as a flag of its theme in the oversight view,
filters the view by theme, then closes the concern; axe checks every page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metrics.models import Role
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in
from tests.factories import DevelopmentalReviewFactory, TrustFactory, UserFactory
from wellled.models import OversightConcern

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def fill_date(page, name: str, day) -> None:
    page.locator(f"[name={name}_0]").fill(str(day.day))
    page.locator(f"[name={name}_1]").fill(str(day.month))
    page.locator(f"[name={name}_2]").fill(str(day.year))


def test_nhsi_records_a_concern_sees_it_in_its_theme_and_filters_by_theme(page):
    today = timezone.localdate()
    alpha = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust", system="North ICS")
    beta = TrustFactory(ods_code="RBB", name="Beta Hospitals NHS Trust")
    for trust in (alpha, beta):
        DevelopmentalReviewFactory(trust=trust, completed_on=today)
    UserFactory(username="e2e-assessor", role=Role.ASSESSOR)
    sign_in(page, "e2e-assessor")

    page.goto("/well-led/oversight/")
    expect(page.locator("#trust-RAA [data-theme-cell=strategic]")).to_contain_text("North ICS")
    expect(page.locator("#trust-RAA [data-theme-cell=strategic]")).to_contain_text("No trigger")
    accessible(page)
    concerns = "Warning notices and concerns of Alpha Hospitals NHS Trust"
    page.get_by_role("link", name=concerns).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warning notices and concerns")
    accessible(page)
    page.get_by_role("button", name="Record it").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
    accessible(page)
    page.get_by_label("Other material concern").check()
    page.get_by_label("Theme").select_option(label="Strategic change")
    page.get_by_label("Reason").fill("Withdrew from the ICS's shared clinical strategy")
    fill_date(page, "raised_on", today)
    page.get_by_role("button", name="Record it").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("It is recorded")
    expect(page.locator("#open-concerns")).to_contain_text("Withdrew from the ICS")
    accessible(page)

    page.get_by_role("link", name="Back to oversight").click()
    cell = page.locator("#trust-RAA [data-theme-cell=strategic]")
    expect(cell.locator("[data-flag=concern_strategic]")).to_have_text("Other material concern")
    expect(cell).to_contain_text("Withdrew from the ICS")
    page.get_by_label("Theme").select_option(label="Strategic change")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#oversight")).to_contain_text("Alpha Hospitals NHS Trust")
    expect(page.locator("#oversight")).not_to_contain_text("Beta Hospitals NHS Trust")
    expect(page.locator("#oversight caption")).to_contain_text("1 trust")
    accessible(page)

    page.goto("/well-led/trusts/RAA/oversight-concerns/")
    page.get_by_role("link", name="Close").click()
    accessible(page)
    page.get_by_label("Why it is closed").fill("Rejoined the strategy")
    fill_date(page, "closed_on", today)
    page.get_by_role("button", name="Close it").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("It is closed")
    expect(page.locator("#closed-concerns")).to_contain_text("Rejoined the strategy")
    accessible(page)
    assert OversightConcern.objects.get().closed_on == today
    page.goto("/well-led/oversight/?theme=strategic")
    expect(page.locator("#oversight caption")).to_contain_text("0 trusts")
    assert page.console_errors == []
