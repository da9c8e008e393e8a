"""Print the page benchmark's results as Markdown for docs/benchmarks.md.

    python tests/bench/pages_report.py --small S.json --large L.json --http H.json

S and L come from `pages_inprocess.py measure` on the small and the national data set,
H from `pages_http.py` on the national one. BENCH_COMMAND names the command that was run.
"""

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.pages_common import HEALTH, pages, read_json  # noqa: E402

TARGET_RATIO, TARGET_SHARE, TARGET_P95 = 4.0, 0.25, 0.300


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def postgres_version() -> str:
    try:
        found = subprocess.run(
            ["psql", "--version"], capture_output=True, text=True, check=False, timeout=10
        )
        return found.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}" if seconds >= 0.01 else f"{seconds * 1000:.1f}"


def mark(ok: bool) -> str:
    return "" if ok else " ✗"


def report(small: dict, large: dict, http: dict) -> str:
    world = large["world"]
    alt, sat, users = http["alternating"], http["saturation"], http["users"]
    settings = http["settings"]
    lines = [
        f"**Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC.** Data set: "
        f"{world['trusts']} trusts, {world['months']} months, {world['metric_values']:,} metric "
        f"values, {world['finance_scores']:,} finance scores, {world['assessments']} "
        f"assessments with {world['evidence']:,} evidence items. Queries also counted at "
        f"{small['world']['trusts']} trusts.",
        "",
        "| page | as | queries at "
        f"{small['world']['trusts']} / {world['trusts']} trusts | KB | in-process ms "
        "(x `/health/`) | 1 worker ms | x `/health/` (≤ 4) | req/s, 3 workers | "
        "share of `/health/` (≥ ¼) | 20 users p95 ms (< 300) | errors |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in pages(world):
        inproc_small, inproc = small["pages"][page.name], large["pages"][page.name]
        queries = f"{inproc_small['queries']} / {inproc['queries']}"
        queries += mark(inproc_small["queries"] == inproc["queries"])
        size = f"{inproc['bytes'] / 1024:.0f}"
        if page.name == HEALTH:
            rows = large["pages"].values()
            health_inproc = [row["health_median"] for row in rows if "ratio" in row]
            health_1w = [row["health_median"] for row in alt.values()]
            health_rate = [row["health_per_second"] for row in sat.values()]
            lines.append(
                f"| {page.label} | nobody | {queries} | {size} | "
                f"{ms(sorted(health_inproc)[len(health_inproc) // 2])} | "
                f"{ms(sorted(health_1w)[len(health_1w) // 2])} | 1 | "
                f"{sorted(health_rate)[len(health_rate) // 2]:.0f} | 1 | | |"
            )
            continue
        one, rate, load = alt[page.name], sat[page.name], users.get(page.name, {})
        p95 = load.get("p95")
        lines.append(
            f"| {page.label} | {page.role} | {queries} | {size} | "
            f"{ms(inproc['median'])} ({inproc['ratio']:.0f}x) | {ms(one['median'])} | "
            f"{one['ratio']:.0f}x{mark(one['ratio'] <= TARGET_RATIO)} | "
            f"{rate['per_second']:.1f} | "
            f"{rate['share']:.2f}{mark(rate['share'] >= TARGET_SHARE)} | "
            + (f"{ms(p95)}{mark(p95 < TARGET_P95)}" if p95 is not None else "")
            + f" | {load.get('errors', 0) + rate['errors']} |"
        )
    pooled = users["_pooled"]
    lines += [
        "",
        f"20 simulated users, {float(settings['duration']):.0f} s, one second of think time: "
        f"{pooled['requests']} requests ({pooled['per_second']:.1f}/s), pooled p50 "
        f"{ms(pooled['p50'])} ms, p95 {ms(pooled['p95'])} ms, p99 {ms(pooled['p99'])} ms, "
        f"{pooled['errors']} errors. ✗ marks a missed target.",
        "",
        f'- Machine: nproc = {os.cpu_count()}, CPU "{cpu_name()}", '
        f"{platform.system()} {platform.release()}; {postgres_version()}; "
        f"Python {platform.python_version()}.",
        f"- Command: `{os.environ.get('BENCH_COMMAND', 'bash tests/bench/run_pages_bench.sh')}`.",
        f"- In-process: Django's test client in one process, page and `/health/` alternating, "
        f"{len(large['pages']['home']['seconds'])} rounds, medians; queries counted with "
        "`CaptureQueriesContext` on the request after a warm-up.",
        f"- 1 worker: gunicorn with one sync worker, one client, page and `/health/` alternating, "
        f"{settings['rounds']} rounds, medians of the whole HTTP request.",
        f"- req/s: gunicorn with 3 sync workers, {settings['concurrency']} client threads, "
        f"{float(settings['seconds']):.0f} s of `/health/` then {float(settings['seconds']):.0f} s "
        "of the page, for each page in turn; the client threads run on the same 2 cores.",
    ]
    return "\n".join(lines)


def sizes(large: dict) -> str:
    rows = ["| table | rows (estimate) | MB with indexes |", "| --- | ---: | ---: |"]
    for name, count, size in large.get("tables", []):
        rows.append(f"| `{name}` | {count:,} | {size / 1024 / 1024:.1f} |")
    return "\n".join(rows)


def probe_table(found: list[dict]) -> str:
    rows = [
        "| trusts | metric values | MB | pack read | month read | COUNT(*) | pack selector |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for probe in found:
        rows.append(
            f"| {probe['trusts']:,} | {probe['metric_values']:,} | "
            f"{probe['metric_value_bytes'] / 1024 / 1024:.1f} | "
            f"{ms(probe['pack_read_seconds'])} | {ms(probe['month_read_seconds'])} | "
            f"{ms(probe['count_seconds'])} | {ms(probe['pack_selector_seconds'])} |"
        )
    plans = [
        f"- plan at {p['trusts']:,} trusts: pack read `{p['pack_read_plan']}`; "
        f"month read `{p['month_read_plan']}`"
        for p in found
    ]
    return "\n".join([*rows, "", *plans])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=Path, required=True)
    parser.add_argument("--large", type=Path, required=True)
    parser.add_argument("--http", type=Path, required=True)
    parser.add_argument("--probes", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    large = read_json(args.large)
    print(report(read_json(args.small), large, read_json(args.http)))
    print("\nLargest tables of the national data set (`pg_total_relation_size`):\n")
    print(sizes(large))
    print(f"\nBuild times (s): {large['world']['build_seconds']}")
    if args.probes:
        print("\nReads that grow with the data (medians, ms; pages_probes.py):\n")
        print(probe_table([read_json(path) for path in args.probes if path.exists()]))


if __name__ == "__main__":
    main()
