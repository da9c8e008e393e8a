"""A metric of the metrics pack becomes evidence in one step, carrying its figures."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from assessments.models import Evidence, Kloe
from assessments.services import evidence_withdraw, frameworks_load_all
from metrics.models import MetricValue
from metrics.services import benchmarks_refresh, context_note_save
from tests.factories import AssessmentFactory, TrustFactory, UserFactory

pytestmark = pytest.mark.django_db
MONTHS = [datetime.date(2026, month, 1) for month in range(1, 11)]


@pytest.fixture
def setting(metric_definitions, trust):
    """Four acute trusts with I&E margins; `trust` is the worst (an outlier)."""
    lead = UserFactory(username="lead", role="assessor")
    assessment = AssessmentFactory(trust=trust, lead=lead, status="evidence")
    finance = assessment.framework.kloes.get(code="finance")
    finance.metrics.add(metric_definitions["ie_margin"])
    finance.prompts.get(code="F2").metrics.add(metric_definitions["ie_margin"])
    margins = {trust: -6.0, TrustFactory(): 1.0, TrustFactory(): 2.0, TrustFactory(): 3.0}
    MetricValue.objects.bulk_create(
        MetricValue(trust=t, metric=metric_definitions["ie_margin"], period=month, value=v)
        for t, v in margins.items()
        for month in MONTHS
    )
    benchmarks_refresh()  # as a load of these values would
    return assessment, finance, lead


def test_the_workspace_shows_the_figures_and_records_one_as_evidence(client, setting):
    assessment, finance, lead = setting
    client.force_login(lead)
    workspace = reverse(
        "assessments:kloe_workspace", kwargs={"pk": assessment.pk, "code": "finance"}
    )
    page = client.get(workspace).content.decode()
    assert "Figures for October 2026" in page
    assert "Record as evidence" in page

    context_note_save(
        actor=lead,
        trust=assessment.trust,
        metric=finance.metrics.get(),
        text="A one-off impairment.",
    )
    assert "Context: A one-off impairment." in client.get(workspace).content.decode()
    response = client.post(
        reverse(
            "assessments:evidence_from_metric", kwargs={"pk": assessment.pk, "code": "finance"}
        ),
        {"metric": "ie_margin", "period": "2026-10"},
    )
    assert response["Location"] == workspace
    evidence = Evidence.objects.get()
    assert (evidence.source, evidence.finding, evidence.kloe) == (
        "metric_analysis",
        "negative",
        finance,
    )
    assert list(evidence.metrics.values_list("code", flat=True)) == ["ie_margin"]
    assert evidence.prompt.code == "F2"  # the prompt the metric answers, not the whole KLOE
    assert evidence.figures["value"] == -6.0
    assert evidence.figures["period"] == "2026-10"
    assert evidence.figures["national_quartile"] == 4
    assert evidence.figures["outlier"] is True
    assert evidence.figures["national_median"] == pytest.approx(1.5)
    assert "in October 2026" in evidence.text
    # "Outlier" is the bottom quartile of the trust's cohort (all four are acute trusts).
    assert evidence.figures["peer_group"] == "Acute trusts"
    assert evidence.figures["peer_quartile"] == 4
    assert "quartile 4 of 4 in the cohort" in evidence.text
    assert "national quartile 4" in evidence.text
    assert "in the bottom quartile of its cohort" in evidence.text
    assert evidence.figures["context"] == "A one-off impairment."
    assert evidence.text.endswith("Context: A one-off impairment.")
    assert "is recorded as evidence, with its figures" in client.get(workspace).content.decode()


def test_a_metric_that_does_not_inform_the_kloe_is_refused(client, setting):
    assessment, _finance, lead = setting
    client.force_login(lead)
    response = client.post(
        reverse("assessments:evidence_from_metric", kwargs={"pk": assessment.pk, "code": "people"}),
        {"metric": "ie_margin", "period": "2026-10"},
        follow=True,
    )
    assert "does not inform People" in response.content.decode()
    assert not Evidence.objects.exists()


def test_only_the_team_while_gathering_evidence(client, setting):
    assessment, _finance, _lead = setting
    client.force_login(UserFactory(username="outsider", role="assessor"))
    response = client.post(
        reverse(
            "assessments:evidence_from_metric", kwargs={"pk": assessment.pk, "code": "finance"}
        ),
        {"metric": "ie_margin", "period": "2026-10"},
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Evidence.objects.exists()


def test_recording_the_same_metric_twice_is_refused_with_a_link_to_the_first(client, setting):
    assessment, _, lead = setting
    client.force_login(lead)
    record = reverse(
        "assessments:evidence_from_metric", kwargs={"pk": assessment.pk, "code": "finance"}
    )
    client.post(record, {"metric": "ie_margin", "period": "2026-10"})
    first = Evidence.objects.get()
    page = client.post(record, {"metric": "ie_margin", "period": "2026-10"}, follow=True)
    text = page.content.decode()
    assert (
        "Income and expenditure (I&amp;E) margin for October 2026 is already recorded as "
        "evidence on Finance."
    ) in text
    link = reverse(
        "assessments:evidence_detail", kwargs={"pk": assessment.pk, "evidence_pk": first.pk}
    )
    assert f'href="{link}">See the evidence already recorded</a>' in text
    assert Evidence.objects.count() == 1
    # The workspace now links to it instead of offering to record it again.
    workspace = client.get(
        reverse("assessments:kloe_workspace", kwargs={"pk": assessment.pk, "code": "finance"})
    ).content.decode()
    assert f'href="{link}">Recorded<' in workspace
    assert "Record as evidence" not in workspace
    # Another month is another finding; a withdrawn one no longer blocks recording it again.
    client.post(record, {"metric": "ie_margin", "period": "2026-09"})
    assert Evidence.objects.count() == 2
    evidence_withdraw(evidence=first, actor=lead, reason="Recorded before the data was revised")
    client.post(record, {"metric": "ie_margin", "period": "2026-10"})
    assert Evidence.objects.current().count() == 2


def test_the_framework_files_say_which_prompt_each_metric_answers(metric_definitions):
    frameworks_load_all()
    finance = Kloe.objects.get(framework__code="uor-2017-acute", code="finance")
    answers = {
        prompt.code: sorted(prompt.metrics.values_list("code", flat=True))
        for prompt in finance.prompts.all()
        if prompt.metrics.exists()
    }
    assert answers == {
        "F1": ["distance_from_plan", "ie_margin"],
        "F2": ["liquidity_days"],
        "F3": ["capital_service_capacity"],
        "F7": ["agency_spend_vs_cap"],
    }
