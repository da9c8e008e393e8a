"""Steps 3 to 6 of the assessment through the pages, as an assessor and a trust user.

The assessor schedules the visit and edits the agenda; the trust writes commentary on each
KLOE (with a file) and submits it; the lead records that the site visit was held (ratings wait
for it); the assessor records evidence, withdraws a finding recorded by mistake, proposes a
rating for every KLOE and overall, and sends the rating to QA; QA returns it, then ratifies it;
the lead shares the draft. Each step passes its check page. axe checks every page on the way.
"""

import datetime
import hashlib
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import (
    Assessment,
    Commentary,
    Evidence,
    KloeRating,
    ReportVersion,
    Status,
)
from metrics.models import Role
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in
from tests.factories import PDF_BYTES, FrameworkFactory, TrustFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KLOES = [("finance", "1. Finance"), ("people", "2. People")]


@pytest.fixture
def trust_page(browser, live_server):
    """A second browser, for the trust user, beside the assessor's `page`."""
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def confirm(page, action: str, final: str, note: str = "") -> None:
    """Open the action's check page from the assessment page, check it, then confirm."""
    page.get_by_role("button", name=action).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check before you")
    expect(page.locator("#check-summary")).to_be_visible()
    if final:
        expect(page.locator("#check-final")).to_contain_text(final)
    accessible(page)
    if note:
        page.locator("[name=note]").fill(note)
    if page.locator("[name=findings_confirmed]").count():  # QA read the open findings
        page.locator("[name=findings_confirmed]").check()
    page.locator("#confirm-action").click()


def schedule(page, trust) -> Assessment:
    page.goto("/assessments/new/")
    accessible(page)
    page.get_by_label("Trust").select_option(value=str(trust.pk))
    visit = timezone.localdate() + datetime.timedelta(days=45)
    page.locator("[name=site_visit_date_0]").fill(str(visit.day))
    page.locator("[name=site_visit_date_1]").fill(str(visit.month))
    page.locator("[name=site_visit_date_2]").fill(str(visit.year))
    page.get_by_role("button", name="Schedule the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Hospitals NHS Trust")
    expect(page.locator("#assessment-status")).to_have_text("Scheduled")
    accessible(page)
    return Assessment.objects.get()


def edit_agenda(page) -> None:
    page.get_by_role("link", name="Change the agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Site-visit agenda")
    accessible(page)
    page.get_by_label("Session 1 title").fill("Welcome and introductions")
    page.get_by_role("button", name="Save the agenda").click()
    expect(page.locator("#agenda")).to_contain_text("Welcome and introductions")


def write_commentary(page, assessment) -> None:
    page.goto(assessment.get_absolute_url())
    for code, title in KLOES:
        page.get_by_role("link", name=re.compile(f"^{re.escape(title)}")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        accessible(page)
        page.get_by_label("Your commentary").fill(f"How we manage {code}: well, with a plan.")
        page.locator("[name=file]").set_input_files(
            {"name": f"{code}-data.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
        )
        page.get_by_role("button", name="Save as draft").click()
        expect(page.locator(".govuk-notification-banner--success").first).to_contain_text(
            "Your draft commentary"
        )
        expect(page.get_by_role("link", name=f"{code}-data.pdf")).to_be_visible()
        accessible(page)
        page.get_by_role("link", name="Back to the assessment").click()
    confirm(page, "Submit commentary", "You cannot change your commentary")
    expect(page.locator("#assessment-status")).to_have_text("Gathering evidence")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your commentary is submitted. The assessment team has been told."
    )
    accessible(page)


def move_the_site_visit(page, assessment) -> None:
    """Ratings wait for the site visit: the workspace says so until the lead records that the
    visit was held today."""
    page.goto(assessment.get_absolute_url())
    page.get_by_role("link", name=KLOES[0][1], exact=True).click()
    expect(page.locator("#rating-wait")).to_contain_text("from the day of the site visit")
    page.goto(assessment.get_absolute_url())
    page.get_by_role("link", name="Change the site-visit date").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move the site visit")
    accessible(page)
    page.get_by_role("button", name="Move the site visit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")
    accessible(page)
    today = timezone.localdate()
    page.locator("[name=site_visit_date_0]").fill(str(today.day))
    page.locator("[name=site_visit_date_1]").fill(str(today.month))
    page.locator("[name=site_visit_date_2]").fill(str(today.year))
    page.get_by_label("Why the site visit moves").fill("The trust asked for an earlier day.")
    page.get_by_role("button", name="Move the site visit").click()
    expect(page.locator("#transitions")).to_contain_text("The trust asked for an earlier day.")
    accessible(page)


def withdraw_a_finding(page, code: str) -> None:
    """A finding recorded by mistake is withdrawn with a reason and leaves the list."""
    page.get_by_role("link", name="Add evidence").click()
    page.get_by_label("Local intelligence").check()
    page.get_by_label("Context", exact=True).check()
    page.get_by_label("Evidence", exact=True).fill(f"Recorded against {code} by mistake.")
    page.get_by_role("button", name="Save the evidence").click()
    page.get_by_role("link", name=f"Recorded against {code} by mistake.").click()
    page.get_by_role("link", name="Withdraw this evidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw this evidence")
    accessible(page)
    page.get_by_label("Why is this evidence withdrawn?").fill("It belongs to another trust.")
    page.get_by_role("button", name="Withdraw the evidence").click()
    expect(page.locator("#evidence")).not_to_contain_text("by mistake")
    expect(page.locator("#withdrawn-evidence")).to_contain_text("Withdrawn evidence (1)")
    accessible(page)


def gather_and_rate(page, assessment) -> None:
    move_the_site_visit(page, assessment)
    page.goto(assessment.get_absolute_url())
    for level, (code, title) in enumerate(KLOES, start=2):
        page.get_by_role("link", name=title, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title.split(". ")[1])
        expect(page.locator("#commentary")).to_contain_text(f"How we manage {code}")
        accessible(page)

        page.get_by_role("link", name="Add evidence").click()
        accessible(page)
        page.get_by_label("Prompt (optional)").select_option(index=1)
        page.get_by_label("Site-visit interview").check()
        page.get_by_label("Negative", exact=True).check()
        page.get_by_label("Evidence", exact=True).fill(f"Interviews on {code} found gaps.")
        page.get_by_role("button", name="Save the evidence").click()
        expect(page.locator("#evidence")).to_contain_text(f"Interviews on {code} found gaps.")

        page.get_by_role("link", name=f"Interviews on {code} found gaps.").click()
        expect(page.locator("#evidence-saved")).to_contain_text("Site-visit interview")
        accessible(page)
        page.get_by_role("link", name=f"Back to {title.split('. ')[1]}").click()
        if level == 2:
            withdraw_a_finding(page, code)

        rating_label = {2: "2: Good", 3: "3: Requires improvement"}[level]
        page.get_by_label(rating_label).check()
        page.get_by_label("Rationale").fill(f"The evidence on {code} supports this rating.")
        statement = f"{title.split('. ')[1]} statement at level {level}"
        page.get_by_label(re.compile(re.escape(statement))).check()
        page.get_by_role("button", name="Save the rating").click()
        expect(page.locator("#rating-saved")).to_contain_text(rating_label)
        accessible(page)
        page.get_by_role("link", name="Back to the assessment").click()

    page.get_by_role("link", name="Overall rating").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overall rating")
    accessible(page)
    page.get_by_label("3: Requires improvement").check()
    page.get_by_label("Rationale").fill("People is rated lower; overall it requires improvement.")
    page.get_by_role("button", name="Save the rating").click()
    expect(page.locator("#rating-saved")).to_contain_text("3: Requires improvement")
    accessible(page)
    page.get_by_role("link", name="Back to the assessment").click()

    confirm(page, "Propose the rating for QA", "cannot change the evidence or ratings")
    expect(page.locator("#assessment-status")).to_have_text("QA review")
    accessible(page)


def test_schedule_comment_gather_evidence_and_propose_the_rating(page, trust_page):
    FrameworkFactory()
    trust = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust")
    UserFactory(username="e2e-lead", role=Role.ASSESSOR)
    UserFactory(username="e2e-trust", role=Role.TRUST, trust=trust)
    UserFactory(username="e2e-qa", role=Role.QA)

    sign_in(page, "e2e-lead")
    assessment = schedule(page, trust)
    edit_agenda(page)

    sign_in(trust_page, "e2e-trust")
    write_commentary(trust_page, assessment)
    assert Commentary.objects.filter(assessment=assessment).count() == len(KLOES)

    gather_and_rate(page, assessment)
    assessment.refresh_from_db()
    assert assessment.status == Status.QA_REVIEW
    assert Evidence.objects.current().filter(assessment=assessment).count() == len(KLOES)
    assert Evidence.objects.filter(assessment=assessment).exclude(withdrawn_at=None).count() == 1
    assert KloeRating.objects.filter(assessment=assessment).count() == len(KLOES) + 1

    # QA returns it: QA no longer sees the assessment, so lands on its own home, told so.
    trust_page.context.clear_cookies()
    sign_in(trust_page, "e2e-qa")
    trust_page.goto(assessment.get_absolute_url())
    confirm(trust_page, "Return to the assessors", "", note="Finance needs a second source.")
    expect(trust_page.get_by_role("heading", level=1)).to_have_text("What you need to do next")
    expect(trust_page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Returned to the assessors with your note. The assessment team has been told."
    )
    accessible(trust_page)

    # The lead reads QA's note in words, proposes again; QA ratifies.
    page.goto(assessment.get_absolute_url())
    expect(page.locator("#transitions")).to_contain_text("returned it to the assessors")
    expect(page.locator("#transitions")).to_contain_text("Finance needs a second source.")
    confirm(page, "Propose the rating for QA", "cannot change the evidence or ratings")
    trust_page.goto(assessment.get_absolute_url())
    confirm(trust_page, "Ratify the rating", "You cannot return the rating")
    expect(trust_page.locator("#assessment-status")).to_have_text("Draft report")
    expect(trust_page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The rating is ratified."
    )

    # The draft (rendered here as data; its rendering has its own tests) is shared after a
    # check-your-answers page that says until when the trust may challenge it.
    ReportVersion.objects.create(
        assessment=assessment,
        kind="draft",
        number=1,
        status="ready",
        pdf=PDF_BYTES,
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
    )
    page.goto(assessment.get_absolute_url())
    page.get_by_role("button", name="Share the draft report").click()
    expect(page.locator("#check-will")).to_contain_text("for ten working days, until")
    expect(page.locator("#check-final")).to_contain_text("You cannot withdraw the draft")
    accessible(page)
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT_REPORT  # nothing changes before confirming
    page.locator("#confirm-action").click()
    expect(page.locator("#assessment-status")).to_have_text("Factual accuracy check")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The draft report is shared with the trust. The trust and CQC have been told."
    )
    accessible(page)
    assert page.console_errors == []
