"""Where each question, prompt and characteristic comes from, shown on the workspace, the
commentary page and the report; statements outside the 2017 scope shown but never chosen."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Characteristic, Framework, Kloe
from assessments.reports.content import report_html
from assessments.services import (
    FRAMEWORK_IN_USE,
    framework_load,
    frameworks_load_all,
    rating_propose,
)
from assessments.services.evidence import CHARACTERISTIC_OUTSIDE_SCOPE
from assessments.services.frameworks import FRAMEWORK_DIR
from tests.assessments.page_helpers import set_status, signed_in
from tests.factories import AssessmentFactory, UserFactory

pytestmark = pytest.mark.django_db
SURPLUS = "likely or planning to be on course to deliver a sustainable surplus"


@pytest.fixture
def frameworks(metric_definitions):
    frameworks_load_all()
    return {framework.code: framework for framework in Framework.objects.all()}


@pytest.fixture
def live(frameworks, trust):
    """An assessment of an acute trust under revision 2, gathering evidence after its visit."""
    lead = UserFactory(username="lead", role="assessor")
    assessment = AssessmentFactory(trust=trust, framework=frameworks["uor-2017-acute-2"], lead=lead)
    assessment.site_visit_date = assessment.commentary_deadline = assessment.created_at.date()
    assessment.save()
    return set_status(assessment, "evidence"), lead


def test_loading_stores_each_rows_source_and_the_frameworks_scope(frameworks):
    draft, first, second = (
        frameworks[code] for code in ("uor-2016-draft", "uor-2017-acute", "uor-2017-acute-2")
    )
    assert (draft.consultation_draft, first.consultation_draft) == (True, False)
    assert draft.trust_types == first.trust_types == second.trust_types == ["acute"]
    assert "December 2016 consultation" in draft.provenance
    people = second.kloes.get(code="people")
    assert people.source == (
        "2016 consultation draft (Annex A, Figure A4), carried over into the 2017 framework"
    )
    assert people.prompts.get(code="P7").source == (
        "2016 consultation draft (Annex A, Figure A5, people P7), carried over into the 2017 "
        "framework"
    )
    support = second.kloes.get(code="clinical_support_services")
    corporate = second.kloes.get(code="corporate_services")
    assert support.question != corporate.question
    assert support.source.startswith("The service's wording")
    # The first 2017 version asks one question twice, and says so.
    first_support = first.kloes.get(code="clinical_support_services")
    assert first_support.question == first.kloes.get(code="corporate_services").question
    assert "both clinical support services and corporate services" in first_support.source
    # Plans: outside 2017's scope wherever the statement is listed, not in the 2016 draft's.
    marked = second.characteristics.filter(text__contains=SURPLUS)
    assert marked.count() == 2  # overall and finance
    assert all("does not cover a trust's strategy or plans" in c.outside_scope for c in marked)
    assert not draft.characteristics.exclude(outside_scope="").exists()
    assert second.characteristics.exclude(outside_scope="").count() == 6


def test_a_version_in_use_is_kept_and_a_new_version_is_a_new_row(frameworks, trust):
    first = frameworks["uor-2017-acute"]
    AssessmentFactory(trust=trust, framework=first)
    Kloe.objects.filter(framework=first, code="people").update(source="as first loaded")
    assert frameworks_load_all()[1] == FRAMEWORK_IN_USE.format(code="uor-2017-acute")
    assert Kloe.objects.get(framework=first, code="people").source == "as first loaded"
    _, loaded = framework_load(path=FRAMEWORK_DIR / "uor-2017-acute-2.yaml")
    assert loaded  # not in use: reloaded from its file
    assert Framework.objects.filter(code__startswith="uor-2017-acute").count() == 2


def test_an_outside_scope_statement_that_matches_nothing_is_refused(tmp_path, metric_definitions):
    text = (FRAMEWORK_DIR / "uor-2017-acute-2.yaml").read_text()
    text = text.replace("code: uor-2017-acute-2", "code: uor-typo", 1).replace(
        "  statements:\n  - ", "  statements:\n  - Not a statement of the framework.\n  - ", 1
    )
    path = tmp_path / "typo.yaml"
    path.write_text(text)
    with pytest.raises(ValidationError, match="not among its characteristics"):
        framework_load(path=path)
    assert not Framework.objects.filter(code="uor-typo").exists()


def test_the_workspace_shows_sources_notes_and_the_statements_outside_the_scope(live):
    assessment, lead = live
    page = signed_in(lead).get(
        reverse("assessments:kloe_workspace", kwargs={"pk": assessment.pk, "code": "finance"})
    )
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert escape("Question: 2016 consultation draft (Annex A, Figure A4), carried over") in body
    assert "From: 2016 consultation draft (Annex A, Figure A5, finance F1)" in body
    assert 'id="framework-notes"' in body
    assert "Revision 2 (this file) differs" in body
    assert "Outside the framework's scope" in body
    # Shown in the characteristics, but not offered as present in the rating form.
    outside = Characteristic.objects.get(
        framework=assessment.framework, kloe__code="finance", text__contains=SURPLUS
    )
    inside = Characteristic.objects.filter(
        framework=assessment.framework, kloe__code="finance", outside_scope=""
    ).first()
    assert f'value="{inside.pk}"' in body
    assert f'value="{outside.pk}"' not in body


def test_the_own_questions_of_the_two_operational_kloes_say_they_are_the_services(live):
    assessment, lead = live
    body = (
        signed_in(lead)
        .get(
            reverse(
                "assessments:kloe_workspace",
                kwargs={"pk": assessment.pk, "code": "clinical_support_services"},
            )
        )
        .content.decode()
    )
    assert "maximising the productivity of its clinical support services" in body
    assert escape("Question: The service's wording, derived from the 2017 brief guide") in body


def test_a_statement_outside_the_scope_cannot_be_chosen_as_present(live):
    assessment, lead = live
    finance = assessment.framework.kloes.get(code="finance")
    outside = finance.characteristics.get(text__contains=SURPLUS)
    inside = finance.characteristics.filter(outside_scope="").first()
    with pytest.raises(ValidationError) as refused:
        rating_propose(
            assessment=assessment,
            actor=lead,
            kloe=finance,
            rating=1,
            rationale="Strong.",
            characteristics=[outside],
        )
    message = refused.value.message_dict["characteristics"][0]
    assert message == CHARACTERISTIC_OUTSIDE_SCOPE.format(
        text=outside.text[:80], reason=outside.outside_scope
    )
    saved = rating_propose(
        assessment=assessment,
        actor=lead,
        kloe=finance,
        rating=1,
        rationale="Strong.",
        characteristics=[inside],
    )
    assert list(saved.characteristics.all()) == [inside]


def test_the_commentary_page_shows_where_the_question_and_prompts_come_from(frameworks, trust):
    user = UserFactory(username="writer", role="trust", trust=trust)
    assessment = AssessmentFactory(trust=trust, framework=frameworks["uor-2017-acute-2"])
    body = (
        signed_in(user)
        .get(reverse("assessments:commentary_edit", kwargs={"pk": assessment.pk, "code": "people"}))
        .content.decode()
    )
    assert escape("Question: 2016 consultation draft (Annex A, Figure A4)") in body
    assert "From: 2016 consultation draft (Annex A, Figure A5, people P1)" in body
    assert 'id="framework-provenance"' in body


def test_the_report_says_where_its_questions_and_prompts_come_from(live):
    assessment, _ = live
    html = report_html(assessment=assessment, kind="draft")
    assert 'id="framework-provenance-summary"' in html
    assert "Appendix: the framework and where its words come from" in html
    assert escape("The service's wording, derived from the 2017 brief guide") in html
    assert "2016 consultation draft (Annex A, Figure A5, finance F8)" in html
    assert "Ratings characteristics outside the framework" in html
    assert "come from: 2016 consultation draft (Annex A, section 4), carried over" in html
    assert html.count(SURPLUS) == 1  # listed once, though it sits overall and under finance
