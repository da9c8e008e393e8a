"""The metrics policies and the pages they gate give the same answer for every role."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from metrics import policies
from metrics.models import Role
from tests.factories import TrustFactory, UserFactory

pytestmark = pytest.mark.django_db

# (page, the policy that gates it). Pages of one trust use the user's own trust.
GATED_PAGES = [
    ("metrics:trust_list", policies.may_use_service),
    ("metrics:trust_detail", policies.may_use_service),
    ("metrics:metrics_pack", policies.may_use_service),
    ("metrics:finance_scores", policies.may_see_finance_scores),
    ("metrics:trust_load", policies.may_load_trusts),
    ("metrics:metric_load", policies.may_load_metric_values),
    ("metrics:security_log", policies.may_see_security_log),
    ("access_matrix", policies.may_see_access_matrix),
    ("accounts:two_factor_enrol", policies.may_manage_second_factor),
]

# Who each predicate lets through, written out so a change to a role set shows here.
EXPECTED = {
    policies.may_use_service: set(Role),
    policies.may_see_every_trust: {Role.ADMIN, Role.ASSESSOR, Role.QA, Role.CQC},
    policies.may_see_finance_scores: {Role.ADMIN, Role.ASSESSOR, Role.QA, Role.CQC},
    policies.may_load_trusts: {Role.ADMIN},
    policies.may_load_metric_values: {Role.ADMIN},
    policies.may_see_data_loads: {Role.ADMIN},
    policies.may_see_security_log: {Role.ADMIN},
    policies.may_see_access_matrix: {Role.ADMIN},
    policies.may_manage_second_factor: set(Role),
}


def user_of(role):
    trust = TrustFactory() if role == Role.TRUST else None
    return UserFactory(role=role, trust=trust)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("policy", list(EXPECTED), ids=lambda policy: policy.__name__)
def test_each_policy_lets_through_exactly_its_roles(policy, role):
    decision = policy(user_of(role))
    assert bool(decision) is (role in EXPECTED[policy])
    assert decision.message == ("" if decision else policies.ROLE_REFUSED)


@pytest.mark.parametrize("policy", list(EXPECTED), ids=lambda policy: policy.__name__)
def test_policies_refuse_the_signed_out_and_the_inactive(policy):
    assert not policy(AnonymousUser())
    assert not policy(UserFactory(role=Role.ADMIN, is_active=False))


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("page", "policy"), GATED_PAGES, ids=[page for page, _ in GATED_PAGES])
def test_page_answers_as_its_policy_does(client, page, policy, role):
    user = user_of(role)
    client.force_login(user)
    own_trust = user.trust or TrustFactory()
    kwargs = {"ods_code": own_trust.ods_code} if page.endswith(("_detail", "_pack")) else {}
    response = client.get(reverse(page, kwargs=kwargs))
    decision = policy(user)
    if decision:
        assert response.status_code == HTTPStatus.OK
    else:
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert decision.message in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_navigation_and_load_link_follow_the_policies(client, role):
    user = user_of(role)
    client.force_login(user)
    response = client.get(reverse("metrics:trust_list"))
    labels = {item["label"] for item in response.context["nav_items"]}
    assert ("Security log" in labels) is bool(policies.may_see_security_log(user))
    assert ("Access matrix" in labels) is bool(policies.may_see_access_matrix(user))
    assert ("Oversight" in labels) is policies.is_nhsi_member(user)
    assert ("Calibration" in labels) is policies.is_qa_or_admin(user)
    assert ("Finance scores" in labels) is bool(policies.may_see_every_trust(user))
    assert ("Your trust" in labels) is (role == Role.TRUST)
    load_link = reverse("metrics:trust_load")
    assert (load_link in response.content.decode()) is bool(policies.may_load_trusts(user))
