"""Every hand-over of an assessment, walked in order: who is told (a notification row and an
e-mail, the person who acted not among them) and what each person's home list shows before
and after. The steps run on the real services; tasks run when the transaction commits."""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.cqc_review.services import (
    discussion_post,
    quality_ratings_record,
    rationale_revise,
)
from assessments.factual_accuracy.closing import no_more_challenges_confirm
from assessments.factual_accuracy.models import FactualAccuracyDeadline
from assessments.factual_accuracy.services import (
    challenge_answer,
    challenge_raise,
    challenge_sign_off,
)
from assessments.home import home_tasks_for
from assessments.models import Assessment, Challenge, KloeRating, ReportVersion
from assessments.notifications import notify_on_commit
from assessments.publication.models import ReviewRequest
from assessments.publication.services import review_request_create, review_request_decide
from assessments.reports.services import report_fail
from assessments.services import assessment_create
from assessments.workflow import assessment_transition
from metrics.models import Notification, Role
from tests.factories import (
    PDF_BYTES,
    AssessmentFactory,
    CommentaryFactory,
    EvidenceFactory,
    FrameworkFactory,
    UserFactory,
    embargo_ends,
    visit_held,
)

pytestmark = pytest.mark.django_db

QUALITY = {
    **dict.fromkeys(("safe", "effective", "caring", "responsive", "well_led"), 2),
    "overall_quality": 2,
    **{
        f"{name}_date": datetime.date(2026, 5, 1)
        for name in ("safe", "effective", "caring", "responsive", "well_led", "overall_quality")
    },
}


@pytest.fixture
def people(trust):
    return {
        "lead": UserFactory(username="lead", role=Role.ASSESSOR),
        "member": UserFactory(username="member", role=Role.ASSESSOR),
        "qa": UserFactory(username="qa", role=Role.QA),
        "admin": UserFactory(username="admin", role=Role.ADMIN),
        "cqc": UserFactory(username="cqc", role=Role.CQC),
        # The trust's contact (its chief executive) is told; another trust user is not.
        "ceo": UserFactory(username="ceo", role=Role.TRUST, trust=trust, is_trust_contact=True),
        "staff": UserFactory(username="staff", role=Role.TRUST, trust=trust),
    }


class Walk:
    """The assessment being walked and its people."""

    def __init__(self, trust, people):
        self.trust, self.p = trust, people
        self.assessment: Assessment | None = None

    def move(self, action, actor, note="", **data):
        self.assessment = assessment_transition(
            assessment=self.assessment, action=action, actor=self.p[actor], note=note, data=data
        )


def _schedule(w):
    visit = timezone.localdate() + datetime.timedelta(days=40)
    w.assessment = assessment_create(
        trust=w.trust,
        framework=FrameworkFactory(),
        site_visit_date=visit,
        lead=w.p["lead"],
        members=[w.p["member"]],
        created_by=w.p["lead"],
        today=timezone.localdate(),
    )


def _submit(w):
    for kloe in w.assessment.framework.kloes.all():
        CommentaryFactory(assessment=w.assessment, kloe=kloe, updated_by=w.p["ceo"])
    w.move("submit_commentary", "ceo")


def _propose(w):
    w.assessment = visit_held(w.assessment)  # ratings go to QA after the visit
    if not w.assessment.ratings.exists():
        for kloe in w.assessment.framework.kloes.all():
            EvidenceFactory(assessment=w.assessment, kloe=kloe)
        for kloe in [*w.assessment.framework.kloes.all(), None]:
            KloeRating.objects.create(
                assessment=w.assessment,
                kloe=kloe,
                rating=2,
                rationale="Why.",
                updated_by=w.p["lead"],
            )
    w.move("propose_rating", "lead")


def _share(w):
    ReportVersion.objects.create(
        assessment=w.assessment,
        kind="draft",
        number=1,
        status="ready",
        pdf=PDF_BYTES,
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
    )
    w.move("share_draft", "lead")


def _raise(w):
    challenge_raise(
        assessment=w.assessment,
        actor=w.p["ceo"],
        kind=Challenge.Kind.TYPING,
        target=Challenge.Target.SUMMARY,
        section="Summary",
        passage="Agency spend is 12%",
        correction="Agency spend is 2%",
        reason="A typing error",
    )


def _answer(w):
    challenge_answer(
        challenge=w.assessment.challenges.get(),
        actor=w.p["member"],
        outcome="not_accepted",
        response="The figure is right.",
    )


def _agree(w):
    quality_ratings_record(assessment=w.assessment, actor=w.p["cqc"], ratings=QUALITY)
    agreed = {
        rating.kloe.code if rating.kloe else "overall": 2 for rating in w.assessment.ratings.all()
    }
    w.move(
        "agree_rating",
        "cqc",
        note="Agreed after the discussion",
        agreed_ratings=agreed,
        publication_date=timezone.localdate() + datetime.timedelta(days=7),
    )


@dataclass
class Step:
    name: str
    do: Callable[[Walk], None]
    told: dict[str, set[str]]  # event -> the usernames told
    # (username, words of a home task, shown before, shown after)
    home: list[tuple[str, str, bool, bool]] = field(default_factory=list)
    note: str = ""  # the reason or note every notification of the step carries


TEAM = {"lead", "member"}
STEPS = [
    Step(
        "schedule",
        _schedule,
        {"scheduled": {"ceo", "member"}},
        [("ceo", "Write and submit your KLOE commentary", False, True)],
    ),
    Step(
        "submit commentary",
        _submit,
        {"commentary_submitted": TEAM},
        [
            ("ceo", "Write and submit your KLOE commentary", True, False),
            ("lead", "Record evidence and propose ratings", False, True),
        ],
    ),
    Step(
        "propose",
        _propose,
        {"rating_proposed": {"qa"}},
        [("qa", "ratify or return", False, True), ("qa", "Nothing awaits QA", True, False)],
    ),
    Step(
        "return",
        lambda w: w.move("return", "qa", note="Explain the agency spend."),
        {"returned": TEAM},
        [
            ("qa", "ratify or return", True, False),
            ("lead", "The QA committee returned the rating", False, True),
            ("member", "QA's note: Explain the agency spend.", False, True),
        ],
        note="Explain the agency spend.",
    ),
    Step(
        "propose again",
        _propose,
        {"rating_proposed": {"qa"}},
        [("lead", "The QA committee returned the rating", True, False)],
    ),
    Step(
        "ratify",
        lambda w: w.move("ratify", "qa", findings_confirmed=True),
        {"ratified": TEAM},
        [("lead", "Prepare and share the draft report", False, True)],
    ),
    Step(
        "share the draft",
        _share,
        {"draft_shared": {"ceo", "cqc"}},
        [
            ("lead", "Prepare and share the draft report", True, False),
            ("ceo", "raise any factual-accuracy challenges", False, True),
            ("cqc", "For information", False, True),
        ],
    ),
    Step(
        "raise a challenge",
        _raise,
        {"challenge_raised": TEAM},
        [("member", "Answer the trust's factual-accuracy challenges", False, True)],
    ),
    Step(
        "answer it",
        _answer,
        {"answers_waiting": {"qa", "admin"}},
        [
            ("member", "Answer the trust's factual-accuracy challenges", True, False),
            ("qa", "sign off answers", False, True),
            ("admin", "sign off answers", False, True),
        ],
    ),
    Step(
        "answers sent back (the event the sign-off page's send-back calls)",
        lambda w: notify_on_commit(
            "answers_sent_back", w.assessment, note="Quote the ledger.", actor=w.p["qa"]
        ),
        {"answers_sent_back": TEAM},
        note="Quote the ledger.",
    ),
    Step(
        "sign it off",
        lambda w: challenge_sign_off(challenge=w.assessment.challenges.get(), actor=w.p["qa"]),
        {"answers_given": {"ceo", *TEAM}},
        [("qa", "sign off answers", True, False)],
    ),
    Step(
        "the trust has no more challenges",
        lambda w: no_more_challenges_confirm(assessment=w.assessment, actor=w.p["ceo"]),
        {"no_more_challenges": TEAM},
        [("ceo", "raise any factual-accuracy challenges", True, False)],
    ),
    Step(
        "close the check",
        lambda w: w.move("close_factual_accuracy", "lead"),
        {"check_closed": {"cqc", "ceo"}},
        [
            ("cqc", "record the quality ratings, then accept or dispute", False, True),
        ],
    ),
    Step(
        "dispute",
        lambda w: w.move("dispute_rating", "cqc", note="Finance looks inadequate."),
        {"rating_disputed": TEAM},
        [
            ("lead", "Discuss the disputed rating with CQC", False, True),
            ("cqc", "record the agreed rating", False, True),
        ],
        note="Finance looks inadequate.",
    ),
    Step(
        "discuss",
        lambda w: discussion_post(assessment=w.assessment, actor=w.p["cqc"], text="Why good?"),
        {"discussion_message": TEAM},
        note="Why good?",
    ),
    Step(
        "agree (finalises at once; the final report renders)",
        _agree,
        {
            "agreed_rating": TEAM,
            "finalised": {"ceo", *TEAM},
            "final_report_ready": {"cqc", *TEAM},
        },
        [
            ("lead", "Discuss the disputed rating with CQC", True, False),
            ("cqc", "Publish on the publication date", False, True),
        ],
    ),
    Step(
        "publish",
        lambda w: (embargo_ends(w.assessment), w.move("publish", "cqc")),
        {"published": {"ceo", *TEAM}},
        [
            ("cqc", "Publish on the publication date", True, False),
            ("ceo", "Ask for a review of your published rating", False, True),
        ],
    ),
    Step(
        "request a review",
        lambda w: review_request_create(
            assessment=w.assessment, actor=w.p["ceo"], grounds="The visit was cut short."
        ),
        {"review_requested": {"cqc", *TEAM}},
        [
            ("ceo", "Ask for a review of your published rating", True, False),
            ("cqc", "asked for a review of its published rating: decide it", False, True),
        ],
        note="The visit was cut short.",
    ),
    Step(
        "decide the review",
        lambda w: review_request_decide(
            review=w.assessment.review_request,
            actor=w.p["cqc"],
            decision=ReviewRequest.Decision.UPHELD,
            note="The visit covered every KLOE.",
        ),
        {"review_decided": {"ceo", *TEAM}},
        [("cqc", "asked for a review of its published rating: decide it", True, False)],
    ),
]


def _home_shows(user, words: str) -> bool:
    return any(words in f"{task.title} {task.detail}" for task in home_tasks_for(user=user))


def _walk(steps: list[Step], walk: Walk, people: dict, captured) -> None:
    """Take each step; check who was told (rows and e-mails) and the home lists around it."""
    for step in steps:
        if walk.assessment is not None:
            walk.assessment.refresh_from_db()
            for username, words, before, _ in step.home:
                assert _home_shows(people[username], words) is before, (step.name, username, words)
        mail.outbox.clear()
        seen = set(Notification.objects.values_list("pk", flat=True))
        with captured(execute=True):
            step.do(walk)
        walk.assessment.refresh_from_db()

        rows = Notification.objects.exclude(pk__in=seen).select_related("user")
        told: dict[str, set[str]] = {}
        for row in rows:
            told.setdefault(row.event, set()).add(row.user.username)
            assert row.url, (step.name, row.event)
            if step.note:
                assert row.note.endswith(step.note), (step.name, row.event, row.note)
        assert told == step.told, step.name
        # One e-mail per notification, to the same people, with the note where there is one.
        expected_mail = sorted(
            f"{name}@example.invalid" for names in step.told.values() for name in names
        )
        assert sorted(message.to[0] for message in mail.outbox) == expected_mail, step.name
        if step.note:
            assert all(step.note in message.body for message in mail.outbox), step.name
        for username, words, _, after in step.home:
            assert _home_shows(people[username], words) is after, (step.name, username, words)
    # The trust's user who is not one of its contacts is never told.
    assert not Notification.objects.filter(user=people["staff"]).exists()


def test_every_hand_over_tells_the_next_people_and_their_home_lists_follow(
    trust, people, django_capture_on_commit_callbacks
):
    _walk(STEPS, Walk(trust, people), people, django_capture_on_commit_callbacks)


def _at(status: str, commentary_deadline=None):
    """A step that puts a rated assessment of the trust at `status` (nobody is told)."""

    def jump(w):
        if w.assessment is None:
            today = timezone.localdate()
            w.assessment = AssessmentFactory(
                trust=w.trust,
                lead=w.p["lead"],
                commentary_deadline=commentary_deadline or today,
                site_visit_date=today + datetime.timedelta(days=10),
            )
            w.assessment.members.add(w.p["member"])
            for kloe in w.assessment.framework.kloes.all():
                EvidenceFactory(assessment=w.assessment, kloe=kloe)
            for kloe in [*w.assessment.framework.kloes.all(), None]:
                KloeRating.objects.create(
                    assessment=w.assessment,
                    kloe=kloe,
                    rating=2,
                    rationale="Why.",
                    updated_by=w.p["lead"],
                )
        Assessment.objects.filter(pk=w.assessment.pk).update(status=status)

    return jump


def _confirm(w):
    rationale_revise(
        assessment=w.assessment, actor=w.p["lead"], key="finance", text="Finance is inadequate."
    )
    w.move("confirm_revision", "cqc", publication_date=timezone.localdate())


PUBLICATION = {"publication_date": timezone.localdate()}
OTHER_BRANCHES = {
    "the team closes the commentary, then CQC accepts": [
        Step(
            "set up",
            _at("scheduled", timezone.localdate() - datetime.timedelta(days=1)),
            {},
        ),
        Step(
            "close the commentary",
            lambda w: w.move("close_commentary", "lead"),
            {"commentary_closed": {"ceo"}},
            [
                ("lead", "Prepare the site visit", True, False),
                ("lead", "Record evidence and propose ratings", False, True),
            ],
        ),
        Step("to CQC's review", _at("cqc_review"), {}),
        Step(
            "accept",
            lambda w: (
                quality_ratings_record(assessment=w.assessment, actor=w.p["cqc"], ratings=QUALITY),
                w.move("accept_rating", "cqc", **PUBLICATION),
            ),
            {"rating_accepted": {"ceo", *TEAM}, "final_report_ready": {"cqc", *TEAM}},
            [
                ("cqc", "accept or dispute", True, False),
                ("cqc", "Publish on the publication date", False, True),
            ],
        ),
    ],
    "CQC changes a rating: the lead revises, CQC confirms": [
        Step("to the dispute", _at("dispute"), {}),
        Step(
            "agree with a change",
            lambda w: w.move(
                "agree_rating",
                "cqc",
                agreed_ratings={"finance": 4, "people": 2, "overall": 2},
                cqc_reasons={"finance": "The deficit doubled."},
            ),
            {"agreed_rating": TEAM},
            [("lead", "Revise the rationales CQC's rating changed", False, True)],
        ),
        Step(
            "revise and confirm",
            lambda w: (
                quality_ratings_record(assessment=w.assessment, actor=w.p["cqc"], ratings=QUALITY),
                _confirm(w),
            ),
            {"finalised": {"ceo", *TEAM}, "final_report_ready": {"cqc", *TEAM}},
            [
                ("lead", "Revise the rationales CQC's rating changed", True, False),
                ("cqc", "confirm the text and finalise", True, False),
            ],
        ),
    ],
}


@pytest.mark.parametrize("branch", list(OTHER_BRANCHES))
def test_the_other_branches_tell_the_next_people_too(
    branch, trust, people, django_capture_on_commit_callbacks
):
    _walk(OTHER_BRANCHES[branch], Walk(trust, people), people, django_capture_on_commit_callbacks)


def test_the_lead_is_asked_to_close_the_check_once_the_deadline_passed_and_all_is_settled(
    trust, people
):
    assessment = AssessmentFactory(trust=trust, lead=people["lead"], status="factual_accuracy")
    deadline = FactualAccuracyDeadline.objects.create(
        assessment=assessment,
        deadline=timezone.localdate() + datetime.timedelta(days=3),
        reason="Ten working days.",
        set_by=people["lead"],
    )
    challenge = Challenge.objects.create(
        assessment=assessment,
        number=1,
        kind=Challenge.Kind.TYPING,
        section="Summary",
        target=Challenge.Target.SUMMARY,
        passage="12%",
        correction="2%",
        reason="Typing",
        raised_by=people["ceo"],
    )
    close = "Close the factual-accuracy check"
    assert not _home_shows(people["lead"], close)  # the trust may still raise challenges
    deadline.deadline = timezone.localdate() - datetime.timedelta(days=1)
    deadline.save()
    assert not _home_shows(people["lead"], close)  # challenge 1 is not answered
    assert _home_shows(people["lead"], "Answer the trust's factual-accuracy challenges")
    challenge.outcome, challenge.response = "not_accepted", "No."
    challenge.answered_by, challenge.answered_at = people["member"], timezone.now()
    challenge.signed_off_by, challenge.signed_off_at = people["qa"], timezone.now()
    challenge.save()
    assert _home_shows(people["lead"], close)
    assert not _home_shows(people["member"], close)  # the lead's step, as the button is


def test_a_failed_report_tells_whoever_asked_and_the_team_once(
    trust, people, django_capture_on_commit_callbacks
):
    assessment = AssessmentFactory(trust=trust, lead=people["member"], status="draft_report")
    report = ReportVersion.objects.create(
        assessment=assessment, kind="draft", number=1, requested_by=people["lead"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_fail(report_id=report.pk, error="The renderer ran out of memory")
        report_fail(report_id=report.pk, error="The renderer ran out of memory")
    told = Notification.objects.filter(event="report_failed")
    assert sorted(told.values_list("user__username", flat=True)) == ["lead", "member"]
    assert told.first().url == reverse("assessments:report_list", args=[assessment.pk])
