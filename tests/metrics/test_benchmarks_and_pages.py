"""Benchmarks, the metrics pack, the sector page, the trust page's history and the API."""

import csv
import datetime
import io
from http import HTTPStatus

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metrics.models import FinanceScore, MetricValue, Trust
from metrics.services import benchmarks_compute, benchmarks_refresh, finance_scores_refresh
from metrics.services.benchmarks import BETTER, NO_CHANGE, WORSE
from tests.factories import TrustFactory

pytestmark = pytest.mark.django_db

PERIOD = datetime.date(2024, 12, 1)


def month(back: int) -> datetime.date:
    index = PERIOD.year * 12 + PERIOD.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def frame(rows):
    return pd.DataFrame(rows, columns=["trust_id", "metric_id", "period", "value"])


# --- Benchmarks (pure pandas) ---------------------------------------------------------


def test_quartiles_follow_the_metrics_direction_and_flag_the_worst_quarter():
    values = frame([(t, m, PERIOD, float(t)) for t in range(1, 9) for m in (1, 2)])
    types = pd.Series({t: "acute" if t <= 4 else "community" for t in range(1, 9)})
    result = benchmarks_compute(
        values=values, trust_types=types, lower_is_better=pd.Series({1: False, 2: True})
    ).set_index(["metric_id", "trust_id"])
    # Values 1..8: percentiles 2.75, 4.5, 6.25.
    assert result.loc[(1, 1), "national_median"] == 4.5
    assert result.loc[(1, 1), "national_q1"] == 2.75
    assert result.loc[(1, 1), "national_q3"] == 6.25
    # Higher is better: 8 is quartile 1, 1 is quartile 4 and an outlier.
    assert result.loc[(1, 8), "national_quartile"] == 1
    assert result.loc[(1, 1), "national_quartile"] == 4
    assert bool(result.loc[(1, 1), "outlier"]) is True
    # Lower is better: the mirror image.
    assert result.loc[(2, 1), "national_quartile"] == 1
    assert result.loc[(2, 8), "national_quartile"] == 4
    assert bool(result.loc[(2, 8), "outlier"]) is True
    # Peers: trusts 1-4 are acute, median 2.5.
    assert result.loc[(1, 1), "peer_median"] == 2.5
    assert result.loc[(1, 5), "peer_median"] == 6.5


def test_a_value_exactly_on_a_percentile_gets_the_better_quartile():
    values = frame([(t, 1, PERIOD, v) for t, v in enumerate([1.0, 2.0, 3.0, 4.0, 5.0], 1)])
    result = benchmarks_compute(
        values=values, trust_types=pd.Series(dtype=object), lower_is_better=pd.Series({1: False})
    ).set_index("trust_id")
    # Percentiles 2, 3, 4: 4 is on q3 -> 1; 3 on the median -> 2; 2 on q1 -> 3; 1 -> 4.
    assert result["national_quartile"].to_dict() == {1: 4, 2: 3, 3: 2, 4: 1, 5: 1}


def test_changes_and_12_month_average_are_labelled_by_direction():
    rows = [(1, m, month(back), 100.0 - back) for back in range(13) for m in (1, 2)]
    result = benchmarks_compute(
        values=frame(rows),
        trust_types=pd.Series({1: "acute"}),
        lower_is_better=pd.Series({1: False, 2: True}),
    )
    latest = result[result["period"] == PERIOD].set_index("metric_id")
    assert latest.loc[1, "change_3m"] == 3.0
    assert latest.loc[1, "change_12m"] == 12.0
    assert latest.loc[1, "trend_3m"] == BETTER  # rising, higher is better
    assert latest.loc[2, "trend_6m"] == WORSE  # rising, lower is better
    assert latest.loc[1, "average_12m"] == pytest.approx(sum(100 - b for b in range(12)) / 12)
    oldest = result[result["period"] == month(12)].iloc[0]
    assert oldest["trend_3m"] == ""  # nothing 3 months before


def test_no_change_is_labelled_as_such():
    rows = [(1, 1, month(back), 5.0) for back in range(4)]
    result = benchmarks_compute(
        values=frame(rows),
        trust_types=pd.Series({1: "acute"}),
        lower_is_better=pd.Series({1: True}),
    )
    assert result[result["period"] == PERIOD].iloc[0]["trend_3m"] == NO_CHANGE


# --- The metrics pack page ------------------------------------------------------------


def fill_values(trusts, definitions, months=13):
    """Values of every non-flag metric for every trust over `months` months, and scores."""
    rows = []
    for index, trust in enumerate(trusts):
        for code, definition in definitions.items():
            # Flags: control total accepted, not in special measures.
            flag = 1.0 if code == "control_total_accepted" else 0.0
            value_base = flag if definition.is_flag else 10.0 + index
            for back in range(months):
                rows.append(
                    MetricValue(
                        trust=trust,
                        metric=definition,
                        period=month(back),
                        value=value_base if definition.is_flag else value_base + back / 10,
                    )
                )
    MetricValue.objects.bulk_create(rows)
    finance_scores_refresh()  # as a load of these values would
    benchmarks_refresh()


def pack_url(trust, period=PERIOD):
    url = reverse("metrics:metrics_pack", kwargs={"ods_code": trust.ods_code})
    return f"{url}?period={period:%Y-%m}"


def test_metrics_pack_shows_each_metric_with_benchmarks_charts_and_tables(
    client, assessor, metric_definitions, trust, other_trust
):
    fill_values([trust, other_trust], metric_definitions)
    client.force_login(assessor)
    response = client.get(pack_url(trust))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Metrics pack, December 2024" in page
    for area in ("Finance", "Clinical services", "People"):
        assert f">{area}</h2>" in page
    assert "Capital service capacity" in page
    assert "Quartile" in page
    assert "Over 12 months" in page
    assert 'role="img"' in page
    assert "<title>Capital service capacity: all trusts</title>" in page
    assert "Every trust's value of capital service capacity as a table" in page
    assert "RBB" not in page  # every trust's value is one link away, not on the pack
    assert "style=" not in page.split("<main", 1)[1]  # CSP: no inline styles
    one = client.get(pack_url(trust) + "&metric=capital_service_capacity").content.decode()
    assert "<title>Capital service capacity \N{EN DASH} Metrics pack" in one
    assert "Capital service capacity, lowest to highest" in one
    assert "RBB" in one  # staff see the other trusts by name
    assert "Liquidity" not in one.split("<main", 1)[1]  # that metric alone
    assert "style=" not in page.split("<main", 1)[1]  # CSP: no inline styles
    assert "Finance score for December 2024" in page


def test_trust_user_sees_their_pack_with_other_trusts_unnamed_and_not_another_pack(
    client, trust_user, metric_definitions, trust, other_trust
):
    fill_values([trust, other_trust], metric_definitions, months=2)
    client.force_login(trust_user)
    page = client.get(pack_url(trust) + "&metric=ie_margin").content.decode()
    assert "Income and expenditure (I&amp;E) margin, lowest to highest" in page
    assert "Another trust" in page
    assert "RBB" not in page
    assert client.get(pack_url(other_trust)).status_code == HTTPStatus.NOT_FOUND


def test_a_month_not_in_the_list_is_refused_with_a_message(
    client, assessor, metric_definitions, trust
):
    fill_values([trust], metric_definitions, months=1)
    client.force_login(assessor)
    page = client.get(pack_url(trust, datetime.date(2019, 1, 1))).content.decode()
    assert "Choose a month from the list." in page
    assert "Metrics pack, December 2024" in page  # falls back to the latest month


def pack_queries(client, trust) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(pack_url(trust)).status_code == HTTPStatus.OK
    return len(queries)


def test_metrics_pack_issues_the_same_number_of_queries_for_3_and_30_trusts(
    client, assessor, metric_definitions
):
    client.force_login(assessor)
    few = [TrustFactory() for _ in range(3)]
    fill_values(few, metric_definitions)
    queries_for_3 = pack_queries(client, few[0])
    many = [TrustFactory() for _ in range(27)]
    fill_values(many, metric_definitions)
    assert Trust.objects.count() == 30
    queries_for_30 = pack_queries(client, few[0])
    assert queries_for_3 == queries_for_30
    # Session, user, trust, its months, definitions, its values, the stored benchmarks, the
    # trusts' codes (staff see names), the score, the unread count, the session's save: the
    # same whatever the number of trusts.
    assert queries_for_30 <= 13


# --- The sector page and the trust page -------------------------------------------------


def test_sector_page_filters_sorts_and_exports_csv(client, cqc_user, metric_definitions):
    north = TrustFactory(ods_code="RN1", name="North Trust", region="North", trust_type="acute")
    south = TrustFactory(ods_code="RS1", name="South Trust", region="South", trust_type="community")
    fill_values([north, south], metric_definitions, months=1)
    FinanceScore.objects.filter(trust=north).update(moderated=4)
    client.force_login(cqc_user)
    url = reverse("metrics:finance_scores")
    page = client.get(url).content.decode()
    assert "North Trust" in page
    assert "South Trust" in page
    filtered = client.get(url, {"period": "2024-12", "region": "South"}).content.decode()
    assert "South Trust" in filtered
    assert "North Trust" not in filtered
    worst_first = client.get(url, {"sort": "-score"}).content.decode()
    assert worst_first.index("North Trust") < worst_first.index("South Trust")
    response = client.get(url, {"period": "2024-12", "trust_type": "acute", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "ods_code"
    assert rows[0][-1] == "moderated"
    assert [row[0] for row in rows[1:]] == ["RN1"]


def test_sector_page_is_for_staff_only(client, trust_user):
    client.force_login(trust_user)
    assert client.get(reverse("metrics:finance_scores")).status_code == HTTPStatus.FORBIDDEN


def test_trust_page_shows_its_finance_score_history(client, trust_user, metric_definitions, trust):
    fill_values([trust], metric_definitions, months=3)
    client.force_login(trust_user)
    page = client.get(trust.get_absolute_url()).content.decode()
    assert "SOF finance score history" in page
    assert "December 2024" in page
    assert "October 2024" in page


# --- The API ------------------------------------------------------------------------------


def test_api_lists_definitions_values_and_scores_filtered_and_scoped(
    client, trust_user, assessor, metric_definitions, trust, other_trust
):
    fill_values([trust, other_trust], metric_definitions, months=3)
    client.force_login(assessor)
    definitions = client.get(reverse("api:metricdefinition-list")).json()
    assert definitions["count"] == len(metric_definitions)
    detail = client.get(reverse("api:metricdefinition-detail", kwargs={"code": "ie_margin"}))
    assert detail.json()["lower_is_better"] is False

    values_url = reverse("api:metricvalue-list")
    data = client.get(
        values_url,
        {"trust": "RBB", "metric": "ie_margin", "period_from": "2024-11", "period_to": "2024-12"},
    ).json()
    assert [(r["trust"], r["metric"], r["period"]) for r in data["results"]] == [
        ("RBB", "ie_margin", "2024-11"),
        ("RBB", "ie_margin", "2024-12"),
    ]
    bad = client.get(values_url, {"period_from": "2024-13"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST

    scores = client.get(reverse("api:financescore-list"), {"period": "2024-12"}).json()
    assert {r["trust"] for r in scores["results"]} == {"RAA", "RBB"}
    assert scores["results"][0]["moderated"] == 1

    client.force_login(trust_user)
    own_values = client.get(values_url, {"trust": "RBB"}).json()
    assert own_values["count"] == 0
    all_values = client.get(values_url, {"metric": "ie_margin"}).json()
    assert {r["trust"] for r in all_values["results"]} == {"RAA"}
    own_scores = client.get(reverse("api:financescore-list")).json()
    assert {r["trust"] for r in own_scores["results"]} == {"RAA"}


def test_schema_describes_the_metrics_api(client, assessor):
    client.force_login(assessor)
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/metric-definitions/",
        "/api/v1/metric-values/",
        "/api/v1/finance-scores/",
    ):
        assert path in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/metric-values/"]["get"]["parameters"]}
    assert {"trust", "metric", "period_from", "period_to"} <= parameters
