"""Each workflow action has a check page that says what will happen and what cannot be undone;
nothing changes until the person confirms; afterwards they land on a page they may see, with
a message saying what happened, who was told and what comes next."""

import datetime
import hashlib
import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.confirmations import WORDS, done_message
from assessments.models import AssessmentTransition, KloeRating, ReportVersion, Status
from assessments.workflow import ACTIONS, WRONG_STATE
from metrics.models import Role
from tests.assessments.page_helpers import set_status, signed_in, url
from tests.factories import PDF_BYTES, EvidenceFactory, FrameworkFactory, UserFactory

pytestmark = pytest.mark.django_db

# Who takes each action on its check page (agree_rating has its own page, tested there).
TAKER = {
    "close_commentary": "lead",
    "submit_commentary": "trust",
    "propose_rating": "lead",
    "ratify": "qa",
    "return": "qa",
    "share_draft": "lead",
    "close_factual_accuracy": "lead",
    "accept_rating": "cqc",
    "dispute_rating": "cqc",
    "confirm_revision": "cqc",
    "publish": "cqc",
}


@pytest.fixture
def cast(people):
    return {**people, "cqc": UserFactory(username="cqc", role=Role.CQC)}


def action_url(assessment, action: str) -> str:
    return url("assessment_transition", assessment, action=action)


def text_of(response) -> str:
    """The page's words without tags or repeated spaces, as a reader meets them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_every_action_but_agree_rating_is_in_the_table():
    assert set(TAKER) | {"agree_rating"} == set(ACTIONS) == set(WORDS)


@pytest.mark.parametrize("action", sorted(TAKER))
def test_the_check_page_says_what_will_happen_and_changes_nothing(assessment, cast, action):
    assessment = set_status(assessment, ACTIONS[action].sources[0])
    response = signed_in(cast[TAKER[action]]).get(action_url(assessment, action))
    assert response.status_code == HTTPStatus.OK
    page = text_of(response)
    label = ACTIONS[action].label
    assert f"Check before you {label[0].lower()}{label[1:]}" in page
    will = WORDS[action].will.split("{")[0]  # the words before any date
    assert escape(will.strip()) in page
    if WORDS[action].final:
        assert escape(WORDS[action].final) in page
    assert f"Stage after {Status(ACTIONS[action].target).label}" in page
    assessment.refresh_from_db()
    assert assessment.status == ACTIONS[action].sources[0]
    assert not AssessmentTransition.objects.exists()


@pytest.mark.parametrize(
    ("action", "asks_for_a_note"),
    [
        ("submit_commentary", False),
        ("propose_rating", False),
        ("ratify", False),
        ("publish", False),
        ("return", True),
        ("dispute_rating", True),
    ],
)
def test_a_note_is_asked_for_only_where_it_means_something(
    assessment, cast, action, asks_for_a_note
):
    assessment = set_status(assessment, ACTIONS[action].sources[0])
    page = signed_in(cast[TAKER[action]]).get(action_url(assessment, action)).content.decode()
    assert ('name="note"' in page) is asks_for_a_note
    assert "Note (reasons, if any)" not in page


def test_the_assessment_page_links_each_action_with_the_way_back_secondary(assessment, cast):
    assessment = set_status(assessment, Status.QA_REVIEW)
    page = signed_in(cast["qa"]).get(assessment.get_absolute_url()).content.decode()
    buttons = dict(
        re.findall(r'href="[^"]*/actions/(\w+)/"[^>]*class="govuk-button ?([\w-]*)"', page)
    )
    assert buttons == {"ratify": "", "return": "govuk-button--secondary"}
    # No form acts from the assessment page itself: each button opens its check page.
    assert "/transition/" not in page
    assert 'name="note"' not in page


def test_qa_return_lands_on_qa_home_with_the_message(
    assessment, cast, django_capture_on_commit_callbacks
):
    assessment = set_status(assessment, Status.QA_REVIEW)
    qa = signed_in(cast["qa"])
    refused = qa.post(action_url(assessment, "return"), {"note": " "})
    assert refused.status_code == HTTPStatus.OK
    assert "Give your reasons in the note." in refused.content.decode()
    assert set_status(assessment, Status.QA_REVIEW).status == Status.QA_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        response = qa.post(
            action_url(assessment, "return"), {"note": "Finance needs more evidence."}, follow=True
        )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.status_code == HTTPStatus.OK
    assert (
        escape("Returned to the assessors with your note. The assessment team has been told.")
        in response.content.decode()
    )
    assert assessment.__class__.objects.get(pk=assessment.pk).status == Status.EVIDENCE
    assert {m.to[0] for m in mail.outbox} == {cast["lead"].email, cast["member"].email}
    assert "Finance needs more evidence" in mail.outbox[0].body  # the e-mail carries the note
    # The team reads the step in words, with QA's note.
    history = text_of(signed_in(cast["lead"]).get(assessment.get_absolute_url()))
    assert "returned it to the assessors (QA review to Gathering evidence)" in history
    assert "“Finance needs more evidence.”" in history
    assert "return (" not in history


def test_ratify_stays_on_the_assessment_page_with_what_comes_next(assessment, cast):
    assessment = set_status(assessment, Status.QA_REVIEW)
    response = signed_in(cast["qa"]).post(action_url(assessment, "ratify"), follow=True)
    assert response.redirect_chain[-1][0] == assessment.get_absolute_url()
    assert escape(done_message("ratify")) in response.content.decode()
    assert "The lead assessor now renders the draft report" in done_message("ratify")
    assert "Done: the assessment moved on." not in response.content.decode()


def test_sharing_the_draft_says_until_when_the_trust_may_challenge(assessment, cast):
    assessment = set_status(assessment, Status.DRAFT_REPORT)
    ReportVersion.objects.create(
        assessment=assessment,
        kind="draft",
        number=1,
        status="ready",
        pdf=PDF_BYTES,
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
    )
    lead = signed_in(cast["lead"])
    check = text_of(lead.get(action_url(assessment, "share_draft")))
    assert "You cannot withdraw the draft once it is shared." in check
    assert "for ten working days, until" in check
    response = lead.post(action_url(assessment, "share_draft"), follow=True)
    deadline = assessment.fa_deadlines.get().deadline
    assert escape(done_message("share_draft", deadline=deadline)) in response.content.decode()
    assert f"until {deadline:%d %B %Y}" in done_message("share_draft", deadline=deadline)


def test_a_check_page_opened_after_the_assessment_moved_on_says_so(assessment, cast):
    assessment = set_status(assessment, Status.DRAFT_REPORT)
    response = signed_in(cast["qa"]).get(action_url(assessment, "ratify"), follow=True)
    assert response.redirect_chain == [(assessment.get_absolute_url(), HTTPStatus.FOUND)]
    message = WRONG_STATE.format(label="Ratify the rating", status=Status.DRAFT_REPORT.label)
    assert escape(message) in response.content.decode()
    assert not AssessmentTransition.objects.exists()


def test_someone_else_is_refused_the_check_page_with_the_reason(assessment, cast):
    assessment = set_status(assessment, Status.QA_REVIEW)
    response = signed_in(cast["lead"]).get(action_url(assessment, "ratify"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Ratify the rating is for the QA committee." in response.content.decode()


def test_an_unknown_action_is_not_found(assessment, cast):
    response = signed_in(cast["lead"]).get(action_url(assessment, "explode"))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_trust_submits_after_its_check_page_and_stays_on_the_assessment(assessment, cast):
    for kloe in assessment.framework.kloes.all():
        assessment.commentaries.create(kloe=kloe, text="We do well.", updated_by=cast["trust"])
    trust = signed_in(cast["trust"])
    check = text_of(trust.get(action_url(assessment, "submit_commentary")))
    assert "You cannot change your commentary after you submit it." in check
    response = trust.post(action_url(assessment, "submit_commentary"), follow=True)
    assert response.redirect_chain[-1][0] == assessment.get_absolute_url()
    assert escape("Your commentary is submitted. The assessment team has been told.") in (
        response.content.decode()
    )


def test_cqc_finalising_gives_the_publication_date_on_the_check_page(assessment, cast):
    assessment = set_status(assessment, Status.CQC_REVIEW)
    for kloe in [*assessment.framework.kloes.all(), None]:
        if kloe:
            EvidenceFactory(assessment=assessment, kloe=kloe)
        KloeRating.objects.create(
            assessment=assessment, kloe=kloe, rating=2, rationale="Good.", updated_by=cast["lead"]
        )
    page = signed_in(cast["cqc"]).get(action_url(assessment, "accept_rating")).content.decode()
    assert 'name="publication_date_0"' in page
    assert escape("You cannot change the ratings after accepting them.") in page


def test_the_short_notice_warning_is_shown_once(cast, trust):
    framework = FrameworkFactory()
    soon = timezone.localdate() + datetime.timedelta(days=10)
    response = signed_in(cast["lead"]).post(
        reverse("assessments:assessment_create"),
        {
            "trust": trust.pk,
            "framework": framework.pk,
            "site_visit_date_0": soon.day,
            "site_visit_date_1": soon.month,
            "site_visit_date_2": soon.year,
            "lead": cast["lead"].pk,
        },
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count("at least one month&#x27;s notice") == 1
