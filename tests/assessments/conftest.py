"""Fixtures of the assessment page tests: an assessment of `trust` and its people."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import FactualAccuracyDeadline, Status
from metrics.models import Role
from tests.assessments.page_helpers import set_status
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


@pytest.fixture
def shared(assessment, people):
    """The assessment with its draft shared: the trust may raise challenges for 14 days."""
    set_status(assessment, Status.FACTUAL_ACCURACY)
    FactualAccuracyDeadline.objects.create(
        assessment=assessment,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        reason="Ten working days",
        set_by=people["lead"],
    )
    return assessment
