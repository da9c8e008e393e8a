"""Closing the factual-accuracy check before the trust's deadline needs the trust's word that
it has no more challenges, or the lead's recorded reason, and the trust is told; an answer
can be sent back from its sign-off page with a reason, and the team is told."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import escape

from assessments.factual_accuracy import views as fa_views
from assessments.factual_accuracy.closing import EARLY_CLOSE_REASON
from assessments.factual_accuracy.services import challenge_answer, challenge_send_back
from assessments.models import Challenge, NoMoreChallenges, Status
from assessments.policies import may_raise_challenge
from assessments.refusals import CHALLENGES_DONE
from assessments.views import actions
from assessments.workflow import TransitionRefused, assessment_transition
from metrics.models import Role, User
from tests.assessments.page_helpers import signed_in, url
from tests.assessments.test_review import raise_one, to_factual_accuracy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CLOSE = "close_factual_accuracy"


@pytest.fixture
def nhsi(people):
    return {**people, "cqc": UserFactory(username="cqc", role=Role.CQC)}


@pytest.fixture
def checking(assessment, nhsi, django_capture_on_commit_callbacks):
    """A shared draft, its deadline ten working days ahead, no challenge raised."""
    shared = to_factual_accuracy(assessment, nhsi["lead"], django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return shared


def close_url(assessment) -> str:
    return url("assessment_transition", assessment, action=CLOSE)


def test_closing_early_without_the_trusts_word_needs_a_reason(checking, nhsi):
    deadline = checking.fa_deadlines.get().deadline
    lead = signed_in(nhsi["lead"])
    page = lead.get(close_url(checking)).content.decode()
    assert "Why are you closing the check before the deadline?" in page
    assert "the trust has not confirmed that it has no more challenges" in page
    refused = lead.post(close_url(checking), {"note": ""})
    assert refused.status_code == HTTPStatus.OK
    assert escape(EARLY_CLOSE_REASON.format(deadline=deadline)) in refused.content.decode()
    checking.refresh_from_db()
    assert checking.status == Status.FACTUAL_ACCURACY
    with pytest.raises(TransitionRefused):
        assessment_transition(assessment=checking, action=CLOSE, actor=nhsi["lead"])


def test_closing_early_with_a_reason_records_it_and_tells_the_trust(
    checking, nhsi, django_capture_on_commit_callbacks
):
    User.objects.filter(pk__in=[nhsi["trust"].pk, nhsi["trust2"].pk]).update(is_trust_contact=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(nhsi["lead"]).post(
            close_url(checking),
            {"note": "The trust said on the phone it has no more."},
            follow=True,
        )
    assert escape(actions.CLOSED_EARLY) in response.content.decode()
    checking.refresh_from_db()
    assert checking.status == Status.CQC_REVIEW
    step = checking.transitions.get(action=CLOSE)
    assert step.note == "The trust said on the phone it has no more."
    told = {m.to[0] for m in mail.outbox if "closed before its deadline" in m.subject}
    assert told == {nhsi["trust"].email, nhsi["trust2"].email}
    # The trust reads the reason on the assessment page.
    page = signed_in(nhsi["trust"]).get(checking.get_absolute_url()).content.decode()
    assert "closed the factual-accuracy check" in page
    assert "The trust said on the phone it has no more." in page


def test_the_trusts_word_lets_the_lead_close_early_without_a_reason(
    checking, nhsi, django_capture_on_commit_callbacks
):
    trust = signed_in(nhsi["trust"])
    challenges = trust.get(url("challenge_list", checking)).content.decode()
    assert "We have no more challenges" in challenges
    check = trust.get(url("no_more_challenges", checking)).content.decode()
    assert "You cannot raise another challenge after confirming." in check
    assert not NoMoreChallenges.objects.exists()  # nothing until the trust confirms
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = trust.post(url("no_more_challenges", checking), follow=True)
    assert escape(fa_views.NO_MORE) in confirmed.content.decode()
    assert NoMoreChallenges.objects.get().confirmed_by == nhsi["trust"]
    assert {m.to[0] for m in mail.outbox} == {nhsi["lead"].email, nhsi["member"].email}
    # The trust raises no more; the lead closes without a reason.
    checking.refresh_from_db()
    refusal = may_raise_challenge(nhsi["trust"], checking)
    assert not refusal
    assert refusal.message.startswith(CHALLENGES_DONE.split("{")[0])
    lead = signed_in(nhsi["lead"])
    page = lead.get(close_url(checking)).content.decode()
    assert 'name="note"' not in page
    assert "The trust confirmed on" in page
    assert lead.post(close_url(checking)).status_code == HTTPStatus.FOUND
    checking.refresh_from_db()
    assert checking.status == Status.CQC_REVIEW


def test_after_the_deadline_no_reason_is_needed_and_the_trust_is_not_told_of_an_early_close(
    checking, nhsi, django_capture_on_commit_callbacks
):
    checking.fa_deadlines.update(deadline=datetime.date(2020, 1, 6))
    assert 'name="note"' not in signed_in(nhsi["lead"]).get(close_url(checking)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assessment_transition(assessment=checking, action=CLOSE, actor=nhsi["lead"])
    assert not [m for m in mail.outbox if "before its deadline" in m.subject]


def test_an_answer_is_sent_back_from_its_sign_off_page_with_a_reason(
    checking, nhsi, django_capture_on_commit_callbacks
):
    challenge = raise_one(checking, nhsi["trust"])
    challenge_answer(challenge=challenge, actor=nhsi["lead"], outcome="accepted", response="Yes.")
    qa = signed_in(nhsi["qa"])
    sign_off_url = url("challenge_sign_off", checking, challenge_pk=challenge.pk)
    page = qa.get(sign_off_url).content.decode()
    # Signing off is the way on (primary); sending back the way back (secondary).
    assert re.search(r'class="govuk-button"[^>]*id="sign-off-submit"', page)
    assert re.search(r'class="govuk-button govuk-button--secondary"[^>]*id="send-back', page)
    empty = qa.post(sign_off_url, {"decision": "send_back", "reason": " "})
    assert empty.status_code == HTTPStatus.OK
    assert "Give the reason for sending the answer back" in empty.content.decode()
    assert Challenge.objects.get().outcome == "accepted"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = qa.post(
            sign_off_url,
            {"decision": "send_back", "reason": "Say which ledger shows 2%."},
            follow=True,
        )
    assert escape(fa_views.SENT_BACK.format(number=1)) in sent.content.decode()
    back = Challenge.objects.get()
    assert (back.outcome, back.response, back.signed_off_at) == ("", "Yes.", None)
    assert {m.to[0] for m in mail.outbox} == {nhsi["lead"].email, nhsi["member"].email}
    # The team reads the reason where it redrafts; the trust does not see it.
    answer_page = signed_in(nhsi["lead"]).get(
        url("challenge_answer", checking, challenge_pk=challenge.pk)
    )
    assert "Say which ledger shows 2%." in answer_page.content.decode()
    trust_list = signed_in(nhsi["trust"]).get(url("challenge_list", checking)).content.decode()
    assert "Say which ledger shows 2%." not in trust_list


def test_an_unanswered_or_signed_off_answer_cannot_be_sent_back(checking, nhsi):
    challenge = raise_one(checking, nhsi["trust"])
    with pytest.raises(ValidationError, match="no answer to sign off"):
        challenge_send_back(challenge=challenge, actor=nhsi["qa"], reason="Why?")
    challenge_answer(challenge=challenge, actor=nhsi["lead"], outcome="accepted", response="Yes.")
    with pytest.raises(PermissionDenied, match="not on the assessment team"):
        challenge_send_back(challenge=challenge, actor=nhsi["lead"], reason="Mine.")
