"""Time loading 1,000,000 metric values into PostgreSQL three ways, in one run.

(a) a raw `COPY` of the CSV into a bare table of the same shape (the floor),
(b) `manage.py load_metrics` of the same file into an empty metric-value table,
(c) `manage.py loaddata` of the same rows as a JSON fixture (timed on a subset and scaled).

Run it through tests/bench/run_load_benchmark.sh, which starts a throwaway PostgreSQL. Not a
pytest file, so `make test` never collects it. Prints a Markdown block for docs/benchmarks.md.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

import django
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uor_site.settings.test")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from metrics.models import DataLoad, MetricDefinition, MetricValue, Trust  # noqa: E402

TRUSTS = 240  # about the number of NHS trusts
METRICS = 17  # every code in fixtures/metric_definitions.yaml


def generate(path: Path, rows: int) -> None:
    """Trusts x metrics x months, long form, realistic values; flags are 0 or 1."""
    Trust.objects.bulk_create(
        [
            Trust(
                ods_code=f"B{n:03d}",
                name=f"Bench Trust {n} NHS Trust",
                trust_type="acute",
                region="London",
            )
            for n in range(TRUSTS)
        ],
        ignore_conflicts=True,
    )
    metrics = list(MetricDefinition.objects.order_by("code"))
    months = -(-rows // (TRUSTS * len(metrics)))
    trust_idx = np.repeat(np.arange(TRUSTS), len(metrics) * months)[:rows]
    metric_idx = np.tile(np.repeat(np.arange(len(metrics)), months), TRUSTS)[:rows]
    month_idx = np.tile(np.arange(months), TRUSTS * len(metrics))[:rows]
    periods = pd.period_range("1990-01", periods=months, freq="M").strftime("%Y-%m").to_numpy()
    rng = np.random.default_rng(2026)
    values = np.round(rng.normal(50, 25, rows), 2)
    flags = np.array([m.is_flag for m in metrics])[metric_idx]
    values[flags] = rng.integers(0, 2, flags.sum())
    frame = pd.DataFrame(
        {
            "ods_code": np.array([f"B{n:03d}" for n in range(TRUSTS)])[trust_idx],
            "metric_code": np.array([m.code for m in metrics])[metric_idx],
            "period": periods[month_idx],
            "value": values,
        }
    )
    frame.to_csv(path, index=False)


def time_raw_copy(path: Path) -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare")
        cursor.execute(
            "CREATE TABLE bench_bare (ods_code text, metric_code text, period text, "
            "value double precision)"
        )
    started = time.perf_counter()
    with connection.cursor() as cursor, path.open("rb") as handle:
        cursor.copy_expert("COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true)", handle)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_bare")
        assert cursor.fetchone()[0] > 0
        cursor.execute("DROP TABLE bench_bare")
    return elapsed


def empty_values_table() -> None:
    """TRUNCATE, not DELETE: a fresh table, as on a first load, with no dead rows in it."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {MetricValue._meta.db_table}")


def time_load_metrics(path: Path, rows: int) -> tuple[float, str]:
    empty_values_table()
    out = StringIO()
    started = time.perf_counter()
    call_command("load_metrics", str(path), verbosity=2, stdout=out)
    elapsed = time.perf_counter() - started
    assert MetricValue.objects.count() == rows, out.getvalue()
    return elapsed, out.getvalue()


def time_loaddata(path: Path, rows: int) -> float:
    """loaddata of `rows` of the file, serialised as Django's JSON fixture format."""
    empty_values_table()
    frame = pd.read_csv(path, nrows=rows, dtype={"period": str})
    trusts = dict(Trust.objects.values_list("ods_code", "id"))
    metrics = dict(MetricDefinition.objects.values_list("code", "id"))
    records = [
        {
            "model": "metrics.metricvalue",
            "fields": {
                "trust": trusts[o],
                "metric": metrics[m],
                "period": f"{p}-01",
                "value": float(v),
            },
        }
        for o, m, p, v in frame.itertuples(index=False)
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(records, handle)
    started = time.perf_counter()
    call_command("loaddata", handle.name, verbosity=0)
    elapsed = time.perf_counter() - started
    os.unlink(handle.name)
    assert MetricValue.objects.count() == rows
    return elapsed


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line),
        platform.processor(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    memory = subprocess.run(["free", "-g"], capture_output=True, text=True, check=False)
    total = memory.stdout.split("\n")[1].split()[1] if memory.returncode == 0 else "?"
    return (
        f"{os.cpu_count()} CPUs (nproc), {model}, {total} GB RAM; PostgreSQL {server}; "
        f"Python {platform.python_version()}, pandas {pd.__version__}, Django {django.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--loaddata-rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    call_command("load_metric_definitions", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "metric_values.csv"
        generate(path, args.rows)
        size_mb = path.stat().st_size / 2**20
        # Each of (a) and (b) three times, alternating; the medians are reported.
        raws, ourses, details = [], [], []
        for _ in range(args.repeat):
            raws.append(time_raw_copy(path))
            elapsed, detail = time_load_metrics(path, args.rows)
            ourses.append(elapsed)
            details.append(detail)
        raw, ours = float(np.median(raws)), float(np.median(ourses))
        detail = details[int(np.argsort(ourses)[len(ourses) // 2])]
        # The same file again: every row already exists, so this is the update path.
        reload_started = time.perf_counter()
        call_command("load_metrics", str(path), verbosity=0, stdout=StringIO())
        reload = time.perf_counter() - reload_started
        subset = min(args.loaddata_rows, args.rows)
        loaddata_subset = time_loaddata(path, subset)
    loaddata = loaddata_subset * args.rows / subset
    DataLoad.objects.filter(kind=DataLoad.Kind.METRICS).delete()
    empty_values_table()

    print(f"## Loading {args.rows:,} metric values ({size_mb:.1f} MB CSV)\n")
    print(f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"- machine: {machine()}")
    print("- command: `bash tests/bench/run_load_benchmark.sh`\n")
    print(
        f"(a) runs: {', '.join(f'{t:.2f}' for t in raws)} s; "
        f"(b) runs: {', '.join(f'{t:.2f}' for t in ourses)} s; medians below.\n"
    )
    print("| | what | seconds | vs (a) |")
    print("| --- | --- | ---: | ---: |")
    print(f"| (a) | raw `COPY` of the CSV into a bare table | {raw:.2f} | 1.0x |")
    print(f"| (b) | `load_metrics` into an empty table | {ours:.2f} | {ours / raw:.1f}x |")
    print(
        f"| (b') | `load_metrics` of the same file again (all updates) | {reload:.2f} | "
        f"{reload / raw:.1f}x |"
    )
    print(
        f"| (c) | `loaddata`, {subset:,} rows timed ({loaddata_subset:.2f} s) x "
        f"{args.rows // subset} | {loaddata:.0f} | {loaddata / raw:.0f}x |"
    )
    print(
        f"\n(b) is {ours / raw:.2f}x (a) (target <= 3x) and {loaddata / ours:.0f}x faster "
        f"than (c) (target >= 20x).\n"
    )
    print("Stages of (b), from `load_metrics -v 2`:\n```\n" + detail.strip() + "\n```")


if __name__ == "__main__":
    main()
