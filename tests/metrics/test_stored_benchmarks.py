"""Benchmarks are computed by the load that changes a month's values and stored; the metrics
pack reads them and shows the same figures the pandas computation gives."""

import datetime
import io
import math

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from metrics.models import FinanceScore, MetricBenchmark, MetricDefinition, MetricValue, Trust
from metrics.models.benchmarks import NATIONAL, ranking_unpack
from metrics.pack import metrics_pack_get
from metrics.services import benchmarks_compute, metric_values_load_file
from metrics.services.benchmarks import percentiles

pytestmark = pytest.mark.django_db

FIGURES = [
    "national_q1",
    "national_median",
    "national_q3",
    "national_count",
    "national_quartile",
    "peer_median",
    "peer_count",
    "peer_quartile",
    "average_12m",
    *[f"change_{n}m" for n in (3, 6, 12)],
    *[f"trend_{n}m" for n in (3, 6, 12)],
]


@pytest.fixture
def demo_values(django_capture_on_commit_callbacks):
    """The demo trusts and their 24 months of every metric, loaded as an admin would."""
    call_command("load_demo", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_metrics", stdout=io.StringIO())


def _same(shown, expected) -> bool:
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return shown is None
    if isinstance(expected, str):
        return shown == expected
    return math.isclose(float(shown), float(expected), rel_tol=1e-9, abs_tol=1e-9)


def test_the_pack_shows_what_the_pandas_computation_gives_on_the_demo_data(demo_values):
    period = MetricValue.objects.latest("period").period
    first = datetime.date(period.year - 1, period.month, 1)
    values = pd.DataFrame(
        list(
            MetricValue.objects.filter(period__gte=first, period__lte=period).values_list(
                "trust_id", "metric_id", "period", "value"
            )
        ),
        columns=["trust_id", "metric_id", "period", "value"],
    )
    definitions = MetricDefinition.objects.exclude(unit=MetricDefinition.Unit.FLAG)
    values = values[values["metric_id"].isin([d.pk for d in definitions])]
    expected = benchmarks_compute(
        values=values,
        trust_types=pd.Series(dict(Trust.objects.values_list("pk", "trust_type"))),
        lower_is_better=pd.Series({d.pk: d.lower_is_better for d in definitions}),
    )
    expected = expected[expected["period"] == period].set_index(["trust_id", "metric_id"])
    checked = 0
    demo_trusts = list(Trust.objects.filter(ods_code__startswith="ZZ"))
    for trust in demo_trusts:
        pack = metrics_pack_get(user=None, trust=trust, period=period)
        for _, metrics in pack.areas:
            for metric in metrics:
                if (trust.pk, metric.definition.pk) not in expected.index:
                    # Operational standards are demo data of the acute trusts only.
                    assert metric.value is None, (trust, metric)
                    continue
                row = expected.loc[(trust.pk, metric.definition.pk)]
                assert metric.value == pytest.approx(row["value"])
                for name in FIGURES:
                    assert _same(metric.benchmark[name], row[name]), (trust, metric, name)
                assert metric.benchmark["outlier"] == bool(row["outlier"])
                checked += 1
    in_demo = expected.index.get_level_values("trust_id").isin([t.pk for t in demo_trusts])
    assert checked == in_demo.sum() > 6 * 17


def test_stored_percentiles_and_rankings_are_those_pandas_computes(demo_values):
    stored = {(b.metric_id, b.period, b.peer_group): b for b in MetricBenchmark.objects.all()}
    values = pd.DataFrame(
        list(
            MetricValue.objects.exclude(metric__unit="flag").values_list(
                "trust_id", "metric_id", "period", "value"
            )
        ),
        columns=["trust_id", "metric_id", "period", "value"],
    )
    values["trust_type"] = values["trust_id"].map(
        dict(Trust.objects.values_list("pk", "trust_type"))
    )
    national = percentiles(values, ["metric_id", "period"], "n").assign(trust_type=NATIONAL)
    peers = percentiles(values, ["metric_id", "period", "trust_type"], "n")
    expected = pd.concat([national, peers])
    assert len(expected) == len(stored) > 0
    for row in expected.itertuples():
        saved = stored[(row.metric_id, row.period, row.trust_type)]
        assert saved.count == row.n_count
        assert (saved.q1, saved.median, saved.q3) == pytest.approx(
            (row.n_q1, row.n_median, row.n_q3)
        )
        if row.trust_type == NATIONAL:
            month = values[(values.metric_id == row.metric_id) & (values.period == row.period)]
            ranked = ranking_unpack(saved.ranking)
            assert [v for _, v in ranked] == sorted(month["value"])
            assert {t for t, _ in ranked} == set(month["trust_id"])


def test_a_load_refreshes_the_benchmarks_of_exactly_the_months_it_touched(
    demo_values, django_capture_on_commit_callbacks
):
    months = sorted(MetricValue.objects.values_list("period", flat=True).distinct())
    touched, untouched = months[-1], months[-2]
    before = {
        (b.metric_id, b.period, b.peer_group): (b.pk, b.computed_at, b.median)
        for b in MetricBenchmark.objects.all()
    }
    trust = Trust.objects.get(ods_code="ZZ1")
    metric = MetricDefinition.objects.get(code="ie_margin")
    csv = f"ods_code,metric_code,period,value\nZZ1,ie_margin,{touched:%Y-%m},-99\n"
    with django_capture_on_commit_callbacks(execute=True):
        load, _ = metric_values_load_file(content=csv.encode(), file_name="one.csv")
    assert load.status == load.Status.DONE
    after = {
        (b.metric_id, b.period, b.peer_group): (b.pk, b.computed_at, b.median)
        for b in MetricBenchmark.objects.all()
    }
    assert after.keys() == before.keys()
    for key, (pk, computed_at, _) in after.items():
        if key[1] == touched:
            assert computed_at > before[key][1], key  # computed again
        else:
            assert (pk, computed_at) == before[key][:2], key  # left alone
    # The trust's new value is now the lowest of the month, and the pack says so.
    national = MetricBenchmark.objects.get(metric=metric, period=touched, peer_group=NATIONAL)
    assert ranking_unpack(national.ranking)[0] == (trust.pk, -99)
    pack = metrics_pack_get(user=None, trust=trust, period=touched, codes={"ie_margin"})
    (shown,) = [m for _, metrics in pack.areas for m in metrics]
    assert shown.value == -99
    assert shown.benchmark["outlier"] is True  # higher is better for the I&E margin
    assert untouched in {key[1] for key in after}


def test_refresh_derived_restores_a_months_benchmarks_and_scores(demo_values):
    # What an operator runs after a worker stopped between a load's commit and its refresh.
    period = MetricValue.objects.latest("period").period
    expected = sorted(
        MetricBenchmark.objects.filter(period=period).values_list(
            "metric_id", "peer_group", "count", "median"
        )
    )
    scores = FinanceScore.objects.filter(period=period).count()
    assert expected
    assert scores
    MetricBenchmark.objects.filter(period=period).delete()
    FinanceScore.objects.filter(period=period).delete()

    out = io.StringIO()
    call_command("refresh_derived", "--period", f"{period:%Y-%m}", stdout=out)

    assert f"for {period:%Y-%m}." in out.getvalue()
    refreshed = MetricBenchmark.objects.filter(period=period).values_list(
        "metric_id", "peer_group", "count", "median"
    )
    assert sorted(refreshed) == expected
    assert FinanceScore.objects.filter(period=period).count() == scores


def test_refresh_derived_names_a_bad_month(db):
    with pytest.raises(CommandError, match="--period must be a month written YYYY-MM"):
        call_command("refresh_derived", "--period", "2024-13")
