"""The home to-do list asks the policies and the workflow which steps each person may take."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.home import home_tasks_for
from assessments.models import Status
from metrics.models import Role
from tests.assessments.page_helpers import set_status
from tests.factories import AssessmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def titles(user) -> list[str]:
    return [task.title for task in home_tasks_for(user=user)]


def test_the_team_prepares_the_visit_and_only_the_lead_shares_the_draft(assessment, people):
    for who in ("lead", "member"):
        assert any("Prepare the site visit" in t for t in titles(people[who]))
    assert not any("Prepare the site visit" in t for t in titles(people["outsider"]))
    set_status(assessment, Status.DRAFT_REPORT)
    assert any("share the draft report" in t for t in titles(people["lead"]))
    assert not any("share the draft report" in t for t in titles(people["member"]))


def test_the_trust_is_asked_to_challenge_only_while_it_may(assessment, people):
    set_status(assessment, Status.FACTUAL_ACCURACY)
    assert any("factual-accuracy challenges" in t for t in titles(people["trust"]))
    assessment.fa_deadlines.create(
        deadline=timezone.localdate() - datetime.timedelta(days=1),
        reason="Ten working days.",
        set_by=people["lead"],
    )
    assert not any("factual-accuracy challenges" in t for t in titles(people["trust"]))
    assert not any("factual-accuracy challenges" in t for t in titles(people["other_trust"]))


def test_cqc_and_qa_see_their_steps_or_that_nothing_awaits_them(assessment, people):
    cqc = UserFactory(username="cqc", role=Role.CQC)
    assert titles(cqc) == ["Nothing awaits CQC review"]
    assert titles(people["qa"]) == ["Nothing awaits QA"]
    set_status(assessment, Status.QA_REVIEW)
    ratify = f"{assessment.trust.name}: ratify or return the proposed rating"
    assert titles(people["qa"]) == [ratify]
    set_status(assessment, Status.CQC_REVIEW)
    assert titles(cqc) == [f"{assessment.trust.name}: CQC review"]


def test_the_home_page_asks_the_same_queries_for_two_assessments_as_for_eight(client):
    """The team's members come with the assessments: every policy reads them without a query."""
    lead = UserFactory(role=Role.ASSESSOR)
    member = UserFactory(role=Role.ASSESSOR)

    def assessments(count):
        for _ in range(count):
            AssessmentFactory(lead=lead).members.add(member)

    def home_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    client.force_login(member)
    assessments(2)
    for_two = home_queries()
    assessments(6)
    assert home_queries() == for_two
