"""Sign in through the page in headless Chromium and land on the role's home page."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from metrics.models import Role
from tests.e2e.conftest import axe_violations
from tests.factories import TEST_PASSWORD, TrustFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_assessor_signs_in_and_sees_what_to_do_next(page):
    UserFactory(username="e2e-assessor", role=Role.ASSESSOR)
    sign_in(page, "e2e-assessor")
    expect(page.get_by_role("heading", level=1)).to_have_text("What you need to do next")
    expect(page.locator("#tasks")).to_contain_text("Schedule an assessment")
    # GOV.UK Frontend's JavaScript loaded from our static files under the CSP.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    assert page.console_errors == []
    assert axe_violations(page) == []


def test_trust_user_signs_in_and_sees_only_their_trust(page):
    trust = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust")
    other = TrustFactory(ods_code="RBB", name="Beta Hospitals NHS Trust")
    UserFactory(username="e2e-trust", role=Role.TRUST, trust=trust)
    sign_in(page, "e2e-trust")
    expect(page.locator("#tasks")).to_contain_text("Check Alpha Hospitals NHS Trust's details")
    page.get_by_role("link", name="Your trust").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Hospitals NHS Trust")
    assert axe_violations(page) == []
    response = page.goto(other.get_absolute_url())
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_sign_in_page_shows_errors_accessibly(page):
    page.goto("/accounts/login/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    assert axe_violations(page) == []


def test_axe_check_does_find_a_violation(page):
    """Guard the guard: the accessibility check reports a real fault when there is one."""
    page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    found = axe_violations(page)
    assert any(line.startswith("image-alt") for line in found)


def test_trust_user_sets_up_a_second_factor_before_anything_else(page, settings):
    """With second factors on, a trust user is taken to enrolment, then on to their page."""
    settings.UOR_TWO_FACTOR = True
    trust = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust")
    UserFactory(username="e2e-enrol", role=Role.TRUST, trust=trust)
    sign_in(page, "e2e-enrol")
    expect(page).to_have_url("/accounts/two-factor/enrol/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    assert axe_violations(page) == []
    page.goto("/")  # nothing else opens yet
    expect(page).to_have_url("/accounts/two-factor/enrol/")

    secret = page.locator("#totp-secret").inner_text()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Security code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirm authenticator").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url("/")
    expect(page.locator("#tasks")).to_contain_text("Check Alpha Hospitals NHS Trust's details")
