"""Steps 7 to 9 through the pages: the trust challenges the shared draft, the assessor
answers, QA (outside the team) signs the answer off, CQC disputes, discusses and records
the agreed rating, publishes, and the public register shows the rating. axe checks each page.
"""

import datetime
import hashlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.cqc_review.services import quality_ratings_record
from assessments.models import (
    Assessment,
    Challenge,
    FactualAccuracyDeadline,
    KloeRating,
    ReportVersion,
    Status,
)
from metrics.models import Role, User
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in
from tests.factories import (
    PDF_BYTES,
    AssessmentFactory,
    EvidenceFactory,
    TrustFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUALITY = {
    **dict.fromkeys(("safe", "effective", "caring", "responsive", "well_led"), 2),
    "overall_quality": 2,
    **{
        f"{name}_date": datetime.date(2026, 5, 1)
        for name in ("safe", "effective", "caring", "responsive", "well_led", "overall_quality")
    },
}


@pytest.fixture
def other_page(browser, live_server):
    """A second browser for the other side of each hand-over."""
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def shared_assessment():
    """An assessment whose draft is shared: rated, with a ready draft and a deadline."""
    trust = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust", region="North")
    lead = UserFactory(username="e2e-lead", role=Role.ASSESSOR)
    UserFactory(username="e2e-trust", role=Role.TRUST, trust=trust)
    UserFactory(username="e2e-qa", role=Role.QA)
    UserFactory(username="e2e-cqc", role=Role.CQC)
    assessment = AssessmentFactory(trust=trust, lead=lead, status=Status.FACTUAL_ACCURACY)
    for kloe in [*assessment.framework.kloes.all(), None]:
        if kloe:
            EvidenceFactory(assessment=assessment, kloe=kloe)
        KloeRating.objects.create(
            assessment=assessment, kloe=kloe, rating=2, rationale="Good.", updated_by=lead
        )
    ReportVersion.objects.create(
        assessment=assessment,
        kind="draft",
        number=1,
        status="ready",
        pdf=PDF_BYTES,
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
    )
    FactualAccuracyDeadline.objects.create(
        assessment=assessment,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        reason="Ten working days from the day the draft was shared.",
        set_by=lead,
    )
    return assessment


def test_challenge_answer_sign_off_dispute_agree_and_publish(page, other_page):
    assessment = shared_assessment()

    # The trust raises a challenge; one about the rating is refused with the reason.
    sign_in(other_page, "e2e-trust")
    other_page.goto(assessment.get_absolute_url())
    other_page.get_by_role("link", name="Factual-accuracy challenges").click()
    expect(other_page.get_by_role("heading", level=1)).to_have_text("Factual-accuracy challenges")
    accessible(other_page)
    other_page.get_by_role("link", name="Raise a challenge").click()
    accessible(other_page)
    other_page.get_by_label("A typing or numerical error").check()
    other_page.get_by_label("The summary of findings").check()
    other_page.get_by_label("Section of the report").fill("Finance")
    other_page.get_by_label("The passage, quoted").fill("Agency spend is 12% of pay")
    other_page.get_by_label("Your proposed correction").fill("Agency spend is 2% of pay")
    other_page.get_by_label("Why it is wrong or incomplete").fill("Our ledger shows 2%")
    other_page.get_by_label("This challenge disagrees with the rating itself").check()
    other_page.get_by_role("button", name="Raise the challenge").click()
    expect(other_page.locator(".govuk-error-summary")).to_contain_text(
        "cannot challenge the rating"
    )
    accessible(other_page)
    other_page.get_by_label("This challenge disagrees with the rating itself").uncheck()
    other_page.get_by_role("button", name="Raise the challenge").click()
    expect(other_page.locator("#challenge-1")).to_contain_text("Agency spend is 2% of pay")
    accessible(other_page)

    # The lead answers it.
    sign_in(page, "e2e-lead")
    page.goto(f"/assessments/{assessment.pk}/challenges/")
    page.get_by_role("link", name="Answer challenge 1").click()
    accessible(page)
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("Response to the trust").fill("We have corrected the figure to 2%.")
    page.get_by_role("button", name="Save the answer").click()
    expect(page.locator("#challenge-1")).to_contain_text("Waiting for sign-off")
    accessible(page)

    # QA, not on the team, signs it off; then the trust reads the answer.
    page.context.clear_cookies()
    sign_in(page, "e2e-qa")
    page.goto(f"/assessments/{assessment.pk}/challenges/")
    page.get_by_role("link", name="Sign off the answer to challenge 1").click()
    accessible(page)
    page.get_by_role("button", name="Sign off the answer").click()
    expect(page.locator("#challenge-1")).to_contain_text("Signed off by e2e-qa")
    other_page.reload()
    expect(other_page.locator("#challenge-1")).to_contain_text(
        "We have corrected the figure to 2%."
    )
    assert Challenge.objects.get().signed_off_at is not None

    # The lead resolves the accepted challenge by correcting the passage; CQC disputes,
    # discusses and agrees.
    page.context.clear_cookies()
    sign_in(page, "e2e-lead")
    page.goto(f"/assessments/{assessment.pk}/challenges/")
    page.get_by_role("link", name="Resolve challenge 1").click()
    accessible(page)
    page.get_by_label("The text was changed").check()
    page.get_by_label("The passage as the report will print it").fill("Agency spend is 2% of pay.")
    page.get_by_role("button", name="Resolve the challenge").click()
    expect(page.locator("#challenge-1-change")).to_contain_text("Agency spend is 2% of pay.")
    accessible(page)
    # The deadline is two weeks away: the trust confirms it has no more challenges (after a
    # check page), so the lead may close the check early without giving a reason.
    other_page.goto(f"/assessments/{assessment.pk}/challenges/")
    other_page.get_by_role("link", name="We have no more challenges").click()
    expect(other_page.locator("#check-final")).to_contain_text("You cannot raise another")
    accessible(other_page)
    other_page.get_by_role("button", name="Confirm: no more challenges").click()
    expect(other_page.locator("#no-more-challenges")).to_contain_text("no more challenges")
    accessible(other_page)
    page.goto(assessment.get_absolute_url())
    page.get_by_role("button", name="Close the factual-accuracy check").click()
    expect(page.locator("#check-summary")).to_contain_text("The trust confirmed on")
    accessible(page)
    page.locator("#confirm-action").click()
    expect(page.locator("#assessment-status")).to_have_text("CQC review")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The factual-accuracy check is closed."
    )

    other_page.context.clear_cookies()
    sign_in(other_page, "e2e-cqc")
    other_page.goto(assessment.get_absolute_url())
    accessible(other_page)
    other_page.get_by_role("button", name="Dispute the rating").click()
    accessible(other_page)
    other_page.get_by_label("Why do you dispute the rating?").fill("Finance looks weaker.")
    other_page.locator("#confirm-action").click()
    expect(other_page.locator("#assessment-status")).to_have_text("Rating in discussion")
    other_page.get_by_role("link", name="Discussion of the rating with CQC").click()
    accessible(other_page)
    other_page.get_by_label("Your message").fill("Why is finance rated good?")
    other_page.get_by_role("button", name="Post the message").click()
    expect(other_page.locator("#discussion-thread")).to_contain_text("Why is finance rated good?")
    accessible(other_page)
    # CQC has the trust's quality ratings from its own inspections (recorded here through the
    # service; their page has its own tests), then agrees the proposed ratings as they stand,
    # with the publication date: nothing changed, so the assessment is finalised at once.
    quality_ratings_record(
        assessment=Assessment.objects.get(pk=assessment.pk),
        actor=User.objects.get(username="e2e-cqc"),
        ratings=QUALITY,
    )
    other_page.get_by_role("link", name="Record the agreed rating").click()
    accessible(other_page)
    for name in ("Finance", "People", "Overall"):
        group = other_page.get_by_role("group", name=f"{name} (proposed: Good)")
        group.get_by_label("2: Good").check()
    other_page.get_by_label("Note on the agreed ratings").fill("Agreed after discussion.")
    publication = timezone.localdate()  # the embargo ends today, so CQC may publish
    for index, part in enumerate((publication.day, publication.month, publication.year)):
        other_page.locator(f"[name=publication_date_{index}]").fill(str(part))
    other_page.get_by_role("button", name="Record the agreed rating").click()
    # The check page lists each rating as proposed and agreed; nothing is stored before.
    expect(other_page.locator("#agreed-check")).to_contain_text("Finance")
    expect(other_page.locator("#check-will")).to_contain_text("finalised at once")
    accessible(other_page)
    assert Assessment.objects.get(pk=assessment.pk).status == Status.DISPUTE
    other_page.locator("#confirm-action").click()
    expect(other_page.locator("#assessment-status")).to_have_text("Finalised")
    # The worker renders the final report; CQC waits on the reports page (it polls) until the
    # version is ready and embargoed, then publishes.
    other_page.get_by_role("link", name="Reports").click()
    expect(other_page.locator("#report-versions")).to_contain_text(
        "Embargoed until", timeout=90_000
    )
    other_page.get_by_role("link", name="Back to the assessment").click()
    other_page.get_by_role("button", name="Publish").click()
    expect(other_page.locator("#check-final")).to_contain_text("You cannot unpublish")
    accessible(other_page)
    other_page.locator("#confirm-action").click()
    expect(other_page.locator("#assessment-status")).to_have_text("Published")

    # The public register shows it, to anyone.
    page.context.clear_cookies()
    page.goto("/published-ratings/")
    expect(page.locator("#register")).to_contain_text("Alpha Hospitals NHS Trust")
    expect(page.locator("#register")).to_contain_text("Good")
    accessible(page)
    assert page.console_errors == []
