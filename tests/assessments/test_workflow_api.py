"""The assessment lifecycle through the API, as each role, and every refusal."""

import datetime
from http import HTTPStatus

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, AssessmentTransition, Evidence, KloeRating, Status
from assessments.workflow import ACTIONS
from metrics.models import Role
from tests.factories import (
    AssessmentFactory,
    FrameworkFactory,
    TrustFactory,
    UserFactory,
    visit_held,
)

pytestmark = pytest.mark.django_db


def api(user):
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def url(name, assessment=None):
    if assessment is None:
        return reverse(f"api:assessment-{name}")
    return reverse(f"api:assessment-{name}", kwargs={"pk": assessment.pk})


@pytest.fixture
def people(trust):
    return {
        "lead": UserFactory(username="lead", role=Role.ASSESSOR),
        "member": UserFactory(username="member", role=Role.ASSESSOR),
        "outsider": UserFactory(username="outsider", role=Role.ASSESSOR),
        "qa": UserFactory(username="qa", role=Role.QA),
        "cqc": UserFactory(username="cqc", role=Role.CQC),
        "admin": UserFactory(username="admin", role=Role.ADMIN),
        "trust": UserFactory(username="trusty", role=Role.TRUST, trust=trust),
        "other_trust": UserFactory(
            username="othertrust", role=Role.TRUST, trust=TrustFactory(ods_code="RZZ")
        ),
    }


def test_walk_from_scheduled_to_draft_report(trust, people):
    framework = FrameworkFactory()
    lead, member, qa = api(people["lead"]), api(people["member"]), api(people["qa"])
    visit = timezone.localdate() + datetime.timedelta(days=40)

    created = post(
        lead,
        url("list"),
        {
            "trust": trust.ods_code,
            "framework": framework.code,
            "site_visit_date": visit.isoformat(),
            "lead": "lead",
            "members": ["member"],
        },
    )
    assert created.status_code == HTTPStatus.CREATED, created.json()
    assert created.json()["warnings"] == []
    assessment = Assessment.objects.get(pk=created.json()["id"])
    assert assessment.commentary_deadline == visit - datetime.timedelta(days=14)
    assert assessment.agenda.count() == 10

    # The trust writes commentary on each KLOE and submits it once.
    trust_client = api(people["trust"])
    refused = post(trust_client, url("transitions", assessment), {"action": "submit_commentary"})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "Write commentary for every KLOE before submitting" in refused.json()["errors"][0]
    for kloe in ("finance", "people"):
        saved = post(
            trust_client, url("commentary", assessment), {"kloe": kloe, "text": f"Our {kloe} story"}
        )
        assert saved.status_code == HTTPStatus.CREATED
    # NHS Improvement does not see drafts before they are submitted.
    assert member.get(url("commentary", assessment)).json() == []
    moved = post(trust_client, url("transitions", assessment), {"action": "submit_commentary"})
    assert moved.json()["status"] == "evidence"
    assert len(member.get(url("commentary", assessment)).json()) == 2
    again = post(trust_client, url("commentary", assessment), {"kloe": "finance", "text": "late"})
    assert again.status_code == HTTPStatus.FORBIDDEN

    # Before the site visit nothing from it can be recorded and no rating proposed.
    early = post(
        member,
        url("evidence", assessment),
        {"kloe": "finance", "source": "site_visit", "finding": "positive", "text": "Too soon"},
    )
    assert early.json()["source"] == [
        f"Site-visit interview evidence can be recorded from the day of the site visit, "
        f"{visit:%-d %B %Y}."
    ]
    too_soon = post(
        member, url("ratings", assessment), {"kloe": "finance", "rating": 2, "rationale": "x"}
    )
    assert too_soon.status_code == HTTPStatus.FORBIDDEN
    assert f"from the day of the site visit, {visit:%-d %B %Y}" in too_soon.json()["detail"]
    # The visit was brought forward to today: the lead records it, with the reason.
    today = timezone.localdate()
    assert (
        post(member, url("site-visit", assessment), {"site_visit_date": str(today), "reason": "x"})
    ).status_code == HTTPStatus.FORBIDDEN
    moved = post(
        lead,
        url("site-visit", assessment),
        {"site_visit_date": str(today), "reason": "The trust asked for an earlier day"},
    )
    assert moved.json()["site_visit_date"] == str(today), moved.json()
    assert moved.json()["commentary_deadline"] == str(today)  # submitted: it follows the visit

    # The team records evidence and proposes ratings; only the lead sends them to QA.
    for kloe in ("finance", "people"):
        response = post(
            member,
            url("evidence", assessment),
            {
                "kloe": kloe,
                "prompt": f"{kloe[0].upper()}1",
                "source": "site_visit",
                "finding": "positive",
                "text": f"Strong {kloe} controls seen on the visit",
            },
        )
        assert response.status_code == HTTPStatus.CREATED, response.json()
    assert (
        post(member, url("transitions", assessment), {"action": "propose_rating"}).status_code
        == HTTPStatus.FORBIDDEN
    )
    missing = post(lead, url("transitions", assessment), {"action": "propose_rating"})
    assert (
        "Propose a rating with a rationale for: Finance, People, the overall rating."
        in (missing.json()["errors"][0])
    )
    for kloe, rating in (("finance", 2), ("people", 3), ("overall", 2)):
        response = post(
            member,
            url("ratings", assessment),
            {"kloe": kloe, "rating": rating, "rationale": f"Because of {kloe}"},
        )
        assert response.status_code == HTTPStatus.CREATED, response.json()
    assert (
        post(lead, url("transitions", assessment), {"action": "propose_rating"}).json()["status"]
        == "qa_review"
    )

    # QA returns it with reasons, then ratifies the second proposal.
    no_note = post(qa, url("transitions", assessment), {"action": "return"})
    assert no_note.json()["errors"] == ["Give your reasons in the note."]
    post(qa, url("transitions", assessment), {"action": "return", "note": "Explain People"})
    assert Assessment.objects.get(pk=assessment.pk).status == "evidence"
    post(lead, url("transitions", assessment), {"action": "propose_rating"})
    ratified = post(
        qa,
        url("transitions", assessment),
        {"action": "ratify", "note": "Agreed", "findings_confirmed": True},
    )
    assert ratified.json()["status"] == "draft_report"

    # Sharing needs a rendered draft report (built by the reports issue).
    share = post(lead, url("transitions", assessment), {"action": "share_draft"})
    assert share.json()["errors"] == ["Render the draft report before sharing it with the trust."]

    log = list(
        AssessmentTransition.objects.filter(assessment=assessment).values_list(
            "action", "from_status", "to_status", "actor__username", "note"
        )
    )
    assert log == [
        ("submit_commentary", "scheduled", "evidence", "trusty", ""),
        (
            "move_site_visit",
            "evidence",
            "evidence",
            "lead",
            f"Site visit moved from {visit:%-d %B %Y} to {today:%-d %B %Y}: "
            "The trust asked for an earlier day",
        ),
        ("propose_rating", "evidence", "qa_review", "lead", ""),
        ("return", "qa_review", "evidence", "qa", "Explain People"),
        ("propose_rating", "evidence", "qa_review", "lead", ""),
        ("ratify", "qa_review", "draft_report", "qa", "Agreed"),
    ]


def test_actions_offered_are_those_the_user_may_take(people, trust):
    assessment = AssessmentFactory(trust=trust, lead=people["lead"])
    assessment.members.add(people["member"])
    offered = api(people["member"]).get(url("transitions", assessment)).json()
    assert [a["action"] for a in offered] == ["close_commentary"]
    offered = api(people["trust"]).get(url("transitions", assessment)).json()
    assert [a["action"] for a in offered] == ["submit_commentary"]
    assert api(people["admin"]).get(url("transitions", assessment)).json() == []


WHO_MAY = {
    "close_commentary": {"lead", "member"},
    "submit_commentary": {"trust"},
    "propose_rating": {"lead"},
    "ratify": {"qa"},
    "return": {"qa"},
    "share_draft": {"lead"},
    "close_factual_accuracy": {"lead"},
    "accept_rating": {"cqc"},
    "dispute_rating": {"cqc"},
    "agree_rating": {"cqc"},
    "confirm_revision": {"cqc"},
    "publish": {"cqc"},
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_action_is_refused_to_every_other_role(people, trust, action):
    assert set(WHO_MAY) == set(ACTIONS)
    assessment = AssessmentFactory(trust=trust, lead=people["lead"])
    assessment.members.add(people["member"])
    state = ACTIONS[action].sources[0]
    for who, user in people.items():
        Assessment.objects.filter(pk=assessment.pk).update(status=state)
        response = post(
            api(user), url("transitions", assessment), {"action": action, "note": "a reason"}
        )
        if who in WHO_MAY[action]:
            assert response.status_code != HTTPStatus.FORBIDDEN, (who, response.json())
            continue
        # Refused: 403 with the reason, or 404 where they may not even see the assessment.
        assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND), who
        if response.status_code == HTTPStatus.FORBIDDEN:
            refusal = ACTIONS[action].allowed(user, assessment)
            assert response.json()["detail"] == refusal.message
        assert Assessment.objects.get(pk=assessment.pk).status == state, who
    assert not AssessmentTransition.objects.exclude(actor__username__in=WHO_MAY[action]).exists()


@pytest.mark.parametrize("action", list(ACTIONS))
def test_an_action_in_the_wrong_state_changes_nothing(people, trust, action):
    assessment = AssessmentFactory(trust=trust, lead=people["lead"])
    wrong = next(s for s in Status.values if s not in ACTIONS[action].sources)
    Assessment.objects.filter(pk=assessment.pk).update(status=wrong)
    who = sorted(WHO_MAY[action])[0]
    user = people[who]
    # Give QA and CQC sight of it where their step has not come yet.
    response = post(
        api(people["admin"] if who in ("qa", "cqc") else user),
        url("transitions", assessment),
        {"action": action, "note": "x"},
    )
    assert response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN)
    from assessments.workflow import TransitionRefused, assessment_transition

    with pytest.raises(TransitionRefused, match="cannot be done now"):
        assessment_transition(
            assessment=Assessment.objects.get(pk=assessment.pk),
            action=action,
            actor=user,
            note="x",
        )
    assert Assessment.objects.get(pk=assessment.pk).status == wrong


def test_bad_ratings_are_refused_and_nothing_is_saved(people, trust):
    assessment = visit_held(AssessmentFactory(trust=trust, lead=people["lead"], status="evidence"))
    client = api(people["lead"])
    outside = post(
        client, url("ratings", assessment), {"kloe": "finance", "rating": 5, "rationale": "x"}
    )
    assert outside.status_code == HTTPStatus.BAD_REQUEST
    assert outside.json()["rating"] == ["Choose a rating from 1 (Outstanding) to 4 (Inadequate)."]
    blank = post(
        client, url("ratings", assessment), {"kloe": "finance", "rating": 2, "rationale": "  "}
    )
    assert blank.json()["rationale"] == ["Give the rationale for the rating."]
    unknown = post(
        client, url("ratings", assessment), {"kloe": "estates", "rating": 2, "rationale": "x"}
    )
    assert unknown.json()["kloe"] == ["This assessment's framework has no KLOE 'estates'."]
    assert not KloeRating.objects.exists()


def test_short_notice_is_warned_about(people, trust):
    framework = FrameworkFactory()
    soon = timezone.localdate() + datetime.timedelta(days=10)
    response = post(
        api(people["lead"]),
        url("list"),
        {
            "trust": trust.ods_code,
            "framework": framework.code,
            "site_visit_date": soon.isoformat(),
            "lead": "lead",
        },
    )
    earliest = timezone.localdate() + relativedelta(months=1)
    assert response.json()["warnings"] == [
        "The site visit is 10 days away, less than a calendar month: the brief guide asks for "
        f"at least one month's notice (a visit on or after {earliest:%-d %B %Y})."
    ]


def test_only_assessors_schedule(people, trust):
    framework = FrameworkFactory()
    response = post(
        api(people["qa"]),
        url("list"),
        {
            "trust": trust.ods_code,
            "framework": framework.code,
            "site_visit_date": "2030-01-01",
            "lead": "lead",
        },
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Assessment.objects.exists()


def test_another_trust_gets_404_for_assessment_commentary_and_evidence(people, trust):
    assessment = AssessmentFactory(trust=trust, lead=people["lead"], status="factual_accuracy")
    Evidence.objects.create(
        assessment=assessment,
        kloe=assessment.framework.kloes.first(),
        source="site_visit",
        finding="context",
        text="internal",
        created_by=people["lead"],
        updated_by=people["lead"],
    )
    other = api(people["other_trust"])
    for name in ("detail", "commentary", "evidence", "ratings", "transitions"):
        assert other.get(url(name, assessment)).status_code == HTTPStatus.NOT_FOUND, name
    assert other.get(url("list")).json()["results"] == []
    own = api(people["trust"])
    assert len(own.get(url("evidence", assessment)).json()) == 1  # shared with the draft


def test_trust_never_sees_internal_evidence_before_the_draft_is_shared(people, trust):
    assessment = AssessmentFactory(trust=trust, lead=people["lead"], status="draft_report")
    Evidence.objects.create(
        assessment=assessment,
        kloe=assessment.framework.kloes.first(),
        source="site_visit",
        finding="negative",
        text="internal",
        created_by=people["lead"],
        updated_by=people["lead"],
    )
    KloeRating.objects.create(
        assessment=assessment, kloe=None, rating=3, rationale="draft", updated_by=people["lead"]
    )
    own = api(people["trust"])
    assert own.get(url("evidence", assessment)).json() == []
    assert own.get(url("ratings", assessment)).json() == []
    assert len(api(people["qa"]).get(url("evidence", assessment)).json()) == 1
