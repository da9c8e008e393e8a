"""Each consistency rule on both sides: the case that trips it and the nearest that does not."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.consistency.rules import findings_evaluate
from assessments.consistency.selectors import findings_with_answers
from assessments.models import Characteristic, Evidence, KloeRating, PassageRevision, Status
from metrics.models import FinanceScore, MetricValue
from metrics.services import benchmarks_refresh
from tests.assessments.page_helpers import set_status
from tests.factories import AssessmentFactory, EvidenceFactory, TrustFactory, visit_held

pytestmark = pytest.mark.django_db

# Thirteen months: enough for the pack's 12-month change (October 2025 to October 2026).
MONTHS = [datetime.date(2025 + (9 + n) // 12, (9 + n) % 12 + 1, 1) for n in range(13)]
FINANCE_METRICS = ("ie_margin", "liquidity_days")  # higher is better for both


@pytest.fixture
def assessment(trust):
    return visit_held(AssessmentFactory(trust=trust, status=Status.EVIDENCE))


def kloe(assessment, code):
    return None if code == "overall" else assessment.framework.kloes.get(code=code)


def rate(assessment, code, rating, rationale="Judged on the evidence.", ticked=()):
    saved = KloeRating.objects.create(
        assessment=assessment,
        kloe=kloe(assessment, code),
        rating=rating,
        rationale=rationale,
        updated_by=assessment.lead,
    )
    saved.characteristics.set(ticked)
    return saved


def evidence(assessment, code, source="site_visit", text="Seen at the visit.", **kwargs):
    return EvidenceFactory(
        assessment=assessment, kloe=kloe(assessment, code), source=source, text=text, **kwargs
    )


def found(assessment, rule):
    return [f for f in findings_evaluate(assessment) if f.rule == rule]


# 1. A KLOE's rating against its own metrics ------------------------------------------------


@pytest.fixture
def metrics_of(metric_definitions, assessment):
    """Give the finance KLOE two metrics; `load(own)` stores the trust's values beside three
    peers' (1, 2, 3 every month), `own` a value or a function of the month's index."""
    finance = kloe(assessment, "finance")
    for code in FINANCE_METRICS:
        finance.metrics.add(metric_definitions[code])
    peers = [TrustFactory() for _ in range(3)]

    def load(own):
        rows = []
        for code in FINANCE_METRICS:
            for index, month in enumerate(MONTHS):
                value = own(index) if callable(own) else own
                rows.append(
                    MetricValue(
                        trust=assessment.trust,
                        metric=metric_definitions[code],
                        period=month,
                        value=value,
                    )
                )
                rows += [
                    MetricValue(trust=peer, metric=metric_definitions[code], period=month, value=v)
                    for peer, v in zip(peers, (1.0, 2.0, 3.0), strict=True)
                ]
        MetricValue.objects.bulk_create(rows)
        benchmarks_refresh()

    return load


def test_good_with_two_metrics_in_the_worst_peer_quartile_unaddressed_is_found(
    assessment, metrics_of
):
    metrics_of(-5.0)
    rate(assessment, "finance", 2)
    evidence(assessment, "finance", text="The board minutes were read.")

    [finding] = found(assessment, "metrics_against_rating")
    assert finding.subject == "finance"
    assert "Finance is rated Good, but 2 of its metrics speak against it" in finding.message
    assert "Liquidity (days) (worst quartile of its peers)" in finding.message


def test_good_is_not_questioned_once_evidence_names_one_of_the_two(assessment, metrics_of):
    metrics_of(-5.0)
    rate(assessment, "finance", 2)
    evidence(assessment, "finance", text="Liquidity (days) is poor; the plan fixes it.")

    assert found(assessment, "metrics_against_rating") == []


def test_good_with_two_metrics_worse_than_12_months_before_is_found(assessment, metrics_of):
    metrics_of(lambda index: 2.9 - index * 0.05)  # mid-table, falling every month
    rate(assessment, "finance", 1)
    evidence(assessment, "finance")

    [finding] = found(assessment, "metrics_against_rating")
    assert "worse than 12 months before" in finding.message
    assert "worst quartile" not in finding.message


def test_inadequate_with_two_metrics_in_the_best_quartile_unaddressed_is_found(
    assessment, metrics_of, metric_definitions
):
    metrics_of(9.0)
    rate(assessment, "finance", 4)
    item = evidence(assessment, "finance")

    [finding] = found(assessment, "metrics_against_rating")
    assert "Finance is rated Inadequate, but 2 of its metrics speak for it" in finding.message
    assert "best quartile of its peers" in finding.message

    item.metrics.set([metric_definitions[code] for code in FINANCE_METRICS])
    assert found(assessment, "metrics_against_rating") == []


def test_requires_improvement_is_not_questioned_by_its_metrics(assessment, metrics_of):
    metrics_of(-5.0)
    rate(assessment, "finance", 3)
    assert found(assessment, "metrics_against_rating") == []


# 2. Where a KLOE's evidence comes from -----------------------------------------------------


def test_a_rating_without_site_visit_evidence_is_found_until_some_is_recorded(assessment):
    rate(assessment, "people", 2)
    evidence(assessment, "people", source=Evidence.Source.TRUST_SUBMISSION)

    [finding] = found(assessment, "no_site_visit_evidence")
    assert finding.message == (
        "People is rated Good with no evidence from the site-visit interviews."
    )
    evidence(assessment, "people", source=Evidence.Source.SITE_VISIT)
    assert found(assessment, "no_site_visit_evidence") == []


def test_evidence_all_from_one_source_is_found_until_a_second_source(assessment):
    rate(assessment, "people", 3)
    for _ in range(2):
        evidence(assessment, "people", source=Evidence.Source.METRIC_ANALYSIS)

    [finding] = found(assessment, "single_source_evidence")
    assert "All 2 pieces of evidence for People (rated Requires improvement)" in finding.message
    assert finding.message.endswith("come from one source: metric analysis.")
    evidence(assessment, "people", source=Evidence.Source.LOCAL_INTELLIGENCE)
    assert found(assessment, "single_source_evidence") == []


def test_withdrawn_evidence_does_not_count_as_a_second_source(assessment):
    rate(assessment, "people", 2)
    evidence(assessment, "people")
    other = evidence(assessment, "people", source=Evidence.Source.TRUST_SUBMISSION)
    assert found(assessment, "single_source_evidence") == []
    Evidence.objects.filter(pk=other.pk).update(
        withdrawn_at=datetime.datetime.now(tz=datetime.UTC), withdrawal_reason="Wrong trust"
    )
    assert len(found(assessment, "single_source_evidence")) == 1


# 3. The overall rating against the KLOE ratings --------------------------------------------


def test_overall_good_with_two_kloes_inadequate_says_which_way_and_by_how_much(assessment):
    rate(assessment, "finance", 4)
    rate(assessment, "people", 4)
    rate(assessment, "overall", 2)

    [finding] = found(assessment, "overall_out_of_line")
    assert finding.message == (
        "The overall rating, Good, is two levels better than the KLOE ratings suggest "
        "(Inadequate: 2 KLOEs are rated inadequate)."
    )


def test_overall_worse_than_the_kloes_is_found_and_in_line_is_not(assessment):
    rate(assessment, "finance", 2)
    rate(assessment, "people", 2)
    overall = rate(assessment, "overall", 3)
    [finding] = found(assessment, "overall_out_of_line")
    assert "is one level worse than the KLOE ratings suggest (Good:" in finding.message

    KloeRating.objects.filter(pk=overall.pk).update(rating=2)
    assert found(assessment, "overall_out_of_line") == []


# 4. The finance KLOE against the finance score ---------------------------------------------


def score(assessment, value):
    FinanceScore.objects.create(
        trust=assessment.trust,
        period=assessment.site_visit_date.replace(day=1),
        overall=value,
        moderated=value,
    )


def test_finance_good_while_the_finance_score_is_3_is_found(assessment):
    score(assessment, 3)
    rate(assessment, "finance", 2)
    [finding] = found(assessment, "finance_against_score")
    month = f"{assessment.site_visit_date:%B %Y}"
    assert finding.message == (
        f"Finance is rated Good while the trust's finance score for {month} is 3 "
        "(1 is best, 4 worst)."
    )


def test_finance_good_while_the_finance_score_is_2_is_not(assessment):
    score(assessment, 2)
    rate(assessment, "finance", 2)
    assert found(assessment, "finance_against_score") == []


def test_finance_requires_improvement_while_the_score_is_1_is_found(assessment):
    score(assessment, 1)
    rate(assessment, "finance", 3)
    assert "rated Requires improvement" in found(assessment, "finance_against_score")[0].message


def test_finance_rating_without_a_score_for_the_visit_month_is_not_checked(assessment):
    rate(assessment, "finance", 1)
    assert found(assessment, "finance_against_score") == []


# 5. Rationale and characteristics of another level -----------------------------------------


@pytest.fixture
def inadequate_statement(assessment):
    return Characteristic.objects.create(
        framework=assessment.framework,
        kloe=kloe(assessment, "finance"),
        level=4,
        number=2,
        text="The trust has no credible plan to return to financial balance within three years.",
    )


def test_a_rationale_quoting_eight_words_of_another_level_is_found(
    assessment, inadequate_statement
):
    rate(
        assessment,
        "finance",
        2,
        rationale="Good, though it has NO credible plan: to return "
        "to financial balance, within the period.",
    )
    [finding] = found(assessment, "rationale_quotes_other_level")
    assert "The rationale for Finance (rated Good) quotes the Inadequate characteristic" in (
        finding.message
    )


def test_seven_words_or_a_quote_of_the_same_level_are_not(assessment, inadequate_statement):
    seven = "It has no credible plan to return to safety."  # 7 words shared, then it differs
    rated = rate(assessment, "finance", 2, rationale=seven)
    assert found(assessment, "rationale_quotes_other_level") == []
    KloeRating.objects.filter(pk=rated.pk).update(rating=4, rationale=inadequate_statement.text)
    assert found(assessment, "rationale_quotes_other_level") == []


def test_ticking_characteristics_of_another_level_only_is_found(assessment):
    by_level = {c.level: c for c in kloe(assessment, "people").characteristics.all()}
    rated = rate(assessment, "people", 2, ticked=[by_level[3]])
    [finding] = found(assessment, "ticks_other_level_only")
    assert finding.message == (
        "People is rated Good, but every characteristic ticked as present is of another "
        "level: Requires improvement."
    )
    rated.characteristics.add(by_level[2])
    assert found(assessment, "ticks_other_level_only") == []


# 6. After factual accuracy: a corrected figure still quoted --------------------------------


def test_a_corrected_figure_still_quoted_in_a_rationale_is_found_after_fa(assessment):
    finance = rate(assessment, "finance", 2, rationale="Agency spend was 16.4% of the cap.")
    PassageRevision.objects.create(
        assessment=assessment,
        passage=PassageRevision.Passage.FINDING,
        reason=PassageRevision.Reason.FACTUAL_ACCURACY,
        old_text="Agency spend was -16.4 (%) of the cap in 2026.",
        new_text="Agency spend was -6.4 (%) of the cap in 2026.",
        revised_by=assessment.lead,
    )
    assert found(assessment, "corrected_figure_still_quoted") == []  # before the FA check

    set_status(assessment, Status.FACTUAL_ACCURACY)
    [finding] = found(assessment, "corrected_figure_still_quoted")
    assert "still quoted in the rationale for Finance (16.4)" in finding.message

    KloeRating.objects.filter(pk=finance.pk).update(rationale="Agency spend was 6.4% of it.")
    assert found(assessment, "corrected_figure_still_quoted") == []


def test_the_checks_cost_the_same_queries_whatever_the_evidence(assessment, metrics_of):
    metrics_of(-5.0)
    rate(assessment, "finance", 2, ticked=kloe(assessment, "finance").characteristics.all())
    rate(assessment, "overall", 2)
    evidence(assessment, "finance")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            findings_with_answers(assessment=assessment)
        return len(captured)

    few = queries()
    for source in ("trust_submission", "metric_analysis", "local_intelligence"):
        evidence(assessment, "finance", source=source)
        evidence(assessment, "people", source=source)
    rate(assessment, "people", 4)
    assert queries() == few
