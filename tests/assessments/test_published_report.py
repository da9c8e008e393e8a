"""One assessment through the API from scheduled to published, read back as its readers would:
the published report carries every decision and nothing internal; the internal record
carries everything (issue 12's acceptance walk)."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, ReportVersion
from metrics.models import Role
from tests.assessments.test_reports import pdf_text
from tests.assessments.test_review_api import EARLY, api, move, post, url, visit_moved_to_today
from tests.factories import FrameworkFactory, UserFactory, embargo_ends

pytestmark = pytest.mark.django_db

QA_PHRASE = "Quixotic marmalade thresholds"  # QA's return note: internal only
DISCUSSION = "Periwinkle ledger reconciliation"  # the NHSI-CQC discussion: internal only
OLD_FIGURE, NEW_FIGURE = "-16.4 (%)", "-6.4 (%)"
QUALITY = dict.fromkeys(("safe", "effective", "caring", "responsive", "well_led"), 2)


@pytest.fixture
def walkers(trust):
    """Login names that are not words, so finding one in a report means a leak."""
    return {
        "lead": UserFactory(username="u-lead-17", full_name="Dr Amara Okafor", role=Role.ASSESSOR),
        "member": UserFactory(username="u-mem-29", full_name="Tom Lindqvist", role=Role.ASSESSOR),
        "qa": UserFactory(username="u-qa-41", full_name="Priya Raman", role=Role.QA),
        "cqc": UserFactory(username="u-cqc-53", full_name="Helen Marsh", role=Role.CQC),
        "trust": UserFactory(username="u-tr-61", role=Role.TRUST, trust=trust),
    }


def test_the_published_report_carries_every_decision_and_nothing_internal(
    trust, walkers, django_capture_on_commit_callbacks
):
    lead, member = api(walkers["lead"]), api(walkers["member"])
    qa, cqc, trusted = api(walkers["qa"]), api(walkers["cqc"]), api(walkers["trust"])
    framework = FrameworkFactory()
    created = post(
        lead,
        reverse("api:assessment-list"),
        {
            "trust": trust.ods_code,
            "framework": framework.code,
            "site_visit_date": (timezone.localdate() + datetime.timedelta(days=40)).isoformat(),
            "lead": "u-lead-17",
            "members": ["u-mem-29"],
        },
    )
    assessment = Assessment.objects.get(pk=created.json()["id"])
    for kloe in ("finance", "people"):
        post(trusted, url("commentary", assessment), {"kloe": kloe, "text": f"On {kloe}"})
    assert move(trusted, assessment, "submit_commentary") == "evidence"
    visit_moved_to_today(lead, assessment)

    # Evidence and ratings; the summary quotes nothing the trust will challenge.
    for kloe, text in (
        ("finance", f"Agency spend was {OLD_FIGURE} of the cap."),
        ("people", "Sickness absence is below the peer median."),
    ):
        post(
            member,
            url("evidence", assessment),
            {"kloe": kloe, "source": "site_visit", "finding": "positive", "text": text},
        )
    for kloe in ("finance", "people", "overall"):
        saved = post(
            lead,
            url("ratings", assessment),
            {
                "kloe": kloe,
                "rating": 2,
                "rationale": f"Good on {kloe}: the evidence shows it.",
                "summary": "The trust uses its resources well." if kloe == "overall" else None,
            },
        )
        assert saved.status_code == HTTPStatus.CREATED, saved.json()

    # QA returns the ratings once, with a note only staff may read; then ratifies.
    assert move(lead, assessment, "propose_rating") == "qa_review"
    assert move(qa, assessment, "return", note=f"{QA_PHRASE}: check finance.") == "evidence"
    assert move(lead, assessment, "propose_rating") == "qa_review"
    # QA confirms it read the consistency findings the team left unanswered.
    assert move(qa, assessment, "ratify", findings_confirmed=True) == "draft_report"
    with django_capture_on_commit_callbacks(execute=True):
        assert post(lead, url("reports", assessment)).status_code == HTTPStatus.CREATED
    assert move(lead, assessment, "share_draft") == "factual_accuracy"

    # The trust challenges a figure (a typing error) and an omission; both are accepted,
    # signed off outside the team and resolved by changing the report.
    finding = assessment.evidence.get(kloe__code="finance")
    challenges = {}
    for kind, body in (
        (
            "typing_or_numerical",
            {"target": "finding", "evidence": finding.pk, "passage": OLD_FIGURE},
        ),
        ("omission", {"target": "section", "kloe": "people", "passage": ""}),
    ):
        raised = post(
            trusted,
            url("challenges", assessment),
            {
                "kind": kind,
                "section": "Finance" if kind != "omission" else "People",
                "correction": "The right figure" if kind != "omission" else "Add the bank",
                "reason": "Our ledger and rota say so",
                **body,
            },
        )
        assert raised.status_code == HTTPStatus.CREATED, raised.json()
        challenges[kind] = raised.json()["id"]
    for kind, challenge_id in challenges.items():
        answer = {"outcome": "accepted", "response": f"Agreed ({kind})."}
        post(member, url("challenge-answer", assessment, challenge_pk=challenge_id), answer)
        post(qa, url("challenge-sign-off", assessment, challenge_pk=challenge_id))
    for kind, text in (
        ("typing_or_numerical", f"Agency spend was {NEW_FIGURE} of the cap."),
        ("omission", "The trust runs a bank of 200 nurses."),
    ):
        resolved = post(
            member,
            url("challenge-resolve", assessment, challenge_pk=challenges[kind]),
            {"resolution": "changed", "text": text},
        )
        assert resolved.status_code == HTTPStatus.OK, resolved.json()
    assert move(lead, assessment, "close_factual_accuracy", note=EARLY) == "cqc_review"

    # CQC disputes, discusses, moves finance to requires improvement with its reasons; the
    # lead revises that rationale; CQC records the quality ratings and finalises.
    assert move(cqc, assessment, "dispute_rating", note="Finance looks weaker") == "dispute"
    post(cqc, url("discussion", assessment), {"text": f"{DISCUSSION}?"})
    agreed = {"finance": 3, "people": 2, "overall": 2}
    reasons = {"finance": "Reserves run out in May without new borrowing."}
    assert (
        move(cqc, assessment, "agree_rating", agreed_ratings=agreed, cqc_reasons=reasons)
        == "revision"
    )
    revised = post(
        lead,
        url("rationale-revision", assessment),
        {"kloe": "finance", "rationale": "Requires improvement: reserves are too thin."},
    )
    assert revised.status_code == HTTPStatus.CREATED, revised.json()
    dates = {f"{name}_date": "2026-05-01" for name in (*QUALITY, "overall_quality")}
    recorded = post(
        cqc, url("quality-ratings", assessment), {**QUALITY, "overall_quality": 2, **dates}
    )
    assert recorded.status_code == HTTPStatus.CREATED, recorded.json()
    publication = timezone.localdate() + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):  # the final report renders
        assert (
            move(cqc, assessment, "confirm_revision", publication_date=publication.isoformat())
            == "finalised"
        )
    embargo_ends(assessment)
    assert move(cqc, assessment, "publish") == "published"

    # Exactly one version is the published one, and anyone can read it.
    published = ReportVersion.objects.filter(
        assessment=assessment, kind="final", published_at__isnull=False
    )
    assert published.count() == 1
    public = api().get(
        reverse(
            "assessments:published_report",
            kwargs={"ods_code": trust.ods_code, "pk": assessment.pk},
        )
    )
    assert public.status_code == HTTPStatus.OK
    text = pdf_text(public.content)
    page_one = text.split("\f")[0]

    assert f"Agency spend was {NEW_FIGURE} of the cap." in text
    assert "-16.4" not in text
    assert "The trust runs a bank of 200 nurses." in text
    assert "Requires improvement: reserves are too thin." in text
    assert "Reserves run out in May without new borrowing." in text
    assert "This rating is the Care Quality Commission's" in text
    for line in (
        "Are services safe? Good",
        "Overall quality rating Good",
        "Are resources used productively? Good",
        "Combined rating for quality and use of resources",
    ):
        assert line in page_one
    assert "Dr Amara Okafor" in text
    for internal in (QA_PHRASE, DISCUSSION, *(user.username for user in walkers.values())):
        assert internal not in text

    # The internal record carries what the report leaves out, for staff only.
    record = api(walkers["qa"]).get(reverse("assessments:record", kwargs={"pk": assessment.pk}))
    page = record.content.decode()
    for internal in (QA_PHRASE, DISCUSSION, "u-lead-17", "u-qa-41", "u-cqc-53"):
        assert internal in page
    assert trusted.get(reverse("assessments:record", kwargs={"pk": assessment.pk})).status_code == (
        HTTPStatus.NOT_FOUND
    )
