"""Consistency checks through the pages: the lead reads the findings on the assessment and
the KLOE workspace, answers one, proposes; QA reads the answer on its ratify page and
confirms the findings left open. axe checks every page on the way."""

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment, KloeRating, Status
from metrics.models import Role
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in
from tests.factories import (
    AssessmentFactory,
    EvidenceFactory,
    TrustFactory,
    UserFactory,
    visit_held,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "The finance director walked us through the ledger offsite."


@pytest.fixture
def other_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def rated_assessment() -> Assessment:
    """Finance rests on the trust's submission alone; people is inadequate, overall good."""
    trust = TrustFactory(ods_code="RCC", name="Gamma Hospitals NHS Trust")
    lead = UserFactory(username="e2e-lead", full_name="Ada Lead", role=Role.ASSESSOR)
    UserFactory(username="e2e-qa", role=Role.QA)
    assessment = AssessmentFactory(trust=trust, lead=lead, status=Status.EVIDENCE)
    visit_held(assessment)
    kloes = {kloe.code: kloe for kloe in assessment.framework.kloes.all()}
    for code, source in (
        ("finance", "trust_submission"),
        ("people", "site_visit"),
        ("people", "trust_submission"),
    ):
        EvidenceFactory(assessment=assessment, kloe=kloes[code], source=source, text="Seen.")
    for code, rating in (("finance", 2), ("people", 4), (None, 2)):
        KloeRating.objects.create(
            assessment=assessment,
            kloe=kloes.get(code),
            rating=rating,
            rationale="Judged on the evidence.",
            updated_by=lead,
        )
    return assessment


def test_the_lead_answers_a_finding_and_qa_reads_the_answer(page, other_page):
    assessment = rated_assessment()
    sign_in(page, "e2e-lead")
    page.goto(assessment.get_absolute_url())
    expect(page.locator("#consistency-summary")).to_contain_text("3 findings, 3 not answered")
    page.get_by_role("link", name="See the consistency checks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consistency checks")
    accessible(page)

    card = page.locator(".govuk-summary-card", has_text="without evidence from the site visit")
    card.locator("summary").click()
    card.get_by_label("Acknowledge it, with the reason the rating stands").check()
    card.get_by_label("Reason", exact=True).fill(REASON)
    accessible(page)
    card.get_by_role("button", name="Save the answer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your answer to the finding is saved."
    )
    expect(page.locator("#checks-count")).to_have_text("3 findings, 2 not answered.")
    answered = page.locator(".govuk-summary-card", has_text="without evidence from the site visit")
    expect(answered.locator(".finding-answer")).to_contain_text("Acknowledged")
    expect(answered.locator(".finding-answer")).to_contain_text(REASON)

    # A missing reason is named on the field, and nothing is saved.
    single = page.locator(".govuk-summary-card", has_text="all comes from one source")
    single.locator("summary").click()
    single.get_by_label("Acknowledge it, with the reason the rating stands").check()
    single.get_by_role("button", name="Save the answer").click()
    expect(page.locator(".govuk-error-message").first).to_contain_text(
        "Give the reason for acknowledging the finding"
    )
    accessible(page)

    # The finance workspace shows its own findings with the answer, before proposing.
    page.goto(f"/assessments/{assessment.pk}/kloes/finance/")
    expect(page.locator("#checks-here")).to_contain_text(REASON)
    accessible(page)
    page.goto(assessment.get_absolute_url())
    page.get_by_role("button", name="Propose the rating for QA").click()
    expect(page.locator("#consistency-findings")).to_contain_text(REASON)
    accessible(page)
    page.locator("#confirm-action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()

    # QA reads the answer on its ratify page and confirms the two findings left open.
    sign_in(other_page, "e2e-qa")
    other_page.goto(assessment.get_absolute_url())
    other_page.get_by_role("button", name="Ratify the rating").click()
    expect(other_page.locator("#consistency-findings")).to_contain_text(REASON)
    expect(other_page.locator("#consistency-findings")).to_contain_text("Not answered")
    accessible(other_page)
    other_page.locator("#confirm-action").click()
    expect(other_page.locator(".govuk-error-summary")).to_contain_text(
        "2 consistency finding(s) are not answered"
    )
    accessible(other_page)
    other_page.get_by_label("I have read the 2 consistency finding(s)").check()
    other_page.locator("#confirm-action").click()
    expect(other_page.locator("#assessment-status")).to_have_text("Draft report")
