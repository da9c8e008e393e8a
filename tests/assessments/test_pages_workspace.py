"""The assessor's workspace per KLOE, the rating forms, and who may use them."""

from http import HTTPStatus

import pytest

from assessments import services
from assessments.models import Characteristic, KloeRating, Status
from tests.assessments.page_helpers import set_status, signed_in, url
from tests.factories import EvidenceFactory, visit_held

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering(assessment):
    """Gathering evidence, the site visit held yesterday."""
    return visit_held(set_status(assessment, Status.EVIDENCE))


def workspace(assessment, code="finance"):
    return url("kloe_workspace", assessment, code=code)


def test_workspace_shows_question_prompts_metrics_and_characteristics(
    gathering, people, metric_definitions
):
    kloe = gathering.framework.kloes.get(code="finance")
    metric = next(iter(metric_definitions.values()))
    kloe.metrics.add(metric)
    page = signed_in(people["member"]).get(workspace(gathering)).content.decode()
    assert kloe.question in page
    assert "Prompt 1 about finance" in page
    assert metric.code in page
    assert metric.name in page
    for level in (1, 2, 3, 4):
        assert f"Finance statement at level {level}" in page
    assert "Add evidence" in page
    assert url("evidence_create", gathering, code="finance") in page


def test_evidence_is_filtered_by_source_and_prompt(gathering, people):
    kloe = gathering.framework.kloes.get(code="finance")
    f1, f2 = kloe.prompts.order_by("number")
    EvidenceFactory(assessment=gathering, source="site_visit", prompt=f1, text="Interview note")
    EvidenceFactory(assessment=gathering, source="metric_analysis", prompt=f2, text="Metric note")
    client = signed_in(people["lead"])
    page = client.get(workspace(gathering), {"source": "site_visit"}).content.decode()
    assert "Interview note" in page
    assert "Metric note" not in page
    page = client.get(workspace(gathering), {"prompt": f2.pk}).content.decode()
    assert "Metric note" in page
    assert "Interview note" not in page
    page = client.get(workspace(gathering), {"source": "local_intelligence"}).content.decode()
    assert "No evidence matches the filter." in page


def rating_post(assessment, rating="2", rationale="Strong grip on costs.", **extra):
    statement = Characteristic.objects.get(kloe__code="finance", level=2)
    return {"rating": rating, "rationale": rationale, "characteristics": [statement.pk], **extra}


def test_team_proposes_a_kloe_rating_with_characteristics(gathering, people):
    client = signed_in(people["member"])
    response = client.post(workspace(gathering), rating_post(gathering))
    assert response.status_code == HTTPStatus.FOUND
    rating = KloeRating.objects.get()
    assert (rating.kloe.code, rating.rating, rating.rationale) == (
        "finance",
        2,
        "Strong grip on costs.",
    )
    assert [c.text for c in rating.characteristics.all()] == ["Finance statement at level 2"]
    page = client.get(workspace(gathering)).content.decode()
    assert "The proposed rating for Finance is saved." in page
    assert "2: Good" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rationale": "   "}, services.RATIONALE_REQUIRED),
        ({"rating": "7"}, services.BAD_RATING),
        ({"rating": "0"}, services.BAD_RATING),
        ({"rating": ""}, services.BAD_RATING),
    ],
)
def test_bad_rating_input_says_why_and_saves_nothing(gathering, people, changes, message):
    response = signed_in(people["lead"]).post(
        workspace(gathering), {**rating_post(gathering), **changes}
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not KloeRating.objects.exists()


def test_a_stale_rating_form_is_a_conflict(gathering, people):
    lead, member = signed_in(people["lead"]), signed_in(people["member"])
    lead.post(workspace(gathering), rating_post(gathering))
    lead.post(workspace(gathering), rating_post(gathering, rating="3", version="1"))
    response = member.post(
        workspace(gathering), rating_post(gathering, rating="1", rationale="Mine", version="1")
    )
    assert response.status_code == HTTPStatus.OK
    assert "Someone else changed this rating" in response.content.decode()
    assert KloeRating.objects.get().rating == 3


def test_overall_rating_page(gathering, people):
    client = signed_in(people["lead"])
    response = client.post(
        url("overall_rating", gathering), {"rating": "3", "rationale": "Costs too high overall."}
    )
    assert response.status_code == HTTPStatus.FOUND
    rating = KloeRating.objects.get(kloe=None)
    assert rating.rating == 3
    response = client.post(url("overall_rating", gathering), {"rating": "3", "rationale": ""})
    assert services.RATIONALE_REQUIRED in response.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("trust", HTTPStatus.FORBIDDEN),
        ("other_trust", HTTPStatus.NOT_FOUND),
        ("outsider", HTTPStatus.NOT_FOUND),
        ("qa", HTTPStatus.NOT_FOUND),
    ],
)
def test_who_may_not_use_the_workspace(gathering, people, who, expected):
    EvidenceFactory(assessment=gathering, text="Internal finding")
    client = signed_in(people[who])
    for page in (workspace(gathering), url("overall_rating", gathering)):
        response = client.get(page)
        assert response.status_code == expected
        assert "Internal finding" not in response.content.decode()
        assert client.post(page, rating_post(gathering)).status_code == expected
    assert not KloeRating.objects.exists()


def test_qa_reads_the_workspace_but_cannot_rate(assessment, people):
    set_status(assessment, Status.QA_REVIEW)
    client = signed_in(people["qa"])
    response = client.get(workspace(assessment))
    assert response.status_code == HTTPStatus.OK
    assert 'name="rationale"' not in response.content.decode()
    assert client.post(workspace(assessment), rating_post(assessment)).status_code == (
        HTTPStatus.FORBIDDEN
    )


def test_the_overview_links_each_kloe_to_its_workspace(gathering, people):
    page = signed_in(people["lead"]).get(gathering.get_absolute_url()).content.decode()
    for code in ("finance", "people"):
        assert workspace(gathering, code) in page
    assert url("overall_rating", gathering) in page


def test_the_team_writes_improvements_outstanding_practice_and_the_summary(gathering, people):
    """What the report prints beyond the ratings: written on the rating forms."""
    client = signed_in(people["lead"])
    client.post(
        workspace(gathering),
        rating_post(
            gathering,
            areas_for_improvement="Cut agency spend.\n- Review the estate plan.",
            outstanding_practice="Theatre scheduling shared across the region.",
        ),
    )
    client.post(
        url("overall_rating", gathering),
        {"rating": "2", "rationale": "Good overall.", "summary": "The trust knows its costs."},
    )
    finance = KloeRating.objects.get(assessment=gathering, kloe__code="finance")
    assert finance.areas_for_improvement == "Cut agency spend.\n- Review the estate plan."
    assert finance.outstanding_practice == "Theatre scheduling shared across the region."
    gathering.refresh_from_db()
    assert gathering.summary == "The trust knows its costs."
    page = client.get(url("overall_rating", gathering)).content.decode()
    assert "The trust knows its costs." in page  # the form shows what was saved


def test_the_summary_is_the_teams_until_the_draft_is_shared(assessment, people):
    set_status(assessment, Status.FACTUAL_ACCURACY)
    response = signed_in(people["lead"]).post(
        url("overall_rating", assessment), {"rating": "2", "rationale": "x", "summary": "Late"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assessment.refresh_from_db()
    assert assessment.summary == ""
