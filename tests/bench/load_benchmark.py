"""Time loading 1,000,000 metric values as whole processes, side by side in one run.

(a)  `psql -c "\\copy ..."` of the CSV into a bare table of the same shape (the floor);
(b)  `manage.py load_metrics FILE -v 2` into an empty metric-value table (the first load);
(b') the same command and file again: an identical re-load, which changes nothing;
(m)  a monthly load: every trust and metric for one new month, into the table holding (b);
(s)  `manage.py load_metrics --help`: Python and Django start-up with the command imported;
(c)  `manage.py loaddata` of the same rows as a JSON fixture (a subset, scaled).
Every figure is the whole process (start-up, the finance-score refresh after commit, exit)
timed with /usr/bin/time, which also gives the peak memory (max RSS). The runs alternate
(a), (b), (b'), (m), (s) and the medians are reported.

Run it through tests/bench/run_load_benchmark.sh, which starts a throwaway PostgreSQL. Not a
pytest file, so `make test` never collects it. Prints a Markdown block for docs/benchmarks.md.
"""

import argparse
import datetime
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
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

from metrics.models import DataLoad, FinanceScore, MetricDefinition, MetricValue, Trust  # noqa: E402

TRUSTS = 230  # about the number of NHS trusts
FIRST_MONTH = "1990-01"
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def generate(folder: Path, rows: int) -> tuple[Path, Path, str]:
    """The big file (trusts x metrics x months, long form) and one month after it."""
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
    periods = pd.period_range(FIRST_MONTH, periods=months + 1, freq="M").strftime("%Y-%m")
    rng = np.random.default_rng(2026)
    ods_codes = np.array([f"B{n:03d}" for n in range(TRUSTS)])
    codes = np.array([m.code for m in metrics])
    flags = np.array([m.is_flag for m in metrics])

    def frame(trust_idx, metric_idx, month_idx):
        values = np.round(rng.normal(50, 25, len(trust_idx)), 2)
        is_flag = flags[metric_idx]
        values[is_flag] = rng.integers(0, 2, is_flag.sum())
        return pd.DataFrame(
            {
                "ods_code": ods_codes[trust_idx],
                "metric_code": codes[metric_idx],
                "period": periods.to_numpy()[month_idx],
                "value": values,
            }
        )

    big = frame(
        np.repeat(np.arange(TRUSTS), len(metrics) * months)[:rows],
        np.tile(np.repeat(np.arange(len(metrics)), months), TRUSTS)[:rows],
        np.tile(np.arange(months), TRUSTS * len(metrics))[:rows],
    )
    month = frame(
        np.repeat(np.arange(TRUSTS), len(metrics)),
        np.tile(np.arange(len(metrics)), TRUSTS),
        np.full(TRUSTS * len(metrics), months),
    )
    big_path, month_path = folder / "metric_values.csv", folder / "one_month.csv"
    big.to_csv(big_path, index=False)
    month.to_csv(month_path, index=False)
    return big_path, month_path, periods[months]


def timed(command: list[str]) -> tuple[float, int, str]:
    """Run a whole process under /usr/bin/time: (seconds, max RSS in MB, its stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"{command} failed:\n{done.stdout}\n{done.stderr}")
        seconds, kilobytes = report.read().split()[-2:]
    return float(seconds), int(kilobytes) // 1024, done.stdout


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def psql_copy(psql: str, path: Path) -> tuple[float, int, str]:
    sql("DROP TABLE IF EXISTS bench_bare")
    sql(
        "CREATE TABLE bench_bare (ods_code text, metric_code text, period text, "
        "value double precision)"
    )
    copy = f"\\copy bench_bare FROM '{path}' WITH (FORMAT csv, HEADER true)"
    result = timed([psql, os.environ["DATABASE_URL"], "-X", "-q", "-c", copy])
    sql("DROP TABLE bench_bare")
    return result


def empty_tables() -> None:
    """TRUNCATE, not DELETE: a fresh table, as on a first load, with no dead rows in it."""
    sql(f"TRUNCATE {MetricValue._meta.db_table}")
    sql(f"TRUNCATE {FinanceScore._meta.db_table}")


def load_metrics(path: Path) -> tuple[float, int, str]:
    result = timed([*MANAGE, "load_metrics", str(path), "-v", "2"])
    if "Loaded" not in result[2]:
        raise RuntimeError(result[2])
    return result


def time_loaddata(path: Path, rows: int) -> float:
    """loaddata of `rows` of the file, serialised as Django's JSON fixture format."""
    empty_tables()
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
    try:
        return timed([*MANAGE, "loaddata", handle.name, "-v", "0"])[0]
    finally:
        os.unlink(handle.name)
        empty_tables()


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


def work_seconds(output: str) -> float:
    """The command's own total (`-v 2`): from reading the file to the last refresh."""
    return float(re.search(r"total: ([\d.]+) s", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--loaddata-rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    psql = os.environ.get("PSQL") or shutil.which("psql")

    call_command("load_metric_definitions", verbosity=0, stdout=io.StringIO())
    runs = {key: [] for key in ("a", "b", "b2", "m", "s")}
    with tempfile.TemporaryDirectory() as folder:
        path, month_path, month = generate(Path(folder), args.rows)
        size_mb = path.stat().st_size / 2**20
        for _ in range(args.repeat):
            runs["a"].append(psql_copy(psql, path))
            empty_tables()
            runs["b"].append(load_metrics(path))
            runs["b2"].append(load_metrics(path))
            runs["m"].append(load_metrics(month_path))
            sql(f"DELETE FROM {MetricValue._meta.db_table} WHERE period = %s", [f"{month}-01"])  # noqa: S608
            runs["s"].append(timed([*MANAGE, "load_metrics", "--help"]))
        loaddata_rows = min(args.loaddata_rows, args.rows)
        loaddata = time_loaddata(path, loaddata_rows) * args.rows / loaddata_rows
    DataLoad.objects.filter(kind=DataLoad.Kind.METRICS).delete()

    def median(key, index=0):
        return statistics.median(run[index] for run in runs[key])

    def middle_output(key):
        ordered = sorted(runs[key], key=lambda run: run[0])
        return ordered[len(ordered) // 2][2].strip("\n")

    raw = median("a")
    print(f"## Loading {args.rows:,} metric values ({size_mb:.1f} MB CSV)\n")
    print(f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"- machine: {machine()}")
    print(f"- command: `bash tests/bench/run_load_benchmark.sh --repeat {args.repeat}`\n")
    print("| | whole process | median s | runs (s) | vs (a) | max RSS MB |")
    print("| --- | --- | ---: | --- | ---: | ---: |")
    labels = {
        "a": "`psql \\copy` of the CSV into a bare table",
        "b": "`load_metrics` into an empty table (first load)",
        "b2": "`load_metrics` of the same file again (identical re-load)",
        "m": f"`load_metrics` of one month ({month}, every trust and metric) into 1M rows",
        "s": "`load_metrics --help` (start-up only)",
    }
    for key, label in labels.items():
        seconds = median(key)
        listed = ", ".join(f"{run[0]:.2f}" for run in runs[key])
        rss = max(run[1] for run in runs[key])
        print(f"| ({key}) | {label} | {seconds:.2f} | {listed} | {seconds / raw:.2f}x | {rss} |")
    print(
        f"| (c) | `loaddata`, {loaddata_rows:,} rows timed and scaled | {loaddata:.0f} | | "
        f"{loaddata / raw:.0f}x | |"
    )
    monthly_work = statistics.median(work_seconds(run[2]) for run in runs["m"])
    print(
        f"\n(b) {median('b') / raw:.2f}x and (b') {median('b2') / raw:.2f}x (a) (target <= 3x); "
        f"monthly load's work after start-up (its `-v 2` total) {monthly_work:.2f} s "
        f"(target < 1 s); peak memory of (b) {max(run[1] for run in runs['b'])} MB "
        f"(target < 200 MB).\n"
    )
    for key in ("b", "b2", "m"):
        print(f"`load_metrics -v 2` of ({key}), median run:\n```\n{middle_output(key)}\n```")


if __name__ == "__main__":
    main()
