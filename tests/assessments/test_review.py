"""Factual accuracy, CQC's discussion and combined rating, freezing, publishing, review
requests and the e-mails at each hand-over (services; the pages and API have their own)."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments import deadlines
from assessments.cqc_review import selectors as cqc_selectors
from assessments.cqc_review import services as cqc_services
from assessments.cqc_review.services import (
    PRINCIPLE_GOOD,
    PRINCIPLE_INADEQUATE,
    PRINCIPLE_ONE_INADEQUATE,
    PRINCIPLE_OUTSTANDING,
    PRINCIPLE_THREE_RI,
    combined_rating_propose,
)
from assessments.factual_accuracy import services as fa_services
from assessments.factual_accuracy.services import (
    CHALLENGE_TO_RATING,
    CHALLENGES_OUTSTANDING,
    challenge_answer,
    challenge_raise,
    challenge_sign_off,
)
from assessments.models import (
    Challenge,
    EvidenceRevision,
    KloeRating,
    PublishedRating,
    ReportVersion,
    Status,
)
from assessments.policies import may_read_answer
from assessments.publication import selectors as publication_selectors
from assessments.publication import services as publication_services
from assessments.refusals import (
    CHALLENGES_CLOSED,
    EVIDENCE_CLOSED,
    RATINGS_CLOSED,
    SIGN_OFF_NOT_YOURS,
)
from assessments.services import evidence_update, rating_propose
from assessments.workflow import TransitionRefused, assessment_transition
from assessments.working_days import working_days_after
from core.ratings import Rating
from metrics.models import Role, User
from tests.factories import PDF_BYTES, EvidenceFactory, UserFactory

# The draft was shared today: closing the check now, before the deadline, needs a reason.
EARLY = "The trust told us by telephone that it has no more challenges."

pytestmark = pytest.mark.django_db

OU, G, RI, IN = Rating.OUTSTANDING, Rating.GOOD, Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE


@pytest.mark.parametrize(
    ("ratings", "expected", "principle"),
    [
        ([OU, OU, G, G, G, G], OU, PRINCIPLE_OUTSTANDING),  # exactly two outstanding, rest good
        ([OU, OU, OU, OU, OU, OU], OU, PRINCIPLE_OUTSTANDING),
        ([OU, OU, G, G, G, RI], G, PRINCIPLE_GOOD),  # two outstanding but one RI
        ([OU, G, G, G, G, G], G, PRINCIPLE_GOOD),  # one outstanding is not enough
        ([G, G, G, G, RI, RI], G, PRINCIPLE_GOOD),  # two RI: six ratings need three
        ([G, G, G, RI, RI, RI], RI, PRINCIPLE_THREE_RI),  # three RI
        ([OU, OU, OU, RI, RI, RI], RI, PRINCIPLE_THREE_RI),
        ([OU, OU, G, G, G, IN], RI, PRINCIPLE_ONE_INADEQUATE),  # one inadequate
        ([G, G, G, G, G, IN], RI, PRINCIPLE_ONE_INADEQUATE),
        ([G, G, G, G, IN, IN], IN, PRINCIPLE_INADEQUATE),  # two inadequate
        ([RI, RI, RI, IN, IN, IN], IN, PRINCIPLE_INADEQUATE),
        ([G, G, G, G, G, G], G, PRINCIPLE_GOOD),
    ],
)
def test_combined_rating_follows_cqcs_aggregation_principles(ratings, expected, principle):
    proposal = combined_rating_propose(ratings)
    assert (proposal.rating, proposal.principle) == (expected, principle)


def test_combined_rating_needs_six_ratings_on_the_scale():
    with pytest.raises(ValueError, match="six ratings"):
        combined_rating_propose([G, G, G])
    with pytest.raises(ValueError, match="six ratings"):
        combined_rating_propose([G, G, G, G, G, 5])


@pytest.mark.parametrize(
    ("shared", "deadline"),
    [
        (datetime.date(2026, 11, 23), datetime.date(2026, 12, 7)),  # plain fortnight
        (datetime.date(2026, 12, 18), datetime.date(2027, 1, 6)),  # 25, 28 Dec and 1 Jan
        (datetime.date(2027, 3, 19), datetime.date(2027, 4, 6)),  # Good Friday, Easter Monday
        (datetime.date(2025, 8, 22), datetime.date(2025, 9, 8)),  # summer bank holiday
        # Past the end of any hand-kept list: the holidays package knows these years too.
        (datetime.date(2029, 12, 14), datetime.date(2030, 1, 2)),  # 25, 26 Dec and 1 Jan
        (datetime.date(2031, 4, 4), datetime.date(2031, 4, 22)),  # Good Friday, Easter Monday
    ],
)
def test_the_deadline_is_ten_working_days_in_england(shared, deadline):
    assert working_days_after(shared, 10) == deadline


@pytest.fixture
def nhsi(people):
    return {**people, "cqc": UserFactory(username="cqc", role=Role.CQC, email="cqc@cqc.invalid")}


def to_factual_accuracy(assessment, lead, captured):
    """Rate and render a draft, then share it as the lead assessor."""
    kloes = list(assessment.framework.kloes.order_by("number"))
    for kloe in kloes:
        EvidenceFactory(assessment=assessment, kloe=kloe)
    for kloe in [*kloes, None]:
        KloeRating.objects.create(
            assessment=assessment, kloe=kloe, rating=2, rationale="Because.", updated_by=lead
        )
    ReportVersion.objects.create(
        assessment=assessment,
        kind="draft",
        number=1,
        status="ready",
        pdf=PDF_BYTES,
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
    )
    assessment.status = Status.DRAFT_REPORT
    assessment.save()
    with captured(execute=True):
        assessment_transition(assessment=assessment, action="share_draft", actor=lead)
    assessment.refresh_from_db()
    return assessment


def raise_one(assessment, trust_user, **overrides):
    values = {
        "kind": Challenge.Kind.TYPING,
        "target": Challenge.Target.SUMMARY,
        "section": "Finance",
        "passage": "Agency spend is 12%",
        "correction": "Agency spend is 2%",
        "reason": "A typing error",
    }
    return challenge_raise(assessment=assessment, actor=trust_user, **{**values, **overrides})


def test_sharing_sets_the_deadline_and_emails_the_trust(
    assessment, nhsi, django_capture_on_commit_callbacks
):
    # Only the trust's contacts hear of it (trusty2 is not one), and CQC, for information.
    nhsi["trust"].email = "trust@nhs.invalid"
    nhsi["trust"].is_trust_contact = True
    nhsi["trust"].save()
    moved = to_factual_accuracy(assessment, nhsi["lead"], django_capture_on_commit_callbacks)
    current = deadlines.fa_deadline_current(moved)
    assert current.deadline == working_days_after(timezone.localdate(), 10)
    assert sorted(m.to[0] for m in mail.outbox) == ["cqc@cqc.invalid", "trust@nhs.invalid"]
    assert "Draft Use of Resources report shared" in mail.outbox[0].subject
    assert f"{current.deadline:%d %B %Y}" in mail.outbox[0].body


def test_a_challenge_to_the_rating_is_refused_with_the_reason(
    assessment, nhsi, django_capture_on_commit_callbacks
):
    to_factual_accuracy(assessment, nhsi["lead"], django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        raise_one(assessment, nhsi["trust"], about_rating=True)
    assert refused.value.messages == [CHALLENGE_TO_RATING]
    assert "cannot challenge the rating" in CHALLENGE_TO_RATING
    assert not Challenge.objects.exists()


def test_an_inaccurate_fact_needs_the_finding(assessment, nhsi, django_capture_on_commit_callbacks):
    to_factual_accuracy(assessment, nhsi["lead"], django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        raise_one(assessment, nhsi["trust"], kind=Challenge.Kind.INACCURATE, target="")
    assert "evidence" in refused.value.message_dict


def test_after_the_deadline_the_trust_cannot_raise_challenges(
    assessment, nhsi, django_capture_on_commit_callbacks
):
    to_factual_accuracy(assessment, nhsi["lead"], django_capture_on_commit_callbacks)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assessment.fa_deadlines.update(deadline=yesterday)
    with pytest.raises(PermissionDenied) as refused:
        raise_one(assessment, nhsi["trust"])
    assert str(refused.value) == CHALLENGES_CLOSED.format(deadline=yesterday)
    # The lead extends it, with a reason that is kept.
    fa_services.fa_deadline_set(
        assessment=assessment,
        actor=nhsi["lead"],
        deadline=timezone.localdate(),
        reason="The trust's director of finance was away.",
    )
    assert raise_one(assessment, nhsi["trust"]).number == 1
    assert assessment.fa_deadlines.count() == 2
    with pytest.raises(PermissionDenied):
        fa_services.fa_deadline_set(
            assessment=assessment, actor=nhsi["member"], deadline=yesterday, reason="x"
        )


def test_answers_are_signed_off_by_nhsi_outside_the_team_before_the_trust_sees_them(
    assessment, nhsi, django_capture_on_commit_callbacks
):
    to_factual_accuracy(assessment, nhsi["lead"], django_capture_on_commit_callbacks)
    evidence = assessment.evidence.first()
    challenge = raise_one(
        assessment, nhsi["trust"], kind=Challenge.Kind.INACCURATE, evidence=evidence, target=""
    )
    with pytest.raises(TransitionRefused) as refused:
        assessment_transition(
            assessment=assessment, action="close_factual_accuracy", actor=nhsi["lead"], note=EARLY
        )
    assert refused.value.messages == [CHALLENGES_OUTSTANDING.format(numbers="1")]
    with pytest.raises(PermissionDenied):
        challenge_answer(challenge=challenge, actor=nhsi["trust"], outcome="accepted", response="x")
    answered = challenge_answer(
        challenge=challenge, actor=nhsi["member"], outcome="accepted", response="Corrected."
    )
    assert not may_read_answer(nhsi["trust"], answered)
    # NOTE: an assessor off the team cannot see the assessment, so cannot sign off either.
    for insider in (nhsi["lead"], nhsi["member"], nhsi["outsider"], nhsi["cqc"], nhsi["trust"]):
        with pytest.raises(PermissionDenied, match=SIGN_OFF_NOT_YOURS[:30]):
            challenge_sign_off(challenge=answered, actor=insider)
    # Accepting obliges the team to resolve it: the finding is corrected, the old text kept.
    fa_services.challenge_resolve(
        challenge=answered,
        actor=nhsi["member"],
        resolution=Challenge.Resolution.CHANGED,
        text="Agency spend is 2% of pay.",
    )
    evidence.refresh_from_db()
    assert evidence.text == "Agency spend is 2% of pay."
    assert EvidenceRevision.objects.get(evidence=evidence).snapshot["text"] != evidence.text
    signed = challenge_sign_off(challenge=answered, actor=nhsi["qa"])
    assert may_read_answer(nhsi["trust"], signed)
    moved = assessment_transition(
        assessment=assessment, action="close_factual_accuracy", actor=nhsi["lead"], note=EARLY
    )
    assert moved.status == Status.CQC_REVIEW


QUALITY = {
    **dict.fromkeys(cqc_services.QUALITY_FIELDS, Rating.GOOD),
    **{f"{f}_date": datetime.date(2026, 5, 1) for f in cqc_services.QUALITY_FIELDS},
    "safe": Rating.OUTSTANDING,
    "caring": Rating.OUTSTANDING,
}


def finalise(assessment, nhsi, captured):
    """Close the check; CQC records the quality ratings, then accepts the rating."""
    to_factual_accuracy(assessment, nhsi["lead"], captured)
    assessment_transition(
        assessment=assessment, action="close_factual_accuracy", actor=nhsi["lead"], note=EARLY
    )
    assessment.refresh_from_db()
    cqc_services.quality_ratings_record(assessment=assessment, actor=nhsi["cqc"], ratings=QUALITY)
    with captured(execute=True):
        assessment_transition(
            assessment=assessment,
            action="accept_rating",
            actor=nhsi["cqc"],
            data={"publication_date": timezone.localdate()},
        )
    assessment.refresh_from_db()
    return assessment


def test_a_finalised_assessment_refuses_every_edit(
    assessment, nhsi, django_capture_on_commit_callbacks
):
    finalise(assessment, nhsi, django_capture_on_commit_callbacks)
    evidence = assessment.evidence.first()
    with pytest.raises(PermissionDenied, match=EVIDENCE_CLOSED):
        evidence_update(
            evidence=evidence,
            actor=nhsi["lead"],
            version=evidence.version,
            kloe=evidence.kloe,
            source=evidence.source,
            finding=evidence.finding,
            text="changed",
        )
    with pytest.raises(PermissionDenied, match=RATINGS_CLOSED):
        rating_propose(
            assessment=assessment, actor=nhsi["lead"], kloe=None, rating=1, rationale="x"
        )
    with pytest.raises(PermissionDenied):
        raise_one(assessment, nhsi["trust"])
    with pytest.raises(PermissionDenied):
        cqc_services.discussion_post(assessment=assessment, actor=nhsi["cqc"], text="late")


def test_finalising_renders_the_final_report_and_publishing_lists_the_rating(
    assessment, nhsi, django_capture_on_commit_callbacks, settings
):
    finalise(assessment, nhsi, django_capture_on_commit_callbacks)
    final = assessment.reports.get(kind="final")
    assert final.requested_by == nhsi["cqc"]
    assert assessment.quality_ratings.combined == Rating.OUTSTANDING
    # Once finalised the report is rendered: the quality ratings can no longer change.
    with pytest.raises(PermissionDenied):
        cqc_services.quality_ratings_record(
            assessment=assessment,
            actor=nhsi["cqc"],
            ratings={
                **dict.fromkeys(cqc_services.QUALITY_FIELDS, Rating.GOOD),
                **{f"{f}_date": datetime.date(2026, 5, 1) for f in cqc_services.QUALITY_FIELDS},
            },
            combined=Rating.REQUIRES_IMPROVEMENT,
        )
    with django_capture_on_commit_callbacks(execute=True):
        assessment_transition(assessment=assessment, action="publish", actor=nhsi["cqc"])
    listed = publication_selectors.published_ratings().get()
    assert (listed.rating, listed.combined) == (Rating.GOOD, Rating.OUTSTANDING)


def test_a_review_request_once_within_15_working_days_and_a_changed_rating_is_a_new_version(
    assessment, nhsi, django_capture_on_commit_callbacks
):
    finalise(assessment, nhsi, django_capture_on_commit_callbacks)
    assessment = assessment_transition(assessment=assessment, action="publish", actor=nhsi["cqc"])
    too_long = "word " * 501
    with pytest.raises(ValidationError):
        publication_services.review_request_create(
            assessment=assessment, actor=nhsi["trust"], grounds=too_long
        )
    request = publication_services.review_request_create(
        assessment=assessment, actor=nhsi["trust"], grounds="The visit skipped a session."
    )
    with pytest.raises(PermissionDenied, match="once"):
        publication_services.review_request_create(
            assessment=assessment, actor=nhsi["trust"], grounds="again"
        )
    publication_services.review_request_decide(
        review=request,
        actor=nhsi["cqc"],
        decision="changed",
        note="The session was missed.",
        new_rating=Rating.OUTSTANDING,
    )
    versions = list(PublishedRating.objects.order_by("version").values_list("version", "rating"))
    assert versions == [(1, Rating.GOOD), (2, Rating.OUTSTANDING)]
    assert publication_selectors.published_ratings().get().version == 2


def test_a_review_request_after_15_working_days_is_refused(
    assessment, nhsi, django_capture_on_commit_callbacks
):
    finalise(assessment, nhsi, django_capture_on_commit_callbacks)
    assessment = assessment_transition(assessment=assessment, action="publish", actor=nhsi["cqc"])
    PublishedRating.objects.update(published_at=timezone.now() - datetime.timedelta(days=30))
    with pytest.raises(PermissionDenied, match="15 working days"):
        publication_services.review_request_create(
            assessment=assessment, actor=nhsi["trust"], grounds="late"
        )


def test_dispute_opens_a_thread_for_the_team_and_cqc_only(
    assessment, nhsi, django_capture_on_commit_callbacks
):
    to_factual_accuracy(assessment, nhsi["lead"], django_capture_on_commit_callbacks)
    assessment = assessment_transition(
        assessment=assessment, action="close_factual_accuracy", actor=nhsi["lead"], note=EARLY
    )
    with pytest.raises(PermissionDenied):
        cqc_services.discussion_post(assessment=assessment, actor=nhsi["cqc"], text="too early")
    assessment = assessment_transition(
        assessment=assessment, action="dispute_rating", actor=nhsi["cqc"], note="Finance is RI"
    )
    cqc_services.discussion_post(assessment=assessment, actor=nhsi["cqc"], text="Why good?")
    cqc_services.discussion_post(
        assessment=assessment, actor=nhsi["member"], text="See evidence 3."
    )
    for outsider in (nhsi["trust"], nhsi["outsider"], nhsi["qa"]):
        with pytest.raises(PermissionDenied):
            cqc_services.discussion_post(assessment=assessment, actor=outsider, text="me too")
    thread = cqc_selectors.discussion_for_user(user=nhsi["lead"], assessment=assessment)
    assert [(m.author.username, m.text) for m in thread] == [
        ("cqc", "Why good?"),
        ("member", "See evidence 3."),
    ]
    assert not cqc_selectors.discussion_for_user(user=nhsi["trust"], assessment=assessment).exists()


def test_hand_over_emails_go_to_who_acts_next(assessment, nhsi, django_capture_on_commit_callbacks):
    nhsi["lead"].email = "lead@nhsi.invalid"
    nhsi["lead"].save()
    User.objects.filter(pk=nhsi["trust"].pk).update(is_trust_contact=True)
    to_factual_accuracy(assessment, nhsi["lead"], django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        raise_one(assessment, nhsi["trust"])
    assert {m.subject for m in mail.outbox} == {
        f"Factual-accuracy challenge raised: {assessment.trust.name}"
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@nhsi.invalid", "member@example.invalid"]
    mail.outbox.clear()
    challenge = assessment.challenges.get()
    challenge_answer(challenge=challenge, actor=nhsi["lead"], outcome="not_accepted", response="No")
    challenge_sign_off(challenge=challenge, actor=nhsi["qa"])
    with django_capture_on_commit_callbacks(execute=True):
        assessment_transition(
            assessment=assessment, action="close_factual_accuracy", actor=nhsi["lead"], note=EARLY
        )
    # CQC reviews next; the trust's contacts hear the check closed, and that their time was
    # cut short. A trust user who is not a contact hears nothing.
    name = assessment.trust.name
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("cqc@cqc.invalid", f"Factual-accuracy check closed: {name}"),
        ("trusty@example.invalid", f"Factual-accuracy check closed before its deadline: {name}"),
        ("trusty@example.invalid", f"Factual-accuracy check closed: {name}"),
    ]
