"""The well-led journey in headless Chromium: a trust user completes a board self-review and
signs it off, then records a developmental review with an action; axe checks every page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metrics.models import Role
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in
from tests.factories import (
    PDF_BYTES,
    PrioritySchemeFactory,
    TrustFactory,
    UserFactory,
    WellLedFrameworkFactory,
)
from wellled.models import Action, DevelopmentalReview, SelfReview

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KLOES = ["W1 Leadership", "W2 Culture"]


def accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def fill_date(page, name: str, day) -> None:
    page.locator(f"[name={name}_0]").fill(str(day.day))
    page.locator(f"[name={name}_1]").fill(str(day.month))
    page.locator(f"[name={name}_2]").fill(str(day.year))


def complete_self_review(page) -> None:
    page.goto("/well-led/trusts/RAA/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Hospitals NHS Trust")
    accessible(page)
    page.get_by_role("link", name="Start a self-review").click()
    accessible(page)
    page.get_by_role("button", name="Start the self-review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title")
    accessible(page)
    page.get_by_label("Title").fill("Board self-review 2026")
    page.get_by_role("button", name="Start the self-review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board self-review 2026")
    accessible(page)
    for number, title in enumerate(KLOES, start=1):
        page.get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        accessible(page)
        page.get_by_label(f"{number + 1}. ").check()
        page.get_by_label("Explanation of the self-rating").fill(f"Our view of {title}")
        page.get_by_label("How the board is assured").fill("Board minutes and audits")
        page.get_by_label("Principal actions").fill("Discuss with the reviewers")
        page.locator("[name=file]").set_input_files(
            {"name": f"evidence-{number}.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
        )
        page.get_by_role("button", name="Save as draft").click()
        expect(page.locator(".govuk-notification-banner--success").first).to_contain_text(
            "Your draft"
        )
        expect(page.get_by_role("link", name=f"evidence-{number}.pdf")).to_be_visible()
        accessible(page)
        page.get_by_role("link", name="Back to the self-review").click()
    page.get_by_role("link", name="Record the board's sign-off").click()
    accessible(page)
    fill_date(page, "signed_off_on", timezone.localdate())
    page.get_by_label("Signed off by").fill("Jo Chair, chair of the board")
    page.get_by_role("button", name="Sign off and lock the self-review").click()
    expect(page.locator("#review-status")).to_have_text("Signed off by the board")
    expect(page.locator("#signed-off")).to_contain_text("Jo Chair")
    accessible(page)
    # Read-only now: the KLOE page has no form.
    page.get_by_role("link", name=KLOES[0]).click()
    expect(page.locator("#entry")).to_contain_text("Our view of W1 Leadership")
    expect(page.get_by_role("button", name="Save as draft")).to_have_count(0)
    accessible(page)


def record_developmental_review(page) -> None:
    page.goto("/well-led/trusts/RAA/")
    page.get_by_role("link", name="Record a developmental review").click()
    accessible(page)
    page.get_by_role("button", name="Save the developmental review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the lead facilitator")
    accessible(page)
    page.get_by_label("Lead facilitator").fill("Pat Reviewer")
    page.get_by_label("Facilitator's organisation").fill("Governance Partners")
    page.get_by_label("Peer reviewers").fill("A Peer\nB Peer")
    page.locator("[name=independence][value=declared]").check()
    for title in KLOES:
        page.get_by_role("checkbox", name=title).check()
    fill_date(page, "started_on", timezone.localdate().replace(day=1))
    fill_date(page, "completed_on", timezone.localdate())
    page.get_by_label(f"Facilitator's rating of {KLOES[1]}").select_option("3")
    page.get_by_label("Findings").fill("Strong leadership; culture work needed")
    page.locator("[name=material_concerns][value=False]").check()
    page.get_by_role("button", name="Save the developmental review").click()
    expect(page.locator("#review")).to_contain_text("Pat Reviewer")
    expect(page.locator("#review-next-due")).to_contain_text("three years after completion")
    accessible(page)
    page.get_by_role("link", name="Add an action from this review").click()
    accessible(page)
    page.get_by_label("KLOE").select_option(label=KLOES[1])
    page.get_by_label("Action").fill("Launch a culture programme")
    page.get_by_label("Owner").fill("Director of workforce")
    fill_date(page, "due_on", timezone.localdate().replace(year=timezone.localdate().year + 1))
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("#action")).to_contain_text("Launch a culture programme")
    accessible(page)


def test_a_trust_completes_a_self_review_and_records_a_developmental_review(page):
    WellLedFrameworkFactory()
    PrioritySchemeFactory()
    trust = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust")
    UserFactory(username="e2e-trust", role=Role.TRUST, trust=trust)
    sign_in(page, "e2e-trust")
    complete_self_review(page)
    review = SelfReview.objects.get()
    assert review.status == SelfReview.Status.SIGNED_OFF
    assert review.attachments.count() == 2
    record_developmental_review(page)
    dev = DevelopmentalReview.objects.get()
    assert {r.rating for r in dev.ratings.all()} == {3}
    assert Action.objects.get().developmental_review == dev
    page.goto("/well-led/")
    accessible(page)
    assert page.console_errors == []


def test_nhsi_and_cqc_pages_are_accessible(page):
    import datetime

    from tests.factories import DevelopmentalReviewFactory

    WellLedFrameworkFactory()
    trust = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust")
    DevelopmentalReviewFactory(
        trust=trust,
        started_on=datetime.date(2020, 1, 6),
        completed_on=datetime.date(2020, 2, 29),
        material_concerns=True,
        concerns_text="Weak risk management",
    )
    UserFactory(username="e2e-assessor", role=Role.ASSESSOR)
    sign_in(page, "e2e-assessor")
    page.goto("/well-led/oversight/")
    expect(page.locator("#trust-RAA")).to_contain_text("Material governance concerns")
    expect(page.locator("#trust-RAA")).to_contain_text("Developmental review overdue")
    accessible(page)
    page.get_by_label("Flag").select_option("governance")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#oversight")).to_contain_text("Alpha Hospitals NHS Trust")
    accessible(page)
    page.get_by_role("link", name="Alpha Hospitals NHS Trust", exact=True).click()
    expect(page.locator("#next-due")).to_contain_text("28 February 2023")
    accessible(page)
    page.goto(DevelopmentalReview.objects.get().get_absolute_url())
    page.get_by_role("link", name="Agree the next review date").click()
    fill_date(page, "agreed_next_due_on", datetime.date(2025, 3, 1))
    page.get_by_role("button", name="Agree the due date").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("28 February 2025")
    accessible(page)
    page.goto("/well-led/trusts/RAA/segment/new/")
    accessible(page)
