"""What a load refreshes: only the months whose values it created or changed.

Loads run through `manage.py load_metrics` on real PostgreSQL with real commits (the
refresh is sent on commit), and the finance scores are read back from the table.
"""

from decimal import Decimal
from io import StringIO

import pandas as pd
import pytest
from django.core.management import call_command

from metrics.models import FinanceScore, MetricDefinition, MetricValue, Trust
from metrics.models.scores import SOF_FLAG_CODES, SOF_METRIC_CODES
from metrics.services import finance_scores_frame, finance_scores_refresh
from metrics.services.finance_scores import REFRESHING
from metrics.services.metric_values import metric_values_changed

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "ods_code,metric_code,period,value\n"
# A trust scoring 1 on every metric, accepted control total, not in special measures.
BEST = {
    "capital_service_capacity": 3.0,
    "liquidity_days": 5.0,
    "ie_margin": 2.0,
    "distance_from_plan": 0.5,
    "agency_spend_vs_cap": -10.0,
    "control_total_accepted": 1,
    "financial_special_measures": 0,
}
MONTHS = ["2024-01", "2024-02", "2024-03"]


def month_rows(ods, month, **changes):
    return "".join(f"{ods},{code},{month},{value}\n" for code, value in {**BEST, **changes}.items())


def load(tmp_path, body, verbosity=1, name="values.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body)
    out = StringIO()
    call_command("load_metrics", str(path), verbosity=verbosity, stdout=out, stderr=StringIO())
    return out.getvalue()


def computed_at():
    """When each (trust, month) score was last written."""
    return {
        (score.trust.ods_code, f"{score.period:%Y-%m}"): score.computed_at
        for score in FinanceScore.objects.select_related("trust")
    }


@pytest.fixture
def announced():
    """What `metric_values_changed` announced, as (metric codes, months) per load."""
    received = []

    def receiver(sender, metric_ids, periods, **kwargs):
        codes = set(
            MetricDefinition.objects.filter(pk__in=metric_ids).values_list("code", flat=True)
        )
        received.append((codes, [f"{period:%Y-%m}" for period in periods]))

    metric_values_changed.connect(receiver)
    yield received
    metric_values_changed.disconnect(receiver)


@pytest.fixture
def three_months(tmp_path, metric_definitions, trust, other_trust):
    body = "".join(month_rows(ods, month) for ods in ("RAA", "RBB") for month in MONTHS)
    out = load(tmp_path, body)
    assert "42 created, 0 updated" in out
    return body


def test_an_identical_reload_writes_nothing_and_refreshes_nothing(
    tmp_path, three_months, announced
):
    before = computed_at()
    assert len(before) == 6  # two trusts x three months
    values = list(MetricValue.objects.order_by("trust", "metric", "period").values_list("value"))

    out = load(tmp_path, three_months)

    assert "0 created, 0 updated, 42 unchanged" in out
    assert computed_at() == before
    assert announced == []
    assert list(MetricValue.objects.order_by("trust", "metric", "period").values_list("value")) == (
        values
    )


def test_a_load_refreshes_exactly_the_months_it_changed(tmp_path, three_months, announced):
    before = computed_at()
    body = (
        month_rows("RAA", "2024-01")  # as stored: unchanged
        + month_rows("RBB", "2024-02", agency_spend_vs_cap=60)  # one value changed
        + month_rows("RAA", "2024-04")  # a new month
    )

    out = load(tmp_path, body)

    assert "7 created, 1 updated, 13 unchanged" in out
    assert announced == [(set(BEST), ["2024-02", "2024-04"])]
    after = computed_at()
    refreshed = {key for key in after if after[key] != before.get(key)}
    # Every trust of the changed and new months is scored again, and nothing else.
    assert refreshed == {
        ("RAA", "2024-02"),
        ("RBB", "2024-02"),
        ("RAA", "2024-04"),
        ("RBB", "2024-04"),
    }
    scores = {(s.trust.ods_code, f"{s.period:%Y-%m}"): s for s in FinanceScore.objects.all()}
    assert scores[("RBB", "2024-02")].moderated == 3  # a 4 on agency spend caps at 3
    assert scores[("RBB", "2024-04")].moderated is None  # RBB sent nothing for April


def test_a_load_of_other_metrics_leaves_the_finance_scores_alone(tmp_path, three_months):
    before = computed_at()
    out = load(tmp_path, "RAA,vacancy_rate,2024-02,7.5\n")
    assert "1 created, 0 updated" in out
    assert computed_at() == before


def test_verbose_output_names_and_times_every_stage_with_the_refresh(tmp_path, three_months):
    out = load(tmp_path, month_rows("RAA", "2024-02", ie_margin=-3), verbosity=2)
    for stage in ("Reading", "Checking", "Comparing with stored values", "Saving", REFRESHING):
        assert f"  {stage}: " in out, out
    refresh_line = next(line for line in out.splitlines() if REFRESHING in line)
    assert refresh_line.strip().endswith(" s")

    out = load(tmp_path, month_rows("RAA", "2024-02", ie_margin=-3), verbosity=2)
    assert REFRESHING not in out  # nothing changed, nothing refreshed


def pandas_pivot_scores() -> pd.DataFrame:
    """The scores as computed before the SQL pivot: every value read, pivoted by pandas,
    over every active trust and every month with a value."""
    codes = [*SOF_METRIC_CODES, *SOF_FLAG_CODES]
    definitions = dict(MetricDefinition.objects.filter(code__in=codes).values_list("pk", "code"))
    long = pd.DataFrame(
        list(
            MetricValue.objects.filter(metric_id__in=list(definitions)).values_list(
                "trust_id", "metric_id", "period", "value"
            )
        ),
        columns=["trust_id", "metric_id", "period", "value"],
    )
    long["code"] = long["metric_id"].map(definitions)
    wide = long.pivot_table(
        index=["trust_id", "period"], columns="code", values="value", aggfunc="first"
    )
    trust_ids = set(Trust.objects.filter(active=True).values_list("pk", flat=True))
    full = pd.MultiIndex.from_product(
        [sorted(trust_ids | set(long["trust_id"])), sorted(long["period"].unique())],
        names=["trust_id", "period"],
    )
    return finance_scores_frame(wide=wide.reindex(index=full, columns=codes))


def plain(value):
    return None if pd.isna(value) else value


def test_scores_from_the_sql_pivot_equal_the_pandas_pivot_on_the_demo_data():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_metrics", stdout=StringIO())
    expected = pandas_pivot_scores()
    assert finance_scores_refresh() == len(expected)
    stored = {(s.trust_id, s.period): s for s in FinanceScore.objects.all()}
    assert set(stored) == set(expected.index)
    columns = [
        *SOF_METRIC_CODES,
        "overall",
        "moderated",
        "control_total_accepted",
        "financial_special_measures",
        "missing_metrics",
        "moderation",
    ]
    for key, row in expected.iterrows():
        score = stored[key]
        assert [getattr(score, name) for name in columns] == [plain(row[n]) for n in columns], key
        average = plain(row["average"])
        assert score.average == (None if average is None else Decimal(f"{average:.2f}")), key
    assert FinanceScore.objects.filter(moderated__isnull=False).count() == 6 * 24
    assert any(score.moderation for score in stored.values())  # moderated scores compared too
