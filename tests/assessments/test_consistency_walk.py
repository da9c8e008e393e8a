"""Issue 17's walk for the consistency checks: a proposal that trips three rules, the team's
answers, QA's page and the internal record showing them, the published report without them;
and the confirmation QA gives to ratify with a finding unanswered."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.consistency.services import FINDING_GONE
from assessments.models import Assessment, FindingRecord
from assessments.reports.record import record_pdf
from metrics.models import Role
from tests.assessments.test_reports import pdf_text
from tests.assessments.test_review_api import EARLY, api, move, post, url, visit_moved_to_today
from tests.factories import FrameworkFactory, UserFactory, embargo_ends

pytestmark = pytest.mark.django_db

QUALITY = dict.fromkeys(("safe", "effective", "caring", "responsive", "well_led"), 2)
# The team's reasons: words that appear nowhere else, so finding one is finding the answer.
REASONS = {
    "no_site_visit_evidence": "Obsidian ledger walkthrough happened offsite",
    "single_source_evidence": "Tangerine audit trail suffices alone",
    "overall_out_of_line": "Marzipan weighting favours finance heavily",
}
TRIPPED_WORDS = ("no evidence from the site-visit interviews", "come from one source")


@pytest.fixture
def walkers(trust):
    return {
        "lead": UserFactory(username="c-lead", full_name="Ada Lead", role=Role.ASSESSOR),
        "member": UserFactory(username="c-member", role=Role.ASSESSOR),
        "qa": UserFactory(username="c-qa", full_name="Quinn Assure", role=Role.QA),
        "cqc": UserFactory(username="c-cqc", role=Role.CQC),
        "trust": UserFactory(username="c-trust", role=Role.TRUST, trust=trust),
    }


def proposed_with_three_findings(trust, walkers) -> Assessment:
    """Finance rests on the trust's submission alone; people is inadequate; overall good."""
    lead, member, trusted = api(walkers["lead"]), api(walkers["member"]), api(walkers["trust"])
    created = post(
        lead,
        reverse("api:assessment-list"),
        {
            "trust": trust.ods_code,
            "framework": FrameworkFactory().code,
            "site_visit_date": (timezone.localdate() + datetime.timedelta(days=40)).isoformat(),
            "lead": "c-lead",
            "members": ["c-member"],
        },
    )
    assessment = Assessment.objects.get(pk=created.json()["id"])
    for kloe in ("finance", "people"):
        post(trusted, url("commentary", assessment), {"kloe": kloe, "text": f"On {kloe}"})
    assert move(trusted, assessment, "submit_commentary") == "evidence"
    visit_moved_to_today(lead, assessment)
    for kloe, source in (
        ("finance", "trust_submission"),
        ("people", "site_visit"),
        ("people", "trust_submission"),
    ):
        evidence = {"kloe": kloe, "source": source, "finding": "positive", "text": "Seen."}
        assert post(member, url("evidence", assessment), evidence).status_code == 201
    for kloe, rating in (("finance", 2), ("people", 4), ("overall", 2)):
        body = {"kloe": kloe, "rating": rating, "rationale": f"Judged on {kloe}."}
        assert post(lead, url("ratings", assessment), body).status_code == HTTPStatus.CREATED
    return assessment


def test_three_findings_answered_reach_qa_and_the_record_and_never_the_report(
    trust, walkers, django_capture_on_commit_callbacks
):
    lead, qa, cqc = api(walkers["lead"]), api(walkers["qa"]), api(walkers["cqc"])
    assessment = proposed_with_three_findings(trust, walkers)
    findings = lead.get(url("consistency", assessment)).json()
    assert sorted(f["rule"] for f in findings) == sorted(REASONS)
    overall = next(f for f in findings if f["rule"] == "overall_out_of_line")
    assert "is one level better than the KLOE ratings suggest" in overall["message"]

    # The team sees them before proposing, on the check page, and proposes all the same.
    check = lead.get(
        reverse(
            "assessments:assessment_transition",
            kwargs={"pk": assessment.pk, "action": "propose_rating"},
        )
    )
    assert "3 findings, 3 not answered by the team" in check.content.decode()
    assert move(lead, assessment, "propose_rating") == "qa_review"
    [at_proposal] = FindingRecord.objects.filter(assessment=assessment)
    assert {f["status"] for f in at_proposal.findings} == {"Not answered"}

    # Unanswered, ratifying needs QA's word; then the team answers them during QA review.
    refused = post(qa, url("transitions", assessment), {"action": "ratify"})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "3 consistency finding(s) are not answered" in str(refused.json())
    for finding in findings:
        answered = post(
            lead,
            url("consistency", assessment),
            {"key": finding["key"], "kind": "acknowledged", "reason": REASONS[finding["rule"]]},
        )
        assert answered.status_code == HTTPStatus.OK, answered.json()
    assert all(f["status"] == "Acknowledged" for f in qa.get(url("consistency", assessment)).json())

    ratify_page = qa.get(
        reverse(
            "assessments:assessment_transition", kwargs={"pk": assessment.pk, "action": "ratify"}
        )
    )
    page = ratify_page.content.decode()
    assert "3 findings, 0 not answered by the team" in page
    for reason in REASONS.values():
        assert reason in page
    assert "findings_confirmed" not in page  # nothing left to confirm
    assert move(qa, assessment, "ratify") == "draft_report"

    # On to publication: the check closes with the answers recorded a second time.
    with django_capture_on_commit_callbacks(execute=True):
        assert post(lead, url("reports", assessment)).status_code == HTTPStatus.CREATED
    assert move(lead, assessment, "share_draft") == "factual_accuracy"
    assert move(lead, assessment, "close_factual_accuracy", note=EARLY) == "cqc_review"
    dates = {f"{name}_date": "2026-05-01" for name in (*QUALITY, "overall_quality")}
    recorded = post(
        cqc, url("quality-ratings", assessment), {**QUALITY, "overall_quality": 2, **dates}
    )
    assert recorded.status_code == HTTPStatus.CREATED, recorded.json()
    publication = timezone.localdate().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert move(cqc, assessment, "accept_rating", publication_date=publication) == "finalised"
    embargo_ends(assessment)
    assert move(cqc, assessment, "publish") == "published"

    stages = list(FindingRecord.objects.filter(assessment=assessment).values_list("stage"))
    assert stages == [("propose_rating",), ("close_factual_accuracy",)]
    record = qa.get(reverse("assessments:record", kwargs={"pk": assessment.pk})).content.decode()
    assert "When the factual-accuracy check closed" in record
    for reason in REASONS.values():
        assert reason in record

    public = api().get(
        reverse(
            "assessments:published_report",
            kwargs={"ods_code": trust.ods_code, "pk": assessment.pk},
        )
    )
    assert public.status_code == HTTPStatus.OK
    text = pdf_text(public.content)
    assert "Judged on finance." in text  # the report is the one rated
    for internal in (*REASONS.values(), *TRIPPED_WORDS, "Consistency", "consistency"):
        assert internal not in text


def test_qa_confirms_unanswered_findings_on_the_ratify_page(trust, walkers):
    lead, qa = api(walkers["lead"]), api(walkers["qa"])
    assessment = proposed_with_three_findings(trust, walkers)
    assert move(lead, assessment, "propose_rating") == "qa_review"
    ratify = reverse(
        "assessments:assessment_transition", kwargs={"pk": assessment.pk, "action": "ratify"}
    )
    page = qa.get(ratify).content.decode()
    assert "I have read the 3 consistency finding(s) the team has not answered" in page

    unconfirmed = qa.post(ratify, {})
    assert unconfirmed.status_code == HTTPStatus.OK
    assert "confirm that you have read them to ratify" in unconfirmed.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).status == "qa_review"

    confirmed = qa.post(ratify, {"findings_confirmed": "on"})
    assert confirmed.status_code == HTTPStatus.FOUND
    assert Assessment.objects.get(pk=assessment.pk).status == "draft_report"


def test_marked_fixed_shows_as_not_fixed_while_it_still_trips(trust, walkers):
    lead, member = api(walkers["lead"]), api(walkers["member"])
    assessment = proposed_with_three_findings(trust, walkers)
    page_url = reverse("assessments:consistency", kwargs={"pk": assessment.pk})
    key = "no_site_visit_evidence:finance"

    saved = lead.post(page_url, {"key": key, "kind": "fixed"})
    assert saved.status_code == HTTPStatus.FOUND
    assert "Marked fixed, still found" in lead.get(page_url).content.decode()

    site_visit = {"kloe": "finance", "source": "site_visit", "finding": "positive", "text": "Seen."}
    assert post(member, url("evidence", assessment), site_visit).status_code == 201
    rows = {f["key"]: f for f in lead.get(url("consistency", assessment)).json()}
    assert rows[key]["status"] == "Fixed"  # no longer found: kept to show how it was answered
    assert rows[key]["answered"] is True

    gone = lead.post(page_url, {"key": "single_source_evidence:finance", "kind": "fixed"})
    assert FINDING_GONE in gone.content.decode()  # two sources now: that finding is gone


def test_an_acknowledgement_needs_a_reason_and_lapses_when_the_finding_changes(trust, walkers):
    lead = api(walkers["lead"])
    assessment = proposed_with_three_findings(trust, walkers)
    page_url = reverse("assessments:consistency", kwargs={"pk": assessment.pk})
    key = "overall_out_of_line:overall"

    no_reason = lead.post(page_url, {"key": key, "kind": "acknowledged", "reason": " "})
    assert "Give the reason for acknowledging the finding" in no_reason.content.decode()
    lead.post(page_url, {"key": key, "kind": "acknowledged", "reason": "Finance weighs most"})
    assert "Finance weighs most" in lead.get(page_url).content.decode()

    # The overall rating moves further out of line: the finding says something new.
    body = {"kloe": "overall", "rating": 1, "rationale": "Judged.", "version": 1}
    assert post(lead, url("ratings", assessment), body).status_code == HTTPStatus.CREATED
    row = next(
        f for f in lead.get(url("consistency", assessment)).json() if f["subject"] == "overall"
    )
    assert "two levels better" in row["message"]
    assert row["status"] == "Not answered"


def test_only_the_team_answers_and_the_trust_never_sees_the_findings(trust, walkers):
    assessment = proposed_with_three_findings(trust, walkers)
    page_url = reverse("assessments:consistency", kwargs={"pk": assessment.pk})
    trusted, outsider = api(walkers["trust"]), api(UserFactory(role=Role.ASSESSOR))
    assert trusted.get(page_url).status_code == HTTPStatus.NOT_FOUND
    assert trusted.get(url("consistency", assessment)).status_code == HTTPStatus.NOT_FOUND
    detail = trusted.get(assessment.get_absolute_url()).content.decode()
    assert "Consistency checks" not in detail
    assert outsider.get(page_url).status_code == HTTPStatus.NOT_FOUND  # not their assessment

    admin = api(UserFactory(role=Role.ADMIN))
    assert "3 findings, 3 not answered" in admin.get(assessment.get_absolute_url()).content.decode()
    refused = post(admin, url("consistency", assessment), {"key": "x", "kind": "fixed"})
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert "Only an assessor on the team can answer a finding" in str(refused.json())


def test_the_record_pdf_carries_the_findings_recorded_at_the_proposal(trust, walkers):
    lead = api(walkers["lead"])
    assessment = proposed_with_three_findings(trust, walkers)
    body = {"key": "overall_out_of_line:overall", "kind": "acknowledged", "reason": "Saffron"}
    assert post(lead, url("consistency", assessment), body).status_code == HTTPStatus.OK
    assert move(lead, assessment, "propose_rating") == "qa_review"

    text = " ".join(pdf_text(record_pdf(assessment=assessment)).split())
    assert "Consistency checks and the team's answers" in text
    assert "When the team proposed the rating" in text
    assert "(Acknowledged, Ada Lead (c-lead))" in text
    assert "Reason: Saffron" in text
    assert "with no evidence from the site-visit interviews" in text
