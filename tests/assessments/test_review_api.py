"""One assessment from scheduled to published through the API: a challenge of each outcome
and one refused for being about the rating, a dispute, the agreed rating, the final report
(read back with pdftotext), publication on the register; and what the API refuses."""

import datetime
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.factual_accuracy.services import CHALLENGE_TO_RATING, CHALLENGES_UNRESOLVED
from assessments.models import Assessment, Challenge, KloeRating, PublishedRating, Status
from metrics.models import Role
from tests.assessments.test_reports import pdf_text
from tests.factories import (
    AssessmentFactory,
    FrameworkFactory,
    TrustFactory,
    UserFactory,
    embargo_ends,
)

# The draft was shared today: closing the check now, before the deadline, needs a reason.
EARLY = "The trust told us by telephone that it has no more challenges."

pytestmark = pytest.mark.django_db


def api(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def url(name, assessment, **kwargs):
    return reverse(f"api:assessment-{name}", kwargs={"pk": assessment.pk, **kwargs})


@pytest.fixture
def people(trust):
    return {
        "lead": UserFactory(username="lead", role=Role.ASSESSOR),
        "member": UserFactory(username="member", role=Role.ASSESSOR),
        "qa": UserFactory(username="qa", role=Role.QA),
        "cqc": UserFactory(username="cqc", role=Role.CQC),
        "trust": UserFactory(username="trusty", role=Role.TRUST, trust=trust),
        "other_trust": UserFactory(
            username="othertrust", role=Role.TRUST, trust=TrustFactory(ods_code="RZZ")
        ),
    }


def move(client, assessment, action, **data):
    response = post(client, url("transitions", assessment), {"action": action, **data})
    assert response.status_code == HTTPStatus.OK, response.json()
    return response.json()["status"]


def visit_moved_to_today(lead, assessment) -> None:
    """The lead records that the site visit was held today: ratings wait for its day."""
    response = post(
        lead,
        url("site-visit", assessment),
        {"site_visit_date": str(timezone.localdate()), "reason": "Held earlier than planned"},
    )
    assert response.status_code == HTTPStatus.OK, response.json()


def test_walk_from_scheduled_to_published(
    trust, people, django_capture_on_commit_callbacks, metric_definitions
):

    framework = FrameworkFactory()
    lead, member, qa = api(people["lead"]), api(people["member"]), api(people["qa"])
    cqc, trust_client, other = api(people["cqc"]), api(people["trust"]), api(people["other_trust"])
    visit = timezone.localdate() + datetime.timedelta(days=40)
    created = post(
        lead,
        reverse("api:assessment-list"),
        {
            "trust": trust.ods_code,
            "framework": framework.code,
            "site_visit_date": visit.isoformat(),
            "lead": "lead",
            "members": ["member"],
        },
    )
    assessment = Assessment.objects.get(pk=created.json()["id"])

    for kloe in ("finance", "people"):
        post(trust_client, url("commentary", assessment), {"kloe": kloe, "text": f"On {kloe}"})
    assert move(trust_client, assessment, "submit_commentary") == "evidence"
    visit_moved_to_today(lead, assessment)
    for kloe, rating in (("finance", 2), ("people", 2), ("overall", 2)):
        if kloe != "overall":
            post(
                member,
                url("evidence", assessment),
                {
                    "kloe": kloe,
                    "source": "site_visit",
                    "finding": "positive",
                    "text": f"Agency spend on {kloe} is 12% of pay",
                },
            )
        post(
            member,
            url("ratings", assessment),
            {"kloe": kloe, "rating": rating, "rationale": f"Because of {kloe}"},
        )
    assert move(lead, assessment, "propose_rating") == "qa_review"
    assert move(qa, assessment, "ratify", findings_confirmed=True) == "draft_report"

    # The draft renders in-process once the request commits.
    with django_capture_on_commit_callbacks(execute=True):
        requested = post(lead, url("reports", assessment))
    assert requested.status_code == HTTPStatus.CREATED, requested.json()
    reports = lead.get(url("reports", assessment)).json()
    assert [(r["kind"], r["status"]) for r in reports] == [("draft", "ready")]
    # Before sharing, the trust cannot even learn the reports exist.
    assert trust_client.get(url("reports", assessment)).status_code == HTTPStatus.NOT_FOUND
    assert move(lead, assessment, "share_draft") == "factual_accuracy"
    draft = trust_client.get(url("report-download", assessment, report_pk=reports[0]["id"]))
    assert draft.status_code == HTTPStatus.OK
    assert draft["Content-Type"] == "application/pdf"
    # CQC receives the draft for information.
    assert cqc.get(url("reports", assessment)).status_code == HTTPStatus.OK

    # The trust raises one challenge of each kind; one about the rating is refused.
    finding = assessment.evidence.get(kloe__code="finance")
    raised = {}
    for kind, target, evidence, passage in (
        ("typing_or_numerical", "summary", None, "Agency spend on people is 12% of pay"),
        ("inaccurate_fact", "finding", finding.pk, "Agency spend on finance is 12% of pay"),
        ("omission", "section", None, ""),  # an omission names its place, quoting nothing
    ):
        response = post(
            trust_client,
            url("challenges", assessment),
            {
                "kind": kind,
                "target": target,
                "kloe": "finance" if kind == "omission" else "",
                "section": "Finance",
                "passage": passage,
                "correction": "It is 2%",
                "reason": "Our ledger says so",
                "evidence": evidence,
            },
        )
        assert response.status_code == HTTPStatus.CREATED, response.json()
        raised[kind] = response.json()["id"]
    refused = post(
        trust_client,
        url("challenges", assessment),
        {
            "kind": "omission",
            "section": "Summary",
            "passage": "Overall: Good",
            "correction": "Outstanding",
            "reason": "We disagree with the rating",
            "about_rating": True,
        },
    )
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert refused.json()["errors"] == [CHALLENGE_TO_RATING]
    assert Challenge.objects.filter(assessment=assessment).count() == 3
    # Another trust gets 404 for this trust's reports and challenges.
    for name in ("reports", "challenges"):
        assert other.get(url(name, assessment)).status_code == HTTPStatus.NOT_FOUND
    assert (
        post(other, url("challenges", assessment), {"kind": "omission"}).status_code
        == HTTPStatus.NOT_FOUND
    )

    # The team answers; the trust sees nothing until QA (outside the team) signs off.
    outcomes = {
        "typing_or_numerical": "accepted",
        "inaccurate_fact": "partly_accepted",
        "omission": "not_accepted",
    }
    for kind, outcome in outcomes.items():
        answered = post(
            member,
            url("challenge-answer", assessment, challenge_pk=raised[kind]),
            {"outcome": outcome, "response": f"Answer: {outcome}"},
        )
        assert answered.status_code == HTTPStatus.OK, answered.json()
    assert {c["outcome"] for c in trust_client.get(url("challenges", assessment)).json()} == {""}
    not_yet = post(
        lead, url("transitions", assessment), {"action": "close_factual_accuracy", "note": EARLY}
    )
    assert "Every challenge must be answered and signed off" in not_yet.json()["errors"][0]
    own_sign_off = post(
        lead, url("challenge-sign-off", assessment, challenge_pk=raised["omission"])
    )
    assert own_sign_off.status_code == HTTPStatus.FORBIDDEN
    for challenge_id in raised.values():
        signed = post(qa, url("challenge-sign-off", assessment, challenge_pk=challenge_id))
        assert signed.status_code == HTTPStatus.OK, signed.json()
    seen = {c["kind"]: c["outcome"] for c in trust_client.get(url("challenges", assessment)).json()}
    assert seen == outcomes
    # Accepted and partly accepted challenges are resolved before the check closes.
    unresolved = post(
        lead, url("transitions", assessment), {"action": "close_factual_accuracy", "note": EARLY}
    )
    assert unresolved.json()["errors"] == [CHALLENGES_UNRESOLVED.format(numbers="1, 2")]
    for kind, body in (
        ("typing_or_numerical", {"resolution": "changed", "text": "Agency spend is 2% of pay."}),
        ("inaccurate_fact", {"resolution": "no_change", "reason": "The finding is right."}),
    ):
        resolved = post(
            member, url("challenge-resolve", assessment, challenge_pk=raised[kind]), body
        )
        assert resolved.status_code == HTTPStatus.OK, resolved.json()
    assert move(lead, assessment, "close_factual_accuracy", note=EARLY) == "cqc_review"

    # CQC disputes; the team and CQC discuss; CQC records the agreed rating.
    assert move(cqc, assessment, "dispute_rating", note="Finance looks weaker") == "dispute"
    post(cqc, url("discussion", assessment), {"text": "Why is finance good?"})
    post(member, url("discussion", assessment), {"text": "The ledger evidence."})
    assert trust_client.get(url("discussion", assessment)).status_code == HTTPStatus.FORBIDDEN
    assert [m["author"] for m in lead.get(url("discussion", assessment)).json()] == [
        "cqc",
        "member",
    ]
    agreed = {"finance": 3, "people": 2, "overall": 3}
    unreasoned = post(
        cqc,
        url("transitions", assessment),
        {"action": "agree_rating", "note": "x", "agreed_ratings": agreed},
    )
    assert unreasoned.status_code == HTTPStatus.BAD_REQUEST
    assert "Missing for: Finance, the overall rating" in unreasoned.json()["errors"][0]
    status = move(
        cqc,
        assessment,
        "agree_rating",
        note="Finance requires improvement",
        agreed_ratings=agreed,
        cqc_reasons={"finance": "Reserves run out in May", "overall": "Finance weighs most"},
    )
    assert status == "revision"
    # The lead revises each changed rationale; CQC records the quality ratings; then confirms.
    for kloe in ("finance", "overall"):
        revised = post(
            lead,
            url("rationale-revision", assessment),
            {"kloe": kloe, "rationale": f"Revised: {kloe} requires improvement"},
        )
        assert revised.status_code == HTTPStatus.CREATED, revised.json()
    ratings = dict.fromkeys(("safe", "effective", "caring", "responsive", "well_led"), 2)
    dates = {f"{name}_date": "2026-05-01" for name in (*ratings, "overall_quality")}
    recorded = post(
        cqc, url("quality-ratings", assessment), {**ratings, "overall_quality": 2, **dates}
    )
    assert recorded.status_code == HTTPStatus.CREATED, recorded.json()
    publication = timezone.localdate() + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        status = move(cqc, assessment, "confirm_revision", publication_date=publication.isoformat())
    assert status == "finalised"

    # The final report rendered on its own: agreed ratings, whose decision, challenge log.
    final = [r for r in cqc.get(url("reports", assessment)).json() if r["kind"] == "final"]
    assert [r["status"] for r in final] == ["ready"]
    pdf = cqc.get(url("report-download", assessment, report_pk=final[0]["id"])).content
    text = pdf_text(pdf)
    assert "Requires improvement" in text
    assert "The rating is the Care Quality Commission's" in text
    assert "Factual-accuracy check" in text
    assert "Finance requires improvement" not in text  # CQC's note is internal
    assert "Revised: finance requires improvement" in text
    assert "Reserves run out in May" in text
    for label in ("Accepted", "Partly accepted", "Not accepted"):
        assert label in text
    # The trust receives the final report before publication, under embargo.
    kinds = {r["kind"] for r in trust_client.get(url("reports", assessment)).json()}
    assert kinds == {"draft", "final"}
    assert f"embargoed until {publication:%-d %B %Y}".lower() in text.lower()

    # Finalised: edits are refused.
    for name, body in (
        (
            "evidence",
            {"kloe": "finance", "source": "site_visit", "finding": "context", "text": "x"},
        ),
        ("ratings", {"kloe": "overall", "rating": 1, "rationale": "x"}),
    ):
        assert post(member, url(name, assessment), body).status_code == HTTPStatus.FORBIDDEN
    late = post(
        trust_client,
        url("challenges", assessment),
        {"kind": "omission", "section": "x", "passage": "x", "correction": "x", "reason": "x"},
    )
    assert late.status_code == HTTPStatus.FORBIDDEN

    embargo_ends(assessment)
    assert move(cqc, assessment, "publish") == "published"
    register = api().get(reverse("api:publishedrating-list")).json()
    assert [(r["ods_code"], r["rating_label"]) for r in register] == [
        (trust.ods_code, "Requires improvement")
    ]
    assert {r["kind"] for r in trust_client.get(url("reports", assessment)).json()} == {
        "draft",
        "final",
    }


def test_quality_ratings_then_a_review_that_changes_the_published_rating(
    trust, people, django_capture_on_commit_callbacks
):
    assessment = AssessmentFactory(trust=trust, lead=people["lead"], status=Status.CQC_REVIEW)
    KloeRating.objects.create(
        assessment=assessment, kloe=None, rating=2, rationale="x", updated_by=people["lead"]
    )
    cqc, trust_client = api(people["cqc"]), api(people["trust"])
    ratings = dict.fromkeys(("safe", "effective", "caring", "responsive", "well_led"), 2)
    ratings |= {"safe": 1, "caring": 1, "overall_quality": 2}
    dates = {
        f"{name}_date": "2026-05-01"
        for name in ("safe", "effective", "caring", "responsive", "well_led", "overall_quality")
    }
    override = post(cqc, url("quality-ratings", assessment), {**ratings, **dates, "combined": 2})
    assert override.status_code == HTTPStatus.BAD_REQUEST
    assert "override_reason" in override.json()
    saved = post(cqc, url("quality-ratings", assessment), {**ratings, **dates})
    assert saved.status_code == HTTPStatus.CREATED, saved.json()
    assert saved.json()["combined"] == 1
    assert saved.json()["principle"].startswith("At least two ratings are outstanding")
    assert trust_client.get(url("quality-ratings", assessment)).status_code == 403

    publication = timezone.localdate().isoformat()
    with django_capture_on_commit_callbacks(execute=True):  # the final report renders
        assert move(cqc, assessment, "accept_rating", publication_date=publication) == "finalised"
    embargo_ends(assessment)
    assert move(cqc, assessment, "publish") == "published"
    asked = post(
        trust_client, url("review-request", assessment), {"grounds": "A session was skipped"}
    )
    assert asked.status_code == HTTPStatus.CREATED, asked.json()
    again = post(trust_client, url("review-request", assessment), {"grounds": "Again"})
    assert again.status_code == HTTPStatus.FORBIDDEN
    decided = post(
        cqc,
        url("review-request", assessment),
        {"decision": "changed", "decision_note": "The session was skipped", "new_rating": 3},
    )
    assert decided.status_code == HTTPStatus.OK, decided.json()
    assert list(PublishedRating.objects.order_by("version").values_list("version", "rating")) == [
        (1, 2),
        (2, 3),
    ]
    register = api().get(reverse("api:publishedrating-list")).json()
    assert [(r["version"], r["rating"], r["combined"]) for r in register] == [(2, 3, 1)]
