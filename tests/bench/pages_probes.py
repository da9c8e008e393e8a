"""Time the reads that grow with the data, for docs/scaling.md: medians of --repeat runs.

    python tests/bench/pages_probes.py --world W --out J

- the metrics pack's read of the stored benchmarks: every metric's percentiles for 13
  months, national and for the trust's peers (as metrics.pack.metrics_pack_get asks for
  them), with PostgreSQL's plan;
- one month of every trust and metric (what a load's refresh of that month reads);
- COUNT(*) of all metric values (what every API list of metric values runs first);
- the metrics pack as a whole (selector only, no template), for the working assessment's trust.
Run with DJANGO_SETTINGS_MODULE=tests.bench.pages_settings (see run_pages_bench.sh).
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.pages_settings")
django.setup()

from django.db import connection  # noqa: E402

from metrics.models import MetricValue, Trust, User  # noqa: E402
from metrics.pack import metrics_pack_get  # noqa: E402
from tests.bench.pages_common import median, read_json, write_json  # noqa: E402

PACK_SQL = (
    "SELECT metric_id, period, peer_group, count, q1, median, q3 FROM metrics_metricbenchmark "
    "WHERE metric_id = ANY(%s) AND period >= %s AND period <= %s AND peer_group IN ('', %s)"
)
MONTH_SQL = "SELECT trust_id, metric_id, value FROM metrics_metricvalue WHERE period = %s"
COUNT_SQL = "SELECT COUNT(*) FROM metrics_metricvalue"
PLAN_CHARS = 90


def timed(run, repeat: int) -> float:
    run()  # warm the cache: the figures are for a table already in memory
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return median(seconds)


def sql(statement: str, params: list):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            cursor.fetchall()

    return run


def plan(statement: str, params: list) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + statement, params)
        lines = [row[0].strip()[:PLAN_CHARS] for row in cursor.fetchall()[:3]]
        return " / ".join(lines)


def probes(world: dict, repeat: int) -> dict:
    last = MetricValue.objects.order_by("-period").values_list("period", flat=True).first()
    first = datetime.date(last.year - 1, last.month, 1)
    metric_ids = list(MetricValue.objects.order_by().values_list("metric_id", flat=True).distinct())
    trust = Trust.objects.get(ods_code=world["assessment_trust"])
    pack_params = [metric_ids, first, last, trust.trust_type]
    user = User.objects.get(username=world["lead"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE metrics_metricvalue")
        cursor.execute("SELECT pg_total_relation_size('metrics_metricvalue')")
        table_bytes = cursor.fetchone()[0]
    return {
        "trusts": Trust.objects.count(),
        "metric_values": MetricValue.objects.count(),
        "metric_value_bytes": table_bytes,
        "pack_read_seconds": timed(sql(PACK_SQL, pack_params), repeat),
        "pack_read_plan": plan(PACK_SQL, pack_params),
        "month_read_seconds": timed(sql(MONTH_SQL, [last]), repeat),
        "month_read_plan": plan(MONTH_SQL, [last]),
        "count_seconds": timed(sql(COUNT_SQL, []), repeat),
        "pack_selector_seconds": timed(
            lambda: metrics_pack_get(user=user, trust=trust), max(repeat // 2, 1)
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--world", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    found = probes(read_json(args.world), args.repeat)
    write_json(args.out, found)
    for key, value in found.items():
        print(f"{key:24} {value}")


if __name__ == "__main__":
    main()
