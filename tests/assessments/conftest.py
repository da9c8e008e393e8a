"""Fixtures of the assessment page tests: an assessment of `trust` and its people."""

import pytest

from metrics.models import Role
from tests.factories import AssessmentFactory, TrustFactory, UserFactory


@pytest.fixture
def people(trust):
    return {
        "lead": UserFactory(username="lead", role=Role.ASSESSOR),
        "member": UserFactory(username="member", role=Role.ASSESSOR),
        "outsider": UserFactory(username="outsider", role=Role.ASSESSOR),
        "qa": UserFactory(username="qa", role=Role.QA),
        "admin": UserFactory(username="admin", role=Role.ADMIN),
        "trust": UserFactory(username="trusty", role=Role.TRUST, trust=trust),
        "trust2": UserFactory(username="trusty2", role=Role.TRUST, trust=trust),
        "other_trust": UserFactory(
            username="othertrust", role=Role.TRUST, trust=TrustFactory(ods_code="RZZ")
        ),
    }


@pytest.fixture
def assessment(trust, people):
    assessment = AssessmentFactory(trust=trust, lead=people["lead"])
    assessment.members.add(people["member"])
    return assessment
