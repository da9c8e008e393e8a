""" "Last changed" on evidence and ratings shows when they were last changed, not created."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from assessments.models import Evidence, KloeRating, Status
from assessments.services import rating_propose
from tests.assessments.page_helpers import set_status, signed_in, url
from tests.factories import EvidenceFactory, visit_held

pytestmark = pytest.mark.django_db

CREATED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
CHANGED = datetime.datetime(2026, 3, 9, 14, 30, tzinfo=datetime.UTC)


def shown(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%-d %b %Y %H:%M}"


def test_evidence_shows_when_it_was_last_changed(assessment, people):
    gathering = visit_held(set_status(assessment, Status.EVIDENCE), days_ago=300)
    with time_machine.travel(CREATED, tick=False):
        evidence = EvidenceFactory(assessment=gathering, text="First wording")
    page_url = url("evidence_detail", gathering, evidence_pk=evidence.pk)
    edit = {"source": evidence.source, "finding": evidence.finding, "text": "Second", "version": 1}
    with time_machine.travel(CHANGED, tick=False):
        signed_in(people["member"]).post(page_url, edit)
    assert Evidence.objects.get().updated_at == CHANGED
    page = signed_in(people["lead"]).get(page_url).content.decode()
    assert f"{shown(CHANGED)} by {people['member']}" in page


def test_a_rating_shows_when_it_was_last_changed(assessment, people):
    gathering = visit_held(set_status(assessment, Status.EVIDENCE), days_ago=300)
    kloe = gathering.framework.kloes.first()
    with time_machine.travel(CREATED, tick=False):
        rating_propose(
            assessment=gathering, kloe=kloe, actor=people["lead"], rating=2, rationale="Good."
        )
    with time_machine.travel(CHANGED, tick=False):
        rating_propose(
            assessment=gathering,
            kloe=kloe,
            actor=people["member"],
            rating=3,
            rationale="Less good.",
            version=1,
        )
    assert KloeRating.objects.get().updated_at == CHANGED
    page = signed_in(people["lead"]).get(url("kloe_workspace", gathering, code=kloe.code))
    assert f"{shown(CHANGED)} by {people['member']}" in page.content.decode()
