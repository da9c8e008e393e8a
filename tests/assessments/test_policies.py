"""Each assessments policy, its page and its API endpoint give the same answer.

For every role and the workflow states around each action, the test asks the policy, then
POSTs to the page and to the API endpoint that take the action: where the assessment (or the
post-draft step) is hidden from the person both answer 404; where the policy allows, neither
refuses; where it refuses, both answer 403 with the policy's message. The posts are empty
(or name a workflow action), so an allowed one stops at the form's or the check's errors.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments import policies
from assessments.factual_accuracy import services as fa_services
from assessments.models import Assessment, Challenge, PublishedRating, Status
from assessments.selectors import assessments_visible_to
from assessments.workflow import ACTIONS
from metrics.models import Role
from tests.factories import AssessmentFactory, EvidenceFactory, TrustFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "admin",
    "assessor_on_team",
    "assessor_off_team",
    "qa",
    "cqc",
    "trust_own",
    "trust_other",
]
REFUSED = (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)


@dataclass
class World:
    people: dict
    clients: dict
    assessment: Assessment
    challenge: Challenge
    accepted: Challenge

    def fresh(self) -> Assessment:
        return Assessment.objects.get(pk=self.assessment.pk)


@pytest.fixture
def world(trust):
    lead = UserFactory(username="p-lead", role=Role.ASSESSOR)
    people = {
        "admin": UserFactory(username="p-admin", role=Role.ADMIN),
        "assessor_on_team": lead,
        "assessor_off_team": UserFactory(username="p-outsider", role=Role.ASSESSOR),
        "qa": UserFactory(username="p-qa", role=Role.QA),
        "cqc": UserFactory(username="p-cqc", role=Role.CQC),
        "trust_own": UserFactory(username="p-trust", role=Role.TRUST, trust=trust),
        "trust_other": UserFactory(
            username="p-trust2", role=Role.TRUST, trust=TrustFactory(ods_code="RZZ")
        ),
    }
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        clients[role].force_login(user)
    assessment = AssessmentFactory(trust=trust, lead=lead)
    evidence = EvidenceFactory(assessment=assessment)
    challenge = Challenge.objects.create(
        assessment=assessment,
        number=1,
        kind=Challenge.Kind.INACCURATE,
        section="Finance",
        passage="12%",
        correction="2%",
        reason="A typing error",
        evidence=evidence,
        raised_by=people["trust_own"],
    )
    accepted = Challenge.objects.create(
        assessment=assessment,
        number=2,
        kind=Challenge.Kind.TYPING,
        target=Challenge.Target.FINDING,
        section="Finance",
        passage="12%",
        correction="2%",
        reason="A typing error",
        evidence=evidence,
        raised_by=people["trust_own"],
        outcome=Challenge.Outcome.ACCEPTED,
        response="Agreed.",
    )
    # Published yesterday: the review window is open whatever the state under test.
    PublishedRating.objects.create(
        assessment=assessment,
        version=1,
        rating=2,
        published_by=people["cqc"],
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    return World(people, clients, assessment, challenge, accepted)


@dataclass(frozen=True)
class Case:
    """An action: its policy's answer, its page and its API endpoint, and the states to try."""

    decision: Callable  # (user, assessment, world) -> Decision
    page: str
    api: str | None
    states: tuple[str, ...]
    kwargs: str = ""  # "kloe", "challenge", "accepted" or "action:<name>" where the URL names more
    shared_only: bool = False  # the step is hidden (404) from a trust before the draft is shared
    post: dict | None = None  # what the page and the API receive (empty unless set)


def _on(policy):
    return lambda user, assessment, world: policy(user, assessment)


def _review_decision(user, assessment, world):
    if policies.decides_reviews(user):
        return policies.may_decide_review(user, assessment)
    return policies.may_request_review(user, assessment)


FA_CLOSED = "factual_accuracy+closed"  # the check still on, its deadline passed
VISITED = "evidence+visited"  # gathering evidence, the site visit held yesterday

CASES = {
    "edit_commentary": Case(
        _on(policies.may_edit_commentary),
        "assessments:commentary_edit",
        "api:assessment-commentary",
        (Status.SCHEDULED, Status.EVIDENCE),
        kwargs="kloe",
    ),
    "record_evidence": Case(
        _on(policies.may_record_evidence),
        "assessments:evidence_create",
        "api:assessment-evidence",
        (Status.SCHEDULED, Status.EVIDENCE, Status.QA_REVIEW),
        kwargs="kloe",
    ),
    "propose_ratings": Case(
        _on(policies.may_propose_ratings),
        "assessments:overall_rating",
        "api:assessment-ratings",
        (Status.EVIDENCE, VISITED, Status.QA_REVIEW),
    ),
    "move_site_visit": Case(
        _on(policies.may_move_site_visit),
        "assessments:site_visit_edit",
        "api:assessment-site-visit",
        (Status.SCHEDULED, Status.EVIDENCE, Status.QA_REVIEW),
    ),
    "withdraw_evidence": Case(
        lambda user, assessment, world: policies.may_withdraw_evidence(
            user, assessment, world.challenge.evidence
        ),
        "assessments:evidence_withdraw",
        None,
        (Status.EVIDENCE, Status.QA_REVIEW, Status.FACTUAL_ACCURACY),
        kwargs="evidence",
        shared_only=True,
    ),
    "edit_agenda": Case(
        _on(policies.may_edit_agenda),
        "assessments:agenda_edit",
        None,
        (Status.SCHEDULED, Status.EVIDENCE, Status.QA_REVIEW),
    ),
    "change_team": Case(
        _on(policies.may_change_team),
        "assessments:team_change",
        "api:assessment-team",
        (Status.SCHEDULED, Status.REVISION, Status.FINALISED, Status.PUBLISHED),
    ),
    "set_commentary_deadline": Case(
        _on(policies.may_set_commentary_deadline),
        "assessments:deadline_edit",
        None,
        (Status.SCHEDULED, Status.EVIDENCE),
    ),
    "raise_challenge": Case(
        _on(policies.may_raise_challenge),
        "assessments:challenge_create",
        "api:assessment-challenges",
        (Status.DRAFT_REPORT, Status.FACTUAL_ACCURACY, FA_CLOSED, Status.CQC_REVIEW),
        shared_only=True,
    ),
    "answer_challenge": Case(
        lambda user, assessment, world: policies.may_answer_challenge(
            user, assessment, world.challenge
        ),
        "assessments:challenge_answer",
        "api:assessment-challenge-answer",
        (Status.DRAFT_REPORT, Status.FACTUAL_ACCURACY, Status.CQC_REVIEW),
        kwargs="challenge",
        shared_only=True,
    ),
    "sign_off": Case(
        _on(policies.may_sign_off),
        "assessments:challenge_sign_off",
        "api:assessment-challenge-sign-off",
        (Status.FACTUAL_ACCURACY, Status.CQC_REVIEW),
        kwargs="challenge",
        shared_only=True,
    ),
    "resolve_challenge": Case(
        lambda user, assessment, world: policies.may_resolve_challenge(
            user, assessment, world.accepted
        ),
        "assessments:challenge_resolve",
        "api:assessment-challenge-resolve",
        (Status.DRAFT_REPORT, Status.FACTUAL_ACCURACY, Status.CQC_REVIEW),
        kwargs="accepted",
        shared_only=True,
    ),
    "set_fa_deadline": Case(
        _on(policies.may_set_fa_deadline),
        "assessments:fa_deadline_edit",
        None,
        (Status.DRAFT_REPORT, Status.FACTUAL_ACCURACY),
    ),
    "post_discussion": Case(
        _on(policies.may_post_discussion),
        "assessments:discussion",
        "api:assessment-discussion",
        (Status.CQC_REVIEW, Status.DISPUTE, Status.FINALISED),
    ),
    "agree_rating": Case(
        _on(policies.may_agree_rating),
        "assessments:agree_rating",
        None,
        (Status.CQC_REVIEW, Status.DISPUTE),
    ),
    "record_quality": Case(
        _on(policies.may_record_quality),
        "assessments:quality_ratings",
        "api:assessment-quality-ratings",
        (Status.DISPUTE, Status.REVISION, Status.FINALISED, Status.PUBLISHED),
    ),
    "revise_rationale": Case(
        _on(policies.may_revise_rationale),
        "assessments:rationale_revision",
        "api:assessment-rationale-revision",
        (Status.DISPUTE, Status.REVISION, Status.FINALISED),
    ),
    "request_or_decide_review": Case(
        _review_decision,
        "assessments:review_request",
        "api:assessment-review-request",
        (Status.FINALISED, Status.PUBLISHED),
    ),
    "request_report": Case(
        _on(policies.may_request_report),
        "assessments:report_list",
        "api:assessment-reports",
        (Status.EVIDENCE, Status.DRAFT_REPORT, Status.FACTUAL_ACCURACY, Status.FINALISED),
        shared_only=True,
    ),
    **{
        f"workflow:{name}": Case(
            _on(action.allowed),
            "assessments:assessment_transition",
            "api:assessment-transitions",
            action.sources,
            post={"action": name, "note": "A reason."},
            kwargs=f"action:{name}",
        )
        for name, action in ACTIONS.items()
    },
}


def _url(name: str, case: Case, world: World) -> str:
    kwargs = {"pk": world.assessment.pk}
    if case.kwargs == "kloe" and name == case.page:  # the API names the KLOE in the body
        kwargs["code"] = world.challenge.evidence.kloe.code
    if case.kwargs == "evidence":
        kwargs["evidence_pk"] = world.challenge.evidence.pk
    if case.kwargs == "challenge":
        kwargs["challenge_pk"] = world.challenge.pk
    if case.kwargs == "accepted":
        kwargs["challenge_pk"] = world.accepted.pk
    if case.kwargs and case.kwargs.startswith("action:") and name == case.page:
        kwargs["action"] = case.kwargs.removeprefix("action:")  # the API names it in the body
    return reverse(name, kwargs=kwargs)


def _set_state(world: World, state: str) -> Assessment:
    status, _, variant = state.partition("+")
    Assessment.objects.filter(pk=world.assessment.pk).update(status=status)
    world.assessment.fa_deadlines.all().delete()
    if variant == "visited":
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        Assessment.objects.filter(pk=world.assessment.pk).update(
            site_visit_date=yesterday, commentary_deadline=yesterday
        )
    if variant == "closed":
        world.assessment.fa_deadlines.create(
            deadline=timezone.localdate() - datetime.timedelta(days=1),
            reason="Ten working days from the day the draft was shared.",
            set_by=world.people["assessor_on_team"],
        )
    return world.fresh()


def _hidden(user, assessment: Assessment, case: Case) -> bool:
    if not assessments_visible_to(user=user).filter(pk=assessment.pk).exists():
        return True
    return case.shared_only and not policies.may_see_internal(user, assessment)


@pytest.mark.parametrize(
    ("action", "state"),
    [(action, state) for action, case in CASES.items() for state in case.states],
)
def test_policy_page_and_api_agree(world, action, state):
    case = CASES[action]
    page_url = _url(case.page, case, world)
    api_url = _url(case.api, case, world) if case.api else None
    problems = []
    for role in ROLES:
        user, client = world.people[role], world.clients[role]
        assessment = _set_state(world, state)
        decision = case.decision(user, assessment, world)
        hidden = _hidden(user, assessment, case)
        answers = {"page": client.post(page_url, case.post or {})}
        if api_url:
            _set_state(world, state)  # an allowed page post may have moved it on
            answers["api"] = client.post(api_url, case.post or {}, content_type="application/json")
        for where, response in answers.items():
            got = response.status_code
            if hidden:
                ok = got == HTTPStatus.NOT_FOUND
            elif decision:
                ok = got not in REFUSED
            else:
                body = response.content.decode()
                shown = (
                    response.json().get("detail") == decision.message
                    if where == "api"
                    else escape(decision.message) in body
                )
                ok = got == HTTPStatus.FORBIDDEN and shown
            if not ok:
                expected = "404" if hidden else "allowed" if decision else f"403 {decision.message}"
                problems.append(f"{role} {where}: expected {expected}, got {got}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_scheduling_an_assessment(world, role):
    user, client = world.people[role], world.clients[role]
    decision = policies.may_create_assessment(user)
    page = client.post(reverse("assessments:assessment_create"), {})
    api = client.post(reverse("api:assessment-list"), {}, content_type="application/json")
    assert bool(decision) is (role in ("assessor_on_team", "assessor_off_team", "admin"))
    if decision:
        assert page.status_code == HTTPStatus.OK  # the form's errors
        assert api.status_code == HTTPStatus.BAD_REQUEST
    else:
        assert page.status_code == api.status_code == HTTPStatus.FORBIDDEN
        assert escape(decision.message) in page.content.decode()
        assert api.json()["detail"] == decision.message


def test_a_late_challenge_gets_one_refusal_everywhere(world):
    """The service, the page and the API say the same once the deadline has passed."""
    assessment = _set_state(world, FA_CLOSED)
    trust = world.people["trust_own"]
    message = policies.may_raise_challenge(trust, assessment).message
    assert message.startswith("The deadline for factual-accuracy challenges was")
    case = CASES["raise_challenge"]
    page = world.clients["trust_own"].post(_url(case.page, case, world), {})
    api = world.clients["trust_own"].post(
        _url(case.api, case, world), {}, content_type="application/json"
    )
    assert escape(message) in page.content.decode()
    assert api.json()["detail"] == message
    with pytest.raises(PermissionDenied, match=re.escape(message)):
        fa_services.challenge_raise(
            assessment=assessment,
            actor=trust,
            kind=Challenge.Kind.TYPING,
            section="Finance",
            passage="12%",
            correction="2%",
            reason="A typing error",
        )
