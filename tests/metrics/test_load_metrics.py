"""`manage.py load_metrics` and metric definitions: all rows or none, every bad row named."""

import datetime
from io import StringIO

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import ProtectedError

from metrics.models import DataLoad, MetricDefinition, MetricValue
from metrics.services import metric_values as service

HEADER = "ods_code,metric_code,period,value\n"
SOF_CODES = {
    "capital_service_capacity",
    "liquidity_days",
    "ie_margin",
    "distance_from_plan",
    "agency_spend_vs_cap",
}


def write(tmp_path, body, header=HEADER, name="values.csv"):
    path = tmp_path / name
    path.write_text(header + body)
    return path


def load(path):
    """Run the command; return (stdout, stderr) or raise CommandError with stderr attached."""
    out, err = StringIO(), StringIO()
    try:
        call_command("load_metrics", str(path), stdout=out, stderr=err)
    except CommandError as exc:
        exc.stderr = err.getvalue()
        raise
    return out.getvalue(), err.getvalue()


def values():
    return {
        (v.trust.ods_code, v.metric.code, v.period.isoformat()[:7]): v.value
        for v in MetricValue.objects.select_related("trust", "metric")
    }


@pytest.fixture
def trusts(trust, other_trust):
    return trust, other_trust


# --- Definitions -----------------------------------------------------------------------


def test_definitions_hold_the_sof_metrics_the_indicative_metrics_and_the_flags(
    metric_definitions,
):
    assert set(metric_definitions) >= SOF_CODES
    assert {"control_total_accepted", "financial_special_measures"} <= set(metric_definitions)
    assert len(metric_definitions) == 22
    assert all(metric_definitions[c].area == "finance" for c in SOF_CODES)
    assert metric_definitions["control_total_accepted"].is_flag
    assert metric_definitions["agency_spend_vs_cap"].lower_is_better
    assert not metric_definitions["liquidity_days"].lower_is_better
    assert metric_definitions["estates_cost_per_m2"].unit == "gbp_per_m2"
    assert all(d.rationale and d.source for d in metric_definitions.values())


@pytest.mark.django_db
def test_definitions_load_again_updates_in_place():
    out = StringIO()
    call_command("load_metric_definitions", stdout=out)
    call_command("load_metric_definitions", stdout=out)
    assert "22 created, 0 updated" in out.getvalue()
    assert "0 created, 22 updated" in out.getvalue()
    assert MetricDefinition.objects.count() == 22


@pytest.mark.django_db
def test_liquidity_counts_wholly_committed_lines_of_credit_as_figure_2_says():
    """Figure 2 (000): "Days of operating costs held in cash or cash-equivalent forms,
    including wholly committed lines of credit available for drawdown". A row loaded with the
    shorter wording is corrected by the next load."""
    call_command("load_metric_definitions", stdout=StringIO())
    MetricDefinition.objects.filter(code="liquidity_days").update(
        rationale="Days of operating costs held in cash or cash equivalents."
    )
    assert "lines of credit" not in MetricDefinition.objects.get(code="liquidity_days").rationale
    call_command("load_metric_definitions", stdout=StringIO())
    rationale = MetricDefinition.objects.get(code="liquidity_days").rationale
    assert "cash-equivalent forms, including wholly committed lines of credit available for " in (
        rationale
    )


# --- Loading values ---------------------------------------------------------------------


@pytest.mark.django_db
def test_load_creates_then_a_reload_updates(tmp_path, trusts, metric_definitions):
    path = write(
        tmp_path,
        "RAA,ie_margin,2024-01,-1.2\nRAA,liquidity_days,2024-01,-9.5\n"
        "rbb , control_total_accepted ,2024-02,1\n",
    )
    out, _ = load(path)
    assert "3 created, 0 updated" in out
    assert values() == {
        ("RAA", "ie_margin", "2024-01"): -1.2,
        ("RAA", "liquidity_days", "2024-01"): -9.5,
        ("RBB", "control_total_accepted", "2024-02"): 1.0,
    }
    assert MetricValue.objects.get(metric__code="ie_margin").period == datetime.date(2024, 1, 1)

    path = write(tmp_path, "RAA,ie_margin,2024-01,0.5\nRAA,ie_margin,2024-02,0.7\n")
    out, _ = load(path)
    assert "1 created, 1 updated" in out
    assert values()[("RAA", "ie_margin", "2024-01")] == 0.5
    assert values()[("RAA", "ie_margin", "2024-02")] == 0.7
    assert values()[("RAA", "liquidity_days", "2024-01")] == -9.5  # untouched


@pytest.mark.django_db
def test_a_large_load_over_existing_rows_still_updates(tmp_path, trusts, metric_definitions):
    """More rows than the table, one of them already there: it is updated, not duplicated."""
    load(write(tmp_path, "RAA,ie_margin,2024-01,5\n"))
    body = "".join(f"RAA,ie_margin,2024-{m:02d},{m}\n" for m in range(1, 13))
    out, _ = load(write(tmp_path, body))
    assert "11 created, 1 updated" in out
    assert values()[("RAA", "ie_margin", "2024-01")] == 1.0
    assert MetricValue.objects.count() == 12


@pytest.mark.django_db
def test_bulk_path_keeps_the_primary_key(tmp_path, trusts, metric_definitions):
    body = "".join(f"RBB,vacancy_rate,2023-{m:02d},{m / 10}\n" for m in range(1, 13))
    out, _ = load(write(tmp_path, body))
    assert "12 created, 0 updated" in out
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'p'",
                [MetricValue._meta.db_table],
            )
            assert cursor.fetchone()[0] == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("RZZ,ie_margin,2024-01,1", service.UNKNOWN_TRUST.format(value="RZZ")),
        ("RAA,no_such_metric,2024-01,1", service.UNKNOWN_METRIC.format(value="no_such_metric")),
        ("RAA,ie_margin,2024-13,1", service.BAD_PERIOD.format(value="2024-13")),
        ("RAA,ie_margin,01/2024,1", service.BAD_PERIOD.format(value="01/2024")),
        ("RAA,ie_margin,2024-01,abc", service.NOT_NUMERIC.format(value="abc")),
        ("RAA,ie_margin,2024-01,", service.NOT_NUMERIC.format(value="")),
        (
            "RAA,financial_special_measures,2024-01,2",
            service.BAD_FLAG.format(metric="financial_special_measures", value="2"),
        ),
        (
            "RBB,ie_margin,2024-03,1",
            service.DUPLICATE_KEY.format(
                ods_code="RBB", metric_code="ie_margin", period="2024-03", first=3
            ),
        ),
    ],
)
@pytest.mark.django_db
def test_each_kind_of_bad_row_loads_nothing_and_is_named_with_its_line(
    tmp_path, trusts, metric_definitions, row, message
):
    load(write(tmp_path, "RAA,ie_margin,2023-12,5\n"))
    path = write(tmp_path, f"RAA,ie_margin,2023-12,6\nRBB,ie_margin,2024-03,1\n{row}\n")
    with pytest.raises(CommandError, match="Nothing loaded") as raised:
        load(path)
    assert f"values.csv: line 4: {message}" in raised.value.stderr
    assert values() == {("RAA", "ie_margin", "2023-12"): 5.0}  # not even the good rows
    failed = DataLoad.objects.filter(status=DataLoad.Status.FAILED).get()
    assert failed.errors == [f"line 4: {message}"]
    assert failed.uploaded_by is None


@pytest.mark.django_db
def test_several_problems_on_one_row_and_blank_lines_keep_line_numbers(
    tmp_path, trusts, metric_definitions
):
    path = write(tmp_path, "RAA,ie_margin,2024-01,1\n\nRZZ,nope,2024-1,x\n")
    with pytest.raises(CommandError) as raised:
        load(path)
    expected = "; ".join(
        [
            service.UNKNOWN_TRUST.format(value="RZZ"),
            service.UNKNOWN_METRIC.format(value="nope"),
            service.BAD_PERIOD.format(value="2024-1"),
            service.NOT_NUMERIC.format(value="x"),
        ]
    )
    assert f"line 4: {expected}" in raised.value.stderr


@pytest.mark.django_db
def test_the_first_fifty_bad_rows_are_listed_then_a_count(tmp_path, trusts, metric_definitions):
    body = "".join(f"RZZ,ie_margin,2024-01,{n}\n" for n in range(60))
    with pytest.raises(CommandError) as raised:
        load(write(tmp_path, body))
    lines = raised.value.stderr.strip().splitlines()
    assert len(lines) == 51
    assert lines[0].startswith("values.csv: line 2: ")
    assert lines[49].startswith("values.csv: line 51: ")
    assert lines[50] == "values.csv: " + service.MORE_ERRORS.format(count=10, total=60)


@pytest.mark.django_db
def test_missing_column_and_wrong_extension_are_reported(tmp_path, trusts, metric_definitions):
    with pytest.raises(CommandError) as raised:
        load(write(tmp_path, "RAA,ie_margin,2024-01\n", header="ods_code,metric_code,period\n"))
    assert "missing: value" in raised.value.stderr
    with pytest.raises(CommandError, match=r"\.csv or \.xlsx"):
        load(write(tmp_path, "x", name="values.txt"))
    parsed = service.metric_values_parse(content=b"", file_name="values.ods")
    assert parsed.errors[0].message == service.UNKNOWN_EXTENSION.format(name="values.ods")
    assert not MetricValue.objects.exists()


@pytest.mark.django_db
def test_xlsx_is_read_including_months_excel_turned_into_dates(
    tmp_path, trusts, metric_definitions
):
    path = tmp_path / "values.xlsx"
    pd.DataFrame(
        {
            "ods_code": ["RAA", "RBB"],
            "metric_code": ["staff_turnover", "control_total_accepted"],
            "period": ["2024-05", datetime.datetime(2024, 6, 1)],  # noqa: DTZ001 (a cell)
            "value": [12.5, 0],
        }
    ).to_excel(path, index=False)
    out, _ = load(path)
    assert "2 created, 0 updated" in out
    assert values() == {
        ("RAA", "staff_turnover", "2024-05"): 12.5,
        ("RBB", "control_total_accepted", "2024-06"): 0.0,
    }


@pytest.mark.django_db
def test_xlsx_bad_rows_are_named_with_their_sheet_row(tmp_path, trusts, metric_definitions):
    path = tmp_path / "values.xlsx"
    pd.DataFrame(
        {
            "ods_code": ["RAA", "RAA"],
            "metric_code": ["ie_margin"] * 2,
            "period": ["2024-01", "2024-02"],
        }
        | {"value": [1, "n/a"]}
    ).to_excel(path, index=False)
    with pytest.raises(CommandError) as raised:
        load(path)
    assert "values.xlsx: line 3: " + service.NOT_NUMERIC.format(value="n/a") in (
        raised.value.stderr
    )


@pytest.mark.django_db
def test_a_command_line_load_is_recorded(tmp_path, trusts, metric_definitions):
    load(write(tmp_path, "RAA,ie_margin,2024-01,1\n"))
    recorded = DataLoad.objects.get()
    assert (recorded.kind, recorded.status, recorded.file_name) == (
        DataLoad.Kind.METRICS,
        DataLoad.Status.DONE,
        "values.csv",
    )
    assert (recorded.created_count, recorded.updated_count, recorded.progress) == (1, 0, 100)


@pytest.mark.django_db
def test_changes_are_announced_after_commit(
    tmp_path, trusts, metric_definitions, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, metric_ids, periods, **kwargs):
        received.append((metric_ids, periods))

    service.metric_values_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            load(write(tmp_path, "RAA,ie_margin,2024-01,1\n"))
    finally:
        service.metric_values_changed.disconnect(receiver)
    assert received == [([metric_definitions["ie_margin"].pk], [datetime.date(2024, 1, 1)])]


@pytest.mark.django_db
def test_deleting_a_trust_removes_its_values_and_a_used_metric_is_protected(
    tmp_path, trusts, metric_definitions
):
    load(write(tmp_path, "RAA,ie_margin,2024-01,1\nRBB,ie_margin,2024-01,2\n"))
    trusts[0].delete()
    assert set(values()) == {("RBB", "ie_margin", "2024-01")}
    with pytest.raises(ProtectedError):
        metric_definitions["ie_margin"].delete()
