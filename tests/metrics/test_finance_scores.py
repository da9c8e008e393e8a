"""SOF finance score: every threshold on both sides, rounding, moderation, missing metrics."""

import csv
import io
import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from metrics.models import FinanceScore, MetricValue
from metrics.services import finance_scores_frame, finance_scores_refresh
from metrics.services.finance_scores import (
    REASON_NO_CONTROL_TOTAL,
    REASON_SPECIAL_MEASURES,
    SOF_THRESHOLDS_FIXTURE,
    score_round,
    sof_rules_load,
    sof_rules_parse,
)
from metrics.services.metric_values import metric_values_load_file

# A trust scoring 1 on every metric, accepted control total, not in special measures.
BEST = {
    "capital_service_capacity": 3.0,
    "liquidity_days": 5.0,
    "ie_margin": 2.0,
    "distance_from_plan": 0.5,
    "agency_spend_vs_cap": -5.0,
    "control_total_accepted": 1.0,
    "financial_special_measures": 0.0,
}

# (metric, value, expected score): each boundary in Figure 2 and a value just either side.
BOUNDARIES = [
    # Capital service capacity: 1 ">2.5x", 2 "1.75-2.5x", 3 "1.25-1.75x", 4 "<1.25x"
    ("capital_service_capacity", 2.51, 1),
    ("capital_service_capacity", 2.5, 2),
    ("capital_service_capacity", 1.76, 2),
    ("capital_service_capacity", 1.75, 2),
    ("capital_service_capacity", 1.74, 3),
    ("capital_service_capacity", 1.25, 3),
    ("capital_service_capacity", 1.24, 4),
    # Liquidity (days): 1 ">0", 2 "(7)-0", 3 "(14)-(7)", 4 "<(14)"
    ("liquidity_days", 0.1, 1),
    ("liquidity_days", 0.0, 2),
    ("liquidity_days", -7.0, 2),
    ("liquidity_days", -7.1, 3),
    ("liquidity_days", -14.0, 3),
    ("liquidity_days", -14.1, 4),
    # I&E margin: 1 ">1%", 2 "1-0%", 3 "0-(1)%", 4 "<=(1)%"
    ("ie_margin", 1.01, 1),
    ("ie_margin", 1.0, 2),
    ("ie_margin", 0.0, 2),
    ("ie_margin", -0.01, 3),
    ("ie_margin", -0.99, 3),
    ("ie_margin", -1.0, 4),
    # Distance from plan: 1 ">=0%", 2 "(1)-0%", 3 "(2)-(1)%", 4 "<=(2)%"
    ("distance_from_plan", 0.0, 1),
    ("distance_from_plan", -0.01, 2),
    ("distance_from_plan", -1.0, 2),
    ("distance_from_plan", -1.01, 3),
    ("distance_from_plan", -1.99, 3),
    ("distance_from_plan", -2.0, 4),
    # Agency spend vs cap: 1 "<=0%", 2 "0%-25%", 3 "25-50%", 4 ">50%"
    ("agency_spend_vs_cap", 0.0, 1),
    ("agency_spend_vs_cap", 0.01, 2),
    ("agency_spend_vs_cap", 25.0, 2),
    ("agency_spend_vs_cap", 25.01, 3),
    ("agency_spend_vs_cap", 50.0, 3),
    ("agency_spend_vs_cap", 50.01, 4),
]


def score_one(**changes) -> pd.Series:
    return finance_scores_frame(wide=pd.DataFrame([{**BEST, **changes}])).iloc[0]


@pytest.mark.parametrize(("metric", "value", "expected"), BOUNDARIES)
def test_each_threshold_scores_each_side_as_documented(metric, value, expected):
    assert score_one(**{metric: value})[metric] == expected


def test_every_threshold_in_the_fixture_is_tested_on_both_sides():
    rules = sof_rules_load()
    tested = {(metric, value) for metric, value, _ in BOUNDARIES}
    for metric, bands in rules.bands.items():
        for band in bands:
            assert (metric, band.bound) in tested, f"{metric} boundary {band.bound} untested"


def test_whole_frame_is_scored_at_once():
    wide = pd.DataFrame([BEST] * 3 + [{**BEST, "ie_margin": -3.0}])
    frame = finance_scores_frame(wide=wide)
    assert frame["ie_margin"].tolist() == [1, 1, 1, 4]


@pytest.mark.parametrize(
    ("average", "expected"),
    [(1.0, 1), (2.2, 2), (2.4, 2), (2.49, 2), (2.5, 3), (2.6, 3), (3.5, 4), (2.4999999999, 3)],
)
def test_average_rounds_half_up_to_the_worse_score(average, expected):
    assert score_round(pd.Series([average])).iloc[0] == expected


def test_average_of_five_scores_is_weighted_and_rounded():
    # Scores 4,2,2,2,2 -> average 2.4 -> 2 before moderation (a 4 then moderates to 3).
    row = score_one(
        capital_service_capacity=1.0,
        liquidity_days=-1,
        ie_margin=0.5,
        distance_from_plan=-0.5,
        agency_spend_vs_cap=10,
    )
    assert [
        row[c]
        for c in (
            "capital_service_capacity",
            "liquidity_days",
            "ie_margin",
            "distance_from_plan",
            "agency_spend_vs_cap",
        )
    ] == [4, 2, 2, 2, 2]
    assert row["average"] == pytest.approx(2.4)
    assert row["overall"] == 2
    # Scores 3,3,3,2,2 -> 2.6 -> 3.
    row = score_one(
        capital_service_capacity=1.5,
        liquidity_days=-10,
        ie_margin=-0.5,
        distance_from_plan=-0.5,
        agency_spend_vs_cap=10,
    )
    assert row["average"] == pytest.approx(2.6)
    assert row["overall"] == 3
    assert row["moderated"] == 3


def test_unmoderated_score_stands():
    row = score_one()
    assert (row["average"], row["overall"], row["moderated"]) == (1.0, 1, 1)
    assert row["moderation"] == ""


def test_a_4_on_any_metric_makes_the_score_no_better_than_3():
    row = score_one(agency_spend_vs_cap=60)  # 1,1,1,1,4 -> 1.6 -> 2 -> moderated 3
    assert (row["overall"], row["moderated"]) == (2, 3)
    assert row["moderation"] == "scored 4 on agency_spend_vs_cap"


def test_a_4_does_not_improve_a_worse_score():
    row = score_one(
        capital_service_capacity=1.0,
        liquidity_days=-20,
        ie_margin=-2,
        distance_from_plan=-3,
        agency_spend_vs_cap=60,
    )
    assert (row["overall"], row["moderated"]) == (4, 4)


def test_no_accepted_control_total_makes_the_score_no_better_than_3():
    row = score_one(control_total_accepted=0.0)
    assert (row["overall"], row["moderated"]) == (1, 3)
    assert row["moderation"] == REASON_NO_CONTROL_TOTAL


def test_financial_special_measures_scores_4():
    row = score_one(financial_special_measures=1.0)
    assert (row["overall"], row["moderated"]) == (1, 4)
    assert row["moderation"] == REASON_SPECIAL_MEASURES


def test_all_moderation_reasons_are_listed():
    row = score_one(ie_margin=-1.0, control_total_accepted=0.0, financial_special_measures=1.0)
    assert row["moderated"] == 4
    assert row["moderation"] == (
        f"scored 4 on ie_margin; {REASON_NO_CONTROL_TOTAL}; {REASON_SPECIAL_MEASURES}"
    )


def test_missing_flags_do_not_moderate():
    row = score_one(control_total_accepted=np.nan, financial_special_measures=np.nan)
    assert row["moderated"] == 1


def test_a_missing_metric_gives_no_overall_score_and_names_it():
    row = score_one(liquidity_days=np.nan, agency_spend_vs_cap=np.nan)
    assert row["capital_service_capacity"] == 1
    assert pd.isna(row["liquidity_days"])
    assert pd.isna(row["average"])
    assert pd.isna(row["overall"])
    assert pd.isna(row["moderated"])
    assert row["missing_metrics"] == "liquidity_days, agency_spend_vs_cap"


def test_thresholds_fixture_is_checked():
    data = yaml.safe_load(SOF_THRESHOLDS_FIXTURE.read_text())
    data["weights"]["ie_margin"] = 0.3
    with pytest.raises(ValueError, match="weights must add up to 1"):
        sof_rules_parse(data=data)
    data = yaml.safe_load(SOF_THRESHOLDS_FIXTURE.read_text())
    del data["metrics"]["ie_margin"][2]
    with pytest.raises(ValueError, match="ie_margin: bands for scores 1, 2, 3"):
        sof_rules_parse(data=data)


# --- Stored scores, the signal and the command (database) ----------------------------


def values_csv(rows) -> bytes:
    lines = ["ods_code,metric_code,period,value"]
    lines += [f"{ods},{metric},{period},{value}" for ods, metric, period, value in rows]
    return "\n".join(lines).encode()


def load(rows):
    load, _ = metric_values_load_file(content=values_csv(rows), file_name="values.csv")
    assert load.status == load.Status.DONE, load.errors


def trust_rows(ods, period="2024-03", **changes):
    return [(ods, code, period, value) for code, value in {**BEST, **changes}.items()]


@pytest.mark.django_db(transaction=True)
def test_a_load_stores_scores_and_a_reload_recomputes_them(metric_definitions, trust, other_trust):
    load(trust_rows("RAA") + trust_rows("RBB", agency_spend_vs_cap=60))
    scores = {s.trust.ods_code: s for s in FinanceScore.objects.select_related("trust")}
    assert scores["RAA"].moderated == 1
    assert scores["RBB"].moderated == 3
    assert scores["RBB"].average == Decimal("1.60")
    load([("RAA", "financial_special_measures", "2024-03", 1)])
    assert FinanceScore.objects.get(trust=trust).moderated == 4
    assert FinanceScore.objects.count() == 2


@pytest.mark.django_db
def test_refresh_scores_every_trust_including_those_missing_a_metric(
    metric_definitions, trust, other_trust
):
    rows = trust_rows("RAA")
    rows = [r for r in rows if r[1] != "ie_margin"]
    MetricValue.objects.bulk_create(
        MetricValue(
            trust=trust,
            metric=metric_definitions[code],
            period=pd.Timestamp(f"{period}-01").date(),
            value=value,
        )
        for _, code, period, value in rows
    )
    assert finance_scores_refresh() == 2  # both trusts, the month that has values
    score = FinanceScore.objects.get(trust=trust)
    assert score.moderated is None
    assert score.missing_metrics == "ie_margin"
    other = FinanceScore.objects.get(trust=other_trust)
    assert other.missing_metrics.count(",") == 4  # all five missing


@pytest.mark.django_db(transaction=True)
def test_command_csv_has_exactly_the_columns_and_names_missing_metrics(
    metric_definitions, trust, other_trust
):
    load(trust_rows("RAA") + [r for r in trust_rows("RBB") if r[1] != "liquidity_days"])
    out, err = io.StringIO(), io.StringIO()
    call_command("finance_scores", "--period", "2024-03", "--format", "csv", stdout=out, stderr=err)
    reader = list(csv.reader(io.StringIO(out.getvalue())))
    assert reader[0] == [
        "ods_code",
        "capital_service_capacity",
        "liquidity_days",
        "ie_margin",
        "distance_from_plan",
        "agency_spend_vs_cap",
        "average",
        "overall",
        "proposed",
        "proposal_reason",
        "moderation_status",
        "decided_on",
        "decision_reason",
        "moderated",
    ]
    none = "no moderation proposed"
    assert reader[1] == ["RAA", "1", "1", "1", "1", "1", "1.00", "1", "1", "", none, "", "", "1"]
    assert reader[2] == ["RBB", "1", "", "1", "1", "1", "", "", "", "", "", "", "", ""]
    assert "RBB 2024-03: no score, missing liquidity_days" in err.getvalue()

    table = io.StringIO()
    call_command("finance_scores", "--period", "2024-03", "--trust", "RBB", stdout=table)
    assert "no score: missing liquidity_days" in table.getvalue()

    data = io.StringIO()
    call_command("finance_scores", "--period", "2024-03", "--format", "json", stdout=data)
    parsed = json.loads(data.getvalue())
    assert parsed[0]["moderated"] == 1
    assert parsed[1]["missing_metrics"] == ["liquidity_days"]


@pytest.mark.django_db
def test_command_refuses_a_bad_month_and_a_month_without_scores():
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("finance_scores", "--period", "2024-13")
    with pytest.raises(CommandError, match="No finance scores for 2024-03"):
        call_command("finance_scores", "--period", "2024-03")
