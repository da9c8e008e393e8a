"""Each well-led write asks one policy, and its page and API endpoint give the same answer.

For every role (and, for a self-review, draft or signed off) the test asks the predicate and
then posts an empty body to the page and the API endpoint: an allowed post gets as far as the
form or the serializer (200, 302 or 400), a refused one is 403 with the policy's message, and
a page about another trust is 404 before any policy is asked.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.html import escape

from metrics.models import Role
from tests.factories import (
    DevelopmentalReviewFactory,
    SelfReviewFactory,
    TrustFactory,
    UserFactory,
    WellLedActionFactory,
)
from wellled import policies
from wellled.models import SelfReview

pytestmark = pytest.mark.django_db

ROLES = ["admin", "assessor", "qa", "cqc", "trust_own", "trust_other"]
NHSI = frozenset({"admin", "assessor", "qa"})
CQC = frozenset({"cqc"})
TRUST_OWN = frozenset({"trust_own"})
EVERYONE = frozenset(ROLES)
NOBODY = frozenset()


@dataclass
class World:
    """One trust's well-led records, and a user of each role (two trusts' users)."""

    trust: object
    users: dict
    draft: SelfReview
    signed_off: SelfReview
    dev_review: object
    action: object

    def self_review(self, state: str) -> SelfReview:
        return self.signed_off if state == "signed_off" else self.draft


@pytest.fixture
def world():
    trust = TrustFactory(ods_code="RWL")
    other = TrustFactory(ods_code="ROT")
    users = {
        role: UserFactory(username=f"p-{role}", role=role)
        for role in (Role.ADMIN, Role.ASSESSOR, Role.QA, Role.CQC)
    }
    users["trust_own"] = UserFactory(username="p-own", role=Role.TRUST, trust=trust)
    users["trust_other"] = UserFactory(username="p-other", role=Role.TRUST, trust=other)
    draft = SelfReviewFactory(trust=trust, created_by=users["trust_own"])
    signed_off = SelfReviewFactory(
        trust=trust,
        created_by=users["trust_own"],
        status=SelfReview.Status.SIGNED_OFF,
        signed_off_on=datetime.date(2026, 1, 5),
        signed_off_by_name="Chair of the board",
    )
    dev_review = DevelopmentalReviewFactory(trust=trust, created_by=users["trust_own"])
    action = WellLedActionFactory(developmental_review=dev_review)
    return World(trust, users, draft, signed_off, dev_review, action)


@dataclass(frozen=True)
class Case:
    """One write: its policy, its page and API endpoint, and whom it lets through."""

    name: str
    policy: Callable  # (user, world, state) -> Decision, about the page's object
    allowed: frozenset  # the roles the policy lets through (written out, so changes show)
    page: Callable | None = None  # (world, state) -> URL of the page taking the post
    api: Callable | None = None  # (world, state) -> URL of the API endpoint
    # An API create records for the caller's own trust, so it asks about that one (user ->
    # Decision); None: the API asks `policy` about the page's object.
    api_policy: Callable | None = None
    state: str = ""


def self_review_cases(state: str, allowed: frozenset) -> list[Case]:
    return [
        Case(
            "edit_self_review",
            lambda u, w, s: policies.may_edit_self_review(u, w.self_review(s)),
            allowed,
            page=lambda w, s: reverse(
                "wellled:selfreview_entry",
                kwargs={"pk": w.self_review(s).pk, "code": "leadership_capacity"},
            ),
            api=lambda w, s: reverse("wellled-api:selfreview-entry", args=[w.self_review(s).pk]),
            state=state,
        ),
        Case(
            "sign_off_self_review",
            lambda u, w, s: policies.may_sign_off_self_review(u, w.self_review(s)),
            allowed,
            page=lambda w, s: reverse("wellled:selfreview_signoff", args=[w.self_review(s).pk]),
            api=lambda w, s: reverse("wellled-api:selfreview-sign-off", args=[w.self_review(s).pk]),
            state=state,
        ),
        Case(
            "print_self_review",
            lambda u, w, s: policies.may_print_self_review(u, w.self_review(s)),
            EVERYONE - {"trust_other"},  # another trust's users never see it (404)
            page=lambda w, s: reverse("wellled:selfreview_reports", args=[w.self_review(s).pk]),
            state=state,
        ),
    ]


CASES = [
    Case(
        "create_self_review",
        lambda u, w, s: policies.may_create_self_review(u, w.trust),
        TRUST_OWN,
        page=lambda w, s: reverse("wellled:selfreview_create", args=[w.trust.ods_code]),
        api=lambda w, s: reverse("wellled-api:selfreview-list"),
        api_policy=lambda u: policies.may_create_self_review(u, u.trust),
    ),
    *self_review_cases("draft", TRUST_OWN),
    *self_review_cases("signed_off", NOBODY),
    Case(
        "record_developmental_review",
        lambda u, w, s: policies.may_record_developmental_review(u, w.trust),
        TRUST_OWN,
        page=lambda w, s: reverse("wellled:devreview_create", args=[w.trust.ods_code]),
        api=lambda w, s: reverse("wellled-api:developmentalreview-list"),
        api_policy=lambda u: policies.may_record_developmental_review(u, u.trust),
    ),
    Case(
        "edit_developmental_review",
        lambda u, w, s: policies.may_edit_developmental_review(u, w.dev_review),
        TRUST_OWN,
        page=lambda w, s: reverse("wellled:devreview_edit", args=[w.dev_review.pk]),
    ),
    Case(
        "agree_due_date",
        lambda u, w, s: policies.may_agree_due_date(u, w.dev_review),
        NHSI,
        page=lambda w, s: reverse("wellled:devreview_due_date", args=[w.dev_review.pk]),
    ),
    Case(
        "accept_explanation",
        lambda u, w, s: policies.may_accept_explanation(u, w.trust),
        NHSI,
        page=lambda w, s: reverse("wellled:explanation_create", args=[w.trust.ods_code]),
    ),
    Case(
        "create_action",
        lambda u, w, s: policies.may_create_action(u, w.trust),
        TRUST_OWN,
        page=lambda w, s: reverse("wellled:action_create", args=[w.trust.ods_code]),
        api=lambda w, s: reverse("wellled-api:action-list"),
        api_policy=lambda u: policies.may_create_action(u, u.trust),
    ),
    Case(
        "record_progress",
        lambda u, w, s: policies.may_record_progress(u, w.action),
        TRUST_OWN,
        page=lambda w, s: reverse("wellled:action_detail", args=[w.action.pk]),
    ),
    Case(
        "record_wellled_rating",
        lambda u, w, s: policies.may_record_wellled_rating(u, w.trust),
        CQC,
        page=lambda w, s: reverse("wellled:rating_create", args=[w.trust.ods_code]),
        api=lambda w, s: reverse("wellled-api:wellledrating-list"),
        # The trust comes in the body: the API asks before it knows which.
        api_policy=lambda u: policies.may_record_wellled_rating(u),
    ),
    Case(
        "record_segment_decision",
        lambda u, w, s: policies.may_record_segment_decision(u, w.trust),
        NHSI,
        page=lambda w, s: reverse("wellled:segment_create", args=[w.trust.ods_code]),
    ),
]


def case_id(case: Case) -> str:
    return f"{case.name}-{case.state}" if case.state else case.name


def assert_refused(response, decision) -> None:
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert decision.message
    body = response.content.decode()
    assert decision.message in body or escape(decision.message) in body


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_policy_lets_through_exactly_its_roles(world, case, role):
    decision = case.policy(world.users[role], world, case.state)
    # Another trust's users are refused by the policy too; the pages hide the object first.
    assert bool(decision) is (role in case.allowed and role != "trust_other"), decision.message
    assert bool(decision.message) is not bool(decision)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_policies_refuse_the_signed_out_and_the_inactive(world, case):
    assert not case.policy(AnonymousUser(), world, case.state)
    inactive = UserFactory(role=Role.TRUST, trust=world.trust, is_active=False)
    assert not case.policy(inactive, world, case.state)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", [c for c in CASES if c.page], ids=case_id)
def test_page_answers_a_post_as_the_policy_does(client, world, case, role):
    user = world.users[role]
    client.force_login(user)
    response = client.post(case.page(world, case.state), data={})
    if role == "trust_other":
        # The object is another trust's: the selectors hide it before the policy is asked.
        assert response.status_code == HTTPStatus.NOT_FOUND
        return
    decision = case.policy(user, world, case.state)
    if decision:
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    else:
        assert_refused(response, decision)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", [c for c in CASES if c.api], ids=case_id)
def test_api_answers_a_post_as_the_policy_does(client, world, case, role):
    user = world.users[role]
    client.force_login(user)
    response = client.post(case.api(world, case.state), data={}, content_type="application/json")
    if case.api_policy is None:
        if role == "trust_other":
            # An endpoint of another trust's object: hidden by the selectors, as on the page.
            assert response.status_code == HTTPStatus.NOT_FOUND
            return
        decision = case.policy(user, world, case.state)
    else:
        decision = case.api_policy(user)
    if decision:
        # Allowed: the empty body reaches the serializer, which asks for the fields.
        assert response.status_code == HTTPStatus.BAD_REQUEST
    else:
        assert_refused(response, decision)
        assert response.json()["detail"] == decision.message


@pytest.mark.parametrize("role", ROLES)
def test_oversight_page_and_api_follow_the_policy(client, world, role):
    user = world.users[role]
    client.force_login(user)
    decision = policies.may_see_oversight(user)
    assert bool(decision) is (role in NHSI)
    for url in (reverse("wellled:oversight"), reverse("wellled-api:oversight-list")):
        response = client.get(url)
        if decision:
            assert response.status_code == HTTPStatus.OK
        else:
            assert_refused(response, decision)


@pytest.mark.parametrize("role", ROLES[:-1])
def test_trust_page_buttons_follow_the_policies(client, world, role):
    user = world.users[role]
    client.force_login(user)
    body = client.get(reverse("wellled:trust_detail", args=[world.trust.ods_code])).content
    body = body.decode()
    links = {
        "wellled:selfreview_create": policies.may_create_self_review(user, world.trust),
        "wellled:devreview_create": policies.may_record_developmental_review(user, world.trust),
        "wellled:action_create": policies.may_create_action(user, world.trust),
        "wellled:rating_create": policies.may_record_wellled_rating(user, world.trust),
        "wellled:segment_create": policies.may_record_segment_decision(user, world.trust),
    }
    for route, decision in links.items():
        assert (reverse(route, args=[world.trust.ods_code]) in body) is bool(decision), route
    assert (reverse("wellled:oversight") in body) is bool(policies.may_see_oversight(user))


@pytest.mark.parametrize("state", ["draft", "signed_off"])
@pytest.mark.parametrize("role", ROLES[:-1])
def test_self_review_buttons_follow_the_policies(client, world, role, state):
    user = world.users[role]
    client.force_login(user)
    review = world.self_review(state)
    body = client.get(review.get_absolute_url()).content.decode()
    signoff = reverse("wellled:selfreview_signoff", args=[review.pk])
    assert (signoff in body) is bool(policies.may_sign_off_self_review(user, review))
