"""The guards the process implies: ratings and site-visit evidence wait for the site visit
(which the lead can move, recorded); a challenge that asks for another rating is refused
whatever the trust ticked; evidence is withdrawn with a reason; reviewers see what they
decide."""

import datetime
from html import escape
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.factual_accuracy import services as fa
from assessments.models import AssessmentTransition, Challenge, Evidence, KloeRating, Status
from assessments.refusals import RATINGS_BEFORE_VISIT
from assessments.reports.content import report_html
from assessments.workflow import EVIDENCE_MISSING, VISIT_NOT_HELD, TransitionRefused
from assessments.workflow import assessment_transition as move
from tests.assessments.page_helpers import set_status, signed_in, url
from tests.assessments.test_pages_review import CHALLENGE
from tests.factories import EvidenceFactory, visit_held

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def gathering(assessment):
    """Gathering evidence; the site visit (the factory's) is still 40 days away."""
    return set_status(assessment, Status.EVIDENCE)


def propose(assessment, user, kloe, rating=2):
    return services.rating_propose(
        assessment=assessment, actor=user, kloe=kloe, rating=rating, rationale="Because."
    )


# The site visit ----------------------------------------------------------------------------


def test_ratings_wait_for_the_site_visit_on_the_page_and_in_the_service(gathering, people):
    finance = gathering.framework.kloes.get(code="finance")
    workspace = url("kloe_workspace", gathering, code="finance")
    client = signed_in(people["member"])
    page = client.get(workspace).content.decode()
    assert escape(RATINGS_BEFORE_VISIT.format(date=gathering.site_visit_date)) in page
    assert "Save the rating" not in page
    refused = client.post(workspace, {"rating": 2, "rationale": "Seen on paper"})
    assert refused.status_code == HTTPStatus.FORBIDDEN
    with pytest.raises(PermissionDenied, match="from the day of the site visit"):
        propose(gathering, people["member"], finance)
    assert not KloeRating.objects.exists()

    visit_held(gathering, days_ago=0)  # the visit's own day counts
    assert "Save the rating" in client.get(workspace).content.decode()
    assert client.post(workspace, {"rating": 2, "rationale": "Seen"}).status_code == 302
    assert KloeRating.objects.get().rationale == "Seen"


def test_site_visit_evidence_waits_for_the_visit(gathering, people):
    client = signed_in(people["member"])
    form = {"source": "site_visit", "finding": "positive", "text": "Heard at interview"}
    create = url("evidence_create", gathering, code="finance")
    page = client.post(create, form).content.decode()
    message = services.SITE_VISIT_EVIDENCE_EARLY.format(date=gathering.site_visit_date)
    assert escape(message) in page
    assert not Evidence.objects.exists()
    # Other sources are recorded before the visit; one cannot turn into an interview.
    assert client.post(create, {**form, "source": "trust_submission"}).status_code == 302
    evidence = Evidence.objects.get()
    with pytest.raises(ValidationError) as refused:
        services.evidence_update(
            evidence=evidence,
            actor=people["member"],
            version=evidence.version,
            kloe=evidence.kloe,
            source="site_visit",
            finding="positive",
            text="Heard at interview",
        )
    assert refused.value.message_dict == {"source": [message]}
    visit_held(gathering)
    assert client.post(create, form).status_code == 302
    assert Evidence.objects.filter(source="site_visit").count() == 1


def test_the_lead_moves_the_site_visit_and_the_history_keeps_why(gathering, people):
    edit = url("site_visit_edit", gathering)
    assert signed_in(people["member"]).get(edit).status_code == HTTPStatus.FORBIDDEN
    lead = signed_in(people["lead"])
    assert f'href="{edit}"' in lead.get(url("assessment_detail", gathering)).content.decode()
    new = TODAY() - datetime.timedelta(days=2)
    date = {"site_visit_date_0": new.day, "site_visit_date_1": new.month}
    date["site_visit_date_2"] = new.year
    missing = lead.post(edit, date).content.decode()
    assert "Give the reason for moving the site visit" in missing
    old = gathering.site_visit_date
    gathering.refresh_from_db()
    assert gathering.site_visit_date == old  # nothing half-saved
    assert (
        lead.post(edit, {**date, "reason": "Held early at the trust's request"}).status_code == 302
    )
    gathering.refresh_from_db()
    assert gathering.site_visit_date == new
    moved = AssessmentTransition.objects.get(assessment=gathering)
    assert (moved.action, moved.actor) == ("move_site_visit", people["lead"])
    note = f"Site visit moved from {old:%-d %B %Y} to {new:%-d %B %Y}: Held early"
    assert moved.note.startswith(note)
    history = lead.get(url("assessment_detail", gathering)).content.decode()
    assert note in history
    assert "moved the site visit" in history  # in words, not the action's code
    assert "move_site_visit" not in history
    # Once the rating goes to QA the date is fixed.
    set_status(gathering, Status.QA_REVIEW)
    assert lead.get(edit).status_code == HTTPStatus.FORBIDDEN


def test_the_visit_cannot_move_before_an_open_commentary_deadline(assessment, people):
    with pytest.raises(ValidationError) as refused:
        services.site_visit_move(
            assessment=assessment,
            actor=people["lead"],
            site_visit_date=assessment.commentary_deadline - datetime.timedelta(days=1),
            reason="Sooner",
        )
    deadline = assessment.commentary_deadline
    assert refused.value.message_dict == {
        "site_visit_date": [services.VISIT_BEFORE_DEADLINE.format(deadline=deadline)]
    }


def test_the_visit_cannot_move_after_interviews_already_recorded(gathering, people):
    visit_held(gathering, days_ago=3)
    EvidenceFactory(assessment=gathering, source=Evidence.Source.SITE_VISIT)
    with pytest.raises(ValidationError) as refused:
        services.site_visit_move(
            assessment=gathering,
            actor=people["lead"],
            site_visit_date=TODAY() + datetime.timedelta(days=1),
            reason="Postponed",
        )
    assert refused.value.message_dict == {
        "site_visit_date": [services.VISIT_AFTER_EVIDENCE.format(day=TODAY())]
    }


def test_a_visit_moved_after_the_ratings_were_proposed_holds_them_back_from_qa(gathering, people):
    visit_held(gathering)
    kloes = list(gathering.framework.kloes.all())
    for kloe in kloes:
        EvidenceFactory(assessment=gathering, kloe=kloe)
    for kloe in [*kloes, None]:
        propose(gathering, people["lead"], kloe)
    later = TODAY() + datetime.timedelta(days=7)
    services.site_visit_move(
        assessment=gathering, actor=people["lead"], site_visit_date=later, reason="Postponed"
    )
    with pytest.raises(TransitionRefused) as refused:
        move(assessment=gathering, action="propose_rating", actor=people["lead"])
    assert refused.value.messages == [VISIT_NOT_HELD.format(date=later)]


# Challenges that ask for another rating ----------------------------------------------------


@pytest.fixture
def shared(assessment, people):
    visit_held(assessment)
    EvidenceFactory(assessment=assessment, text="Agency spend was 12% of the pay bill.")
    set_status(assessment, Status.FACTUAL_ACCURACY)
    fa.fa_deadline_start(assessment=assessment, actor=people["lead"], now=timezone.now())
    return assessment


def raise_challenge(assessment, user, correction):
    return fa.challenge_raise(
        assessment=assessment,
        actor=user,
        kind=Challenge.Kind.TYPING,
        target=Challenge.Target.SUMMARY,
        section="",
        passage="Agency spend was 12% of the pay bill.",
        correction=correction,
        reason="The figure is wrong.",
        about_rating=False,  # the trust did not tick the box
    )


@pytest.mark.parametrize(
    ("correction", "words"),
    [
        ("Finance should be rated Good.", "should be rated Good"),
        ("Move finance from Requires improvement to Good.", "from Requires improvement to Good"),
        ("Please re-rate the finance KLOE.", "re-rate"),
        ("Upgrade people.", "Upgrade"),
        ("Raise the overall rating: the trust met its plan.", "Raise the overall rating"),
        ("The rating must reflect the audited accounts.", "rating must"),
        ("Rate us as outstanding.", "Rate us as outstanding"),
    ],
)
def test_a_challenge_that_asks_for_another_rating_is_refused_unticked(
    shared, people, correction, words
):
    with pytest.raises(ValidationError) as refused:
        raise_challenge(shared, people["trust"], correction)
    message = fa.CHALLENGE_ASKS_RATING.format(words=words) + fa.CHALLENGE_TO_RATING
    assert refused.value.message_dict == {"correction": [message]}
    assert not Challenge.objects.exists()


@pytest.mark.parametrize(
    "correction",
    [
        "Agency spend was 8% of the pay bill.",
        "The rationale for the Good rating quotes 12%; the audited figure is 8%.",
        "The reasons for the rating say the deficit was £4m; it was £2.1m.",
        "We made good progress on agency spend: the figure is 8%.",
    ],
)
def test_a_challenge_to_a_fact_or_figure_in_a_rationale_stays_factual(shared, people, correction):
    challenge = raise_challenge(shared, people["trust"], correction)
    assert challenge.correction == correction


def test_the_page_and_the_api_refuse_a_rating_request_beside_the_correction(shared, people):
    page = signed_in(people["trust"]).post(
        url("challenge_create", shared), {**CHALLENGE, "correction": "Rate us as Good."}
    )
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    # In the error summary and beside the field it is about.
    assert text.count(escape(fa.CHALLENGE_ASKS_RATING.format(words="Rate us as Good"))) == 2
    client = Client()
    client.force_login(people["trust"])
    api = client.post(
        reverse("api:assessment-challenges", kwargs={"pk": shared.pk}),
        {**CHALLENGE, "correction": "Finance should be Good."},
        content_type="application/json",
    )
    assert api.status_code == HTTPStatus.BAD_REQUEST
    assert api.json()["correction"][0].startswith(
        fa.CHALLENGE_ASKS_RATING.format(words="should be Good")
    )
    assert not Challenge.objects.exists()


# Withdrawn evidence ------------------------------------------------------------------------


def test_withdrawn_evidence_leaves_the_counts_and_report_and_keeps_its_history(gathering, people):
    visit_held(gathering)
    finance = gathering.framework.kloes.get(code="finance")
    kept = EvidenceFactory(assessment=gathering, kloe=finance, text="Theatre lists start on time.")
    wrong = EvidenceFactory(assessment=gathering, kloe=finance, text="Recorded on the wrong trust.")
    client = signed_in(people["member"])
    withdraw = url("evidence_withdraw", gathering, evidence_pk=wrong.pk)
    assert (
        "Withdraw this evidence"
        in client.get(url("evidence_detail", gathering, evidence_pk=wrong.pk)).content.decode()
    )
    assert "Give the reason for withdrawing" in client.post(withdraw, {}).content.decode()
    assert Evidence.objects.current().count() == 2
    response = client.post(withdraw, {"reason": "It is about another trust."})
    assert response["Location"] == url("kloe_workspace", gathering, code="finance")

    wrong.refresh_from_db()
    assert (wrong.withdrawn_by, wrong.withdrawal_reason) == (
        people["member"],
        "It is about another trust.",
    )
    assert wrong.revisions.get().snapshot["text"] == "Recorded on the wrong trust."
    detail = client.get(url("evidence_detail", gathering, evidence_pk=wrong.pk)).content.decode()
    assert "Withdrawn on" in detail
    assert "It is about another trust." in detail
    assert "Change this evidence" not in detail
    # Out of the counts: the workspace lists it folded away, the progress table counts one.
    workspace = client.get(url("kloe_workspace", gathering, code="finance")).content.decode()
    assert "Withdrawn evidence (1)" in workspace
    assert "1 piece of evidence" in workspace
    # Out of the report; and withdrawing twice, or changing it, is refused.
    html = report_html(assessment=gathering, kind="draft")
    assert kept.text in html
    assert wrong.text not in html
    assert client.post(withdraw, {"reason": "again"}).status_code == HTTPStatus.FORBIDDEN
    with pytest.raises(PermissionDenied):
        services.evidence_update(
            evidence=wrong,
            actor=people["member"],
            version=wrong.version,
            kloe=finance,
            source=wrong.source,
            finding=wrong.finding,
            text="Changed",
        )


def test_a_kloe_whose_only_evidence_is_withdrawn_has_none_for_qa(gathering, people):
    visit_held(gathering)
    kloes = list(gathering.framework.kloes.all())
    only, *_ = [EvidenceFactory(assessment=gathering, kloe=kloe) for kloe in kloes]
    for kloe in [*kloes, None]:
        propose(gathering, people["lead"], kloe)
    services.evidence_withdraw(evidence=only, actor=people["lead"], reason="Duplicate")
    with pytest.raises(TransitionRefused) as refused:
        move(assessment=gathering, action="propose_rating", actor=people["lead"])
    assert refused.value.messages == [EVIDENCE_MISSING.format(kloes=only.kloe.title)]


def test_only_the_team_withdraws_and_only_while_gathering(gathering, people):
    visit_held(gathering)
    evidence = EvidenceFactory(assessment=gathering)
    withdraw = url("evidence_withdraw", gathering, evidence_pk=evidence.pk)
    assert signed_in(people["trust"]).get(withdraw).status_code == HTTPStatus.NOT_FOUND
    assert signed_in(people["outsider"]).get(withdraw).status_code == HTTPStatus.NOT_FOUND
    assert signed_in(people["admin"]).get(withdraw).status_code == HTTPStatus.FORBIDDEN
    set_status(gathering, Status.QA_REVIEW)
    assert signed_in(people["qa"]).get(withdraw).status_code == HTTPStatus.FORBIDDEN
    assert signed_in(people["lead"]).get(withdraw).status_code == HTTPStatus.FORBIDDEN


# Reviewers see what they decide ------------------------------------------------------------


def test_qa_sees_each_proposed_rating_with_its_rationale_and_evidence(gathering, people):
    visit_held(gathering)
    finance, people_kloe = gathering.framework.kloes.order_by("number")[:2]
    EvidenceFactory.create_batch(2, assessment=gathering, kloe=finance)
    EvidenceFactory(assessment=gathering, kloe=people_kloe)
    services.rating_propose(
        assessment=gathering,
        actor=people["lead"],
        kloe=None,
        rating=3,
        rationale="Agency spend above cap holds the overall rating back.",
    )
    rating = services.rating_propose(
        assessment=gathering,
        actor=people["lead"],
        kloe=finance,
        rating=2,
        rationale="Service-line reporting is used in every division.",
        characteristics=list(finance.characteristics.all()[:1]),
    )
    propose(gathering, people["lead"], people_kloe, rating=3)
    set_status(gathering, Status.QA_REVIEW)

    page = signed_in(people["qa"]).get(url("assessment_detail", gathering)).content.decode()
    overall = page.index('id="proposed-overall"')
    assert overall < page.index('id="kloe-progress"')  # near the top, before the KLOE table
    card = page[overall : page.index('id="proposed-finance"')]
    assert "Requires improvement" in card
    assert "Agency spend above cap holds the overall rating back." in card
    finance_card = page[page.index('id="proposed-finance"') :]
    assert "Service-line reporting is used in every division." in finance_card
    assert "2 pieces" in finance_card
    # The characteristics the team found are folded away beneath the rationale.
    statement = rating.characteristics.get().text
    folded = page.index("Characteristics the team found (1)")
    assert page.rfind("<details", 0, folded) > page.index('id="proposed-finance"')
    assert statement in page[folded:]
    assert ">Yes<" not in page


def test_the_characteristics_are_folded_away_on_the_rating_pages(gathering, people):
    visit_held(gathering)
    client = signed_in(people["lead"])
    for page in (
        url("overall_rating", gathering),
        url("kloe_workspace", gathering, code="finance"),
    ):
        text = client.get(page).content.decode()
        assert text.index('<details class="govuk-details" id="characteristics-details">') < (
            text.index('id="characteristics"')
        )


def test_the_agreed_rating_form_starts_from_the_proposal(gathering, people, cqc_user):
    visit_held(gathering)
    finance, people_kloe = gathering.framework.kloes.order_by("number")[:2]
    propose(gathering, people["lead"], finance, rating=2)
    propose(gathering, people["lead"], people_kloe, rating=3)
    propose(gathering, people["lead"], None, rating=3)
    set_status(gathering, Status.DISPUTE)
    page = signed_in(cqc_user).get(url("agree_rating", gathering)).content.decode()
    for key, value in (("finance", 2), ("people", 3), ("overall", 3)):
        assert _checked_value(page, key) == str(value)


def _checked_value(page: str, key: str) -> str:
    """The value of the checked radio named rating_<key>."""
    for tag in page.split("<input")[1:]:
        tag = tag.split(">")[0]
        if f'name="rating_{key}"' in tag and "checked" in tag:
            return tag.split('value="')[1].split('"')[0]
    return ""


def test_the_trust_reads_the_ratings_in_the_draft_not_on_the_assessment_page(gathering, people):
    visit_held(gathering)
    propose(gathering, people["lead"], None, rating=3)
    set_status(gathering, Status.FACTUAL_ACCURACY)
    page = signed_in(people["trust"]).get(url("assessment_detail", gathering)).content.decode()
    assert 'id="proposed-ratings"' not in page
    assert "Because." not in page
