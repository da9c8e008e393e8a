"""The oversight view's five themes: each trigger of the 2019/20 annex on both sides of its
threshold, the service's own flags apart, and the same number of queries for 10 or 230
trusts with metric values, benchmarks and concerns."""

import datetime
from http import HTTPStatus

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import KloeRating, ReviewRequest
from assessments.publication.services import review_request_decide
from metrics.models import CqcRating, MetricBenchmark, MetricValue
from metrics.services import metric_definitions_load
from tests.factories import AssessmentFactory, DevelopmentalReviewFactory, TrustFactory, UserFactory
from wellled.models import OversightConcern
from wellled.selectors import oversight_rows
from wellled.services.oversight import oversight_concern_close, oversight_concern_record

from .test_oversight import finance, published_uor

pytestmark = pytest.mark.django_db

URL = "/well-led/oversight/"
THIS_MONTH = timezone.localdate().replace(day=1)
LAST_MONTH = THIS_MONTH - relativedelta(months=1)
MONTH_BEFORE = THIS_MONTH - relativedelta(months=2)


def row_for(user, trust, **filters):
    return next(row for row in oversight_rows(user=user, **filters) if row.trust.pk == trust.pk)


def flags_of(user, trust) -> dict[str, object]:
    return {flag.code: flag for flag in row_for(user, trust).flags}


def cqc(trust, question, rating, on=datetime.date(2026, 3, 1), by=None):
    return CqcRating.objects.create(
        trust=trust,
        question=question,
        rating=rating,
        rated_on=on,
        source=CqcRating.Source.UOR_FINALISATION,
        recorded_by=by or UserFactory(role="cqc"),
    )


def value(trust, definition, month, figure):
    MetricValue.objects.create(trust=trust, metric=definition, period=month, value=figure)


@pytest.fixture
def reviewed(trust):
    """A recent completed review: no service flag gets in the way of the theme flags."""
    DevelopmentalReviewFactory(trust=trust, completed_on=timezone.localdate())
    return trust


# --- Quality of care ---------------------------------------------------------------------


@pytest.mark.parametrize("question", ["overall", "safe", "effective", "caring", "responsive"])
@pytest.mark.parametrize(("rating", "flagged"), [(1, False), (2, False), (3, True), (4, True)])
def test_a_cqc_quality_rating_of_ri_or_inadequate_is_a_quality_trigger(
    reviewed, assessor, question, rating, flagged
):
    cqc(reviewed, question, rating)
    flags = flags_of(assessor, reviewed)
    assert (f"cqc_{question}" in flags) is flagged
    if flagged:
        assert flags[f"cqc_{question}"].theme == "quality"
        assert flags[f"cqc_{question}"].source.startswith(f"CQC {question} rating of 1 March 2026")


def test_only_the_latest_quality_rating_counts_and_well_led_is_not_quality(reviewed, assessor):
    cqc(reviewed, "safe", 4, on=datetime.date(2025, 1, 1))
    cqc(reviewed, "safe", 2, on=datetime.date(2026, 1, 1))
    cqc(reviewed, "well_led", 3)
    flags = flags_of(assessor, reviewed)
    assert "cqc_safe" not in flags
    assert flags["wellled"].theme == "leadership"


def test_a_warning_notice_is_a_quality_flag_until_it_is_closed(reviewed, assessor):
    notice = oversight_concern_record(
        trust=reviewed,
        actor=assessor,
        theme="quality",
        kind="warning_notice",
        reason="Section 29A notice: staffing on the children's ward",
        raised_on=datetime.date(2026, 2, 3),
    )
    flag = flags_of(assessor, reviewed)["warning_notice"]
    assert (flag.theme, flag.label) == ("quality", "CQC warning notice")
    assert "3 February 2026" in flag.source
    assert "children's ward" in flag.source
    oversight_concern_close(
        trust=reviewed,
        actor=assessor,
        concern_id=notice.pk,
        closed_on=timezone.localdate(),
        closed_reason="CQC lifted it",
    )
    assert "warning_notice" not in flags_of(assessor, reviewed)


# --- Finance and use of resources --------------------------------------------------------


@pytest.mark.parametrize(("score", "flagged"), [(1, False), (2, False), (3, True), (4, True)])
def test_a_finance_score_of_3_or_4_is_a_finance_trigger(reviewed, assessor, score, flagged):
    finance(reviewed, score)
    flags = flags_of(assessor, reviewed)
    assert ("finance" in flags) is flagged
    if flagged:
        assert flags["finance"].theme == "finance"


def test_oversight_reads_the_current_published_version_after_a_review_request(
    reviewed, assessor, cqc_user, trust_user
):
    assessment = published_uor(reviewed, 3)
    assert flags_of(assessor, reviewed)["uor"].theme == "finance"
    review = ReviewRequest.objects.create(
        assessment=assessment, grounds="The site visit ran short", requested_by=trust_user
    )
    review_request_decide(
        review=review, actor=cqc_user, decision="changed", note="Process not followed", new_rating=2
    )
    row = row_for(assessor, reviewed)
    assert (row.uor_rating, row.uor_version, row.uor_label) == (2, 2, "Good")
    assert "uor" not in row.flag_codes


def test_a_good_published_rating_changed_to_inadequate_is_flagged(
    reviewed, assessor, cqc_user, trust_user
):
    assessment = published_uor(reviewed, 2)
    assert "uor" not in flags_of(assessor, reviewed)
    review = ReviewRequest.objects.create(
        assessment=assessment, grounds="The evidence was misread", requested_by=trust_user
    )
    review_request_decide(
        review=review, actor=cqc_user, decision="changed", note="Re-rated", new_rating=4
    )
    source = flags_of(assessor, reviewed)["uor"].source
    assert source.startswith("Published UoR rating, version 2 of ")
    assert source.endswith("Inadequate")


@pytest.mark.parametrize(
    ("status", "flagged"),
    [("qa_review", False), ("draft_report", True), ("cqc_review", True), ("finalised", True)],
)
def test_a_ratified_proposed_rating_is_shown_labelled_so(reviewed, assessor, status, flagged):
    assessment = AssessmentFactory(trust=reviewed, status=status)
    KloeRating.objects.create(
        assessment=assessment, kloe=None, rating=3, rationale="r", updated_by=assessment.lead
    )
    flags = flags_of(assessor, reviewed)
    assert ("uor_ratified" in flags) is flagged
    if flagged:
        flag = flags["uor_ratified"]
        assert flag.label.endswith("(ratified, not yet published)")
        assert flag.source.startswith("Proposed UoR rating ratified by the QA committee")
        assert "uor" not in flags  # nothing is published yet


def test_a_ratified_good_rating_raises_no_flag(reviewed, assessor):
    assessment = AssessmentFactory(trust=reviewed, status="draft_report")
    KloeRating.objects.create(
        assessment=assessment, kloe=None, rating=2, rationale="r", updated_by=assessment.lead
    )
    row = row_for(assessor, reviewed)
    assert row.uor_ratified_label == "Good"
    assert "uor_ratified" not in row.flag_codes


# --- Operational performance -------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "last", "before", "flagged"),
    [
        ("ae_four_hours", 91.0, 93.5, True),  # two consecutive months below 95%
        ("ae_four_hours", 91.0, 95.0, False),  # one month missed: no flag
        ("ae_four_hours", 95.0, 90.0, False),  # met in the latest month
        ("rtt_18_weeks", 91.9, 80.0, True),
        ("rtt_18_weeks", 92.0, 92.0, False),
        ("cancer_62_days", 84.9, 84.9, True),
        ("cancer_62_days", 84.9, 85.0, False),
        ("diagnostics_six_weeks", 1.5, 1.2, True),  # lower is better: above 1% missed
        ("diagnostics_six_weeks", 1.5, 1.0, False),
    ],
)
def test_an_operational_standard_missed_two_consecutive_months_is_a_trigger(
    reviewed, assessor, metric_definitions, code, last, before, flagged
):
    definition = metric_definitions[code]
    value(reviewed, definition, LAST_MONTH, last)
    value(reviewed, definition, MONTH_BEFORE, before)
    flags = flags_of(assessor, reviewed)
    assert (f"standard_{code}" in flags) is flagged
    if flagged:
        flag = flags[f"standard_{code}"]
        assert flag.theme == "operational"
        assert f"in {LAST_MONTH:%B %Y}" in flag.source
        assert flag.source.endswith("(NHS Constitution operational standard)")


def test_the_operational_flag_names_both_months_and_the_standard(
    reviewed, assessor, metric_definitions
):
    definition = metric_definitions["ae_four_hours"]
    value(reviewed, definition, LAST_MONTH, 91.0)
    value(reviewed, definition, MONTH_BEFORE, 93.5)
    assert flags_of(assessor, reviewed)["standard_ae_four_hours"].source == (
        f"91% in {LAST_MONTH:%B %Y} and 93.5% in {MONTH_BEFORE:%B %Y}; the standard is 95% or "
        "more (NHS Constitution operational standard)"
    )


def test_two_missed_months_with_a_gap_between_them_are_not_consecutive(
    reviewed, assessor, metric_definitions
):
    definition = metric_definitions["ae_four_hours"]
    value(reviewed, definition, LAST_MONTH, 80.0)
    value(reviewed, definition, LAST_MONTH - relativedelta(months=2), 80.0)
    assert "standard_ae_four_hours" not in flags_of(assessor, reviewed)
    value(reviewed, definition, MONTH_BEFORE, 96.0)  # the month between was met
    assert "standard_ae_four_hours" not in flags_of(assessor, reviewed)


def test_the_standards_are_metric_definitions_with_their_threshold_and_source(
    metric_definitions,
):
    thresholds = {
        code: (metric_definitions[code].threshold, metric_definitions[code].lower_is_better)
        for code in ("ae_four_hours", "rtt_18_weeks", "cancer_62_days", "diagnostics_six_weeks")
    }
    assert thresholds == {
        "ae_four_hours": (95, False),
        "rtt_18_weeks": (92, False),
        "cancer_62_days": (85, False),
        "diagnostics_six_weeks": (1, True),
    }
    assert all(metric_definitions[code].threshold_source for code in thresholds)
    assert metric_definitions["ie_margin"].threshold is None


def test_a_threshold_without_its_source_is_refused_naming_the_definition(tmp_path):
    path = tmp_path / "definitions.yaml"
    path.write_text(
        "- {code: ae_four_hours, name: A&E, area: operational, unit: percent,\n"
        "   lower_is_better: false, frequency: monthly, source: s, rationale: r, threshold: 95}\n"
    )
    with pytest.raises(ValidationError, match="metric definition 1 \\(ae_four_hours\\)"):
        metric_definitions_load(path=path)


def test_the_api_gives_each_definition_its_threshold(client, assessor, metric_definitions):
    client.force_login(assessor)
    data = client.get("/api/v1/metric-definitions/ae_four_hours/").json()
    assert data["threshold"] == 95
    assert data["threshold_source"].startswith("NHS Constitution operational standard: 95%")


# --- Leadership and improvement capability -----------------------------------------------


def benchmark(definition, month, trust_type, q1, median, q3):
    MetricBenchmark.objects.create(
        metric=definition,
        period=month,
        peer_group=trust_type,
        count=40,
        q1=q1,
        median=median,
        q3=q3,
        computed_at=timezone.now(),
    )


@pytest.mark.parametrize(
    ("code", "figure", "flagged"),
    [
        ("sickness_absence", 5.5, True),  # lower is better: above the 75th percentile
        ("sickness_absence", 4.8, False),
        ("staff_turnover", 5.01, True),
        ("vacancy_rate", 5.0, False),  # on the 75th percentile: third quartile
        ("staff_survey_engagement", 3.9, True),  # higher is better: below the 25th
        ("staff_survey_engagement", 4.0, False),
    ],
)
def test_an_organisational_health_metric_in_the_peers_bottom_quartile_is_a_trigger(
    reviewed, assessor, metric_definitions, code, figure, flagged
):
    definition = metric_definitions[code]
    benchmark(definition, LAST_MONTH, reviewed.trust_type, 4.0, 4.5, 5.0)
    benchmark(definition, LAST_MONTH, "", 0.0, 0.0, 0.0)  # the national row is not the peers'
    value(reviewed, definition, LAST_MONTH, figure)
    flags = flags_of(assessor, reviewed)
    assert (f"org_health_{code}" in flags) is flagged
    if flagged:
        flag = flags[f"org_health_{code}"]
        assert flag.theme == "leadership"
        assert "bottom quartile of the 40 trusts of its peer cohort" in flag.source


def test_well_led_ri_and_review_concerns_are_leadership_triggers(trust, assessor):
    cqc(trust, "well_led", 2)
    DevelopmentalReviewFactory(
        trust=trust,
        completed_on=timezone.localdate(),
        material_concerns=False,
    )
    assert flags_of(assessor, trust) == {}
    cqc(trust, "well_led", 3, on=datetime.date(2026, 4, 1))
    DevelopmentalReviewFactory(
        trust=trust,
        completed_on=timezone.localdate(),
        material_concerns=True,
        concerns_text="Board oversight of risk",
    )
    flags = flags_of(assessor, trust)
    assert {flags["wellled"].theme, flags["governance"].theme} == {"leadership"}


# --- Strategic change, other concerns and the service's own flags ------------------------


@pytest.mark.parametrize("theme", ["quality", "finance", "operational", "strategic", "leadership"])
def test_any_theme_carries_another_material_concern_with_its_reason(reviewed, assessor, theme):
    oversight_concern_record(
        trust=reviewed,
        actor=assessor,
        theme=theme,
        kind="concern",
        reason=f"Intelligence about {theme}",
        raised_on=timezone.localdate(),
    )
    flag = flags_of(assessor, reviewed)[f"concern_{theme}"]
    assert (flag.theme, flag.label) == (theme, "Other material concern")
    assert flag.source.endswith(f"Intelligence about {theme}")


def test_the_services_own_flags_are_the_services_not_a_theme(trust, assessor):
    (flag,) = row_for(assessor, trust).flags
    assert (flag.code, flag.theme, flag.theme_label) == (
        "no_review",
        "service",
        "The service's own flags",
    )
    assert row_for(assessor, trust).annex_flags == []


def test_the_page_keeps_the_services_flags_apart_and_never_calls_them_the_annexs(
    client, reviewed, assessor
):
    cqc(reviewed, "safe", 3)
    client.force_login(assessor)
    page = client.get(URL).content.decode()
    quality = page.split('data-theme-cell="quality">')[1].split("</td>")[0]
    assert "Safe Requires improvement" in quality
    assert 'data-flag="cqc_safe"' in quality
    assert "triggers of potential support need the oversight framework names" not in page
    assert "They are reminders kept by this service, not triggers of the framework" in page
    for heading in (
        "Quality of care",
        "Finance and use of resources",
        "Operational performance",
        "Strategic change",
        "Leadership and improvement capability",
        "The service&#x27;s own flags",
    ):
        assert f'<th scope="col" class="govuk-table__header">{heading}</th>' in page


# --- Fixed query count with every kind of data -------------------------------------------


def _sector(size: int, start: int, definitions, nhsi) -> None:
    standard, health = definitions["ae_four_hours"], definitions["sickness_absence"]
    values = []
    for n in range(start, start + size):
        trust = TrustFactory(ods_code=f"S{n:04d}", system=f"System {n % 3}")
        for month, figure in ((LAST_MONTH, 90.0 + n % 10), (MONTH_BEFORE, 91.0)):
            values.append(MetricValue(trust=trust, metric=standard, period=month, value=figure))
        values.append(MetricValue(trust=trust, metric=health, period=LAST_MONTH, value=n % 7))
        cqc(trust, "safe", 1 + n % 4, by=nhsi)
        if n % 5 == 0:
            OversightConcern.objects.create(
                trust=trust,
                theme="strategic",
                reason="r",
                raised_on=timezone.localdate(),
                recorded_by=nhsi,
            )
    MetricValue.objects.bulk_create(values)


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, params).status_code == HTTPStatus.OK
    return len(context)


def test_the_query_count_is_fixed_with_values_benchmarks_and_concerns(
    client, assessor, metric_definitions
):
    benchmark(metric_definitions["sickness_absence"], LAST_MONTH, "acute", 2.0, 3.0, 4.0)
    client.force_login(assessor)
    _sector(10, 0, metric_definitions, assessor)
    ten = _queries(client, sort="flags")
    flagged = oversight_rows(user=assessor, flag="standard_ae_four_hours")
    assert 0 < len(flagged) < 10
    _sector(220, 10, metric_definitions, assessor)
    assert _queries(client, sort="flags") == ten
    assert _queries(client, theme="strategic", system="System 1", segment="none") == ten
