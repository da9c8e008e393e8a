"""Time the finance-score refresh with and without moderation decisions to keep.

National history (230 trusts x 256 months of the seven SOF codes, a third of the rows with a
proposed moderation): the whole table refreshed at once, and one month (a monthly load). Run
before any decision exists, then with every proposal of the last 24 months decided, so the
figures show what keeping decisions costs. Medians of `--repeat` runs; prints a Markdown table.

Run it on a throwaway PostgreSQL (scripts/throwaway_postgres.sh: `pg_start`, then
`manage.py migrate`, then this file), as tests/bench/run_load_benchmark.sh does.
Not a pytest file, so the suite never collects it.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path

import django
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uor_site.settings.test")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from metrics.models import FinanceScore, MetricDefinition, MetricValue, Trust, User  # noqa: E402
from metrics.services import finance_scores_refresh, metric_definitions_load  # noqa: E402

TRUSTS, MONTHS = 230, 256
CODES = {  # (low, high) of a uniform draw: roughly a third of the rows score a 4 somewhere
    "capital_service_capacity": (1.0, 4.0),
    "liquidity_days": (-20.0, 20.0),
    "ie_margin": (-1.5, 4.0),
    "distance_from_plan": (-2.5, 2.0),
    "agency_spend_vs_cap": (-20.0, 55.0),
}


def world() -> list[datetime.date]:
    metric_definitions_load()
    Trust.objects.bulk_create(
        Trust(ods_code=f"B{n:04d}", name=f"Trust {n}", trust_type="acute", region="R")
        for n in range(TRUSTS)
    )
    months = [d.date() for d in pd.date_range("2003-01-01", periods=MONTHS, freq="MS")]
    ids = dict(MetricDefinition.objects.values_list("code", "pk"))
    trust_ids = list(Trust.objects.values_list("pk", flat=True))
    rng = np.random.default_rng(16)
    frames = []
    for code, (low, high) in CODES.items():
        values = rng.uniform(low, high, TRUSTS * MONTHS)
        frames.append((ids[code], values))
    frames.append((ids["control_total_accepted"], (rng.random(TRUSTS * MONTHS) > 0.05) * 1.0))
    frames.append((ids["financial_special_measures"], (rng.random(TRUSTS * MONTHS) < 0.03) * 1.0))
    grid = pd.MultiIndex.from_product([trust_ids, months]).to_frame(index=False)
    buffer = io.StringIO()
    for metric_id, values in frames:
        pd.DataFrame(
            {"trust_id": grid[0], "metric_id": metric_id, "period": grid[1], "value": values}
        ).to_csv(buffer, header=False, index=False)
    buffer.seek(0)
    table = MetricValue._meta.db_table
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} (trust_id, metric_id, period, value) FROM STDIN WITH (FORMAT csv)",
            buffer,
        )
    return months


def timed(periods, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        with transaction.atomic():
            finance_scores_refresh(periods=periods)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def decide_recent(months: list[datetime.date]) -> int:
    """Decide every proposal of the last 24 months (confirm), as the service would store it."""
    # Imported here: the model is absent from the code before decisions, which this also times.
    from metrics.models import ModerationDecision

    actor = User.objects.create(username="bench-assessor", role="assessor")
    proposals = FinanceScore.objects.filter(period__in=months[-24:]).exclude(moderation="")
    now = timezone.now()
    ModerationDecision.objects.bulk_create(
        ModerationDecision(
            trust_id=s.trust_id,
            period=s.period,
            overall=s.overall,
            proposed=s.proposed,
            proposal_reason=s.moderation,
            score=s.proposed,
            decided_by=actor,
            decided_at=now,
        )
        for s in proposals
    )
    return proposals.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    months = world()
    rows = []
    with transaction.atomic():
        finance_scores_refresh()  # warm-up: the table holds every row from here on
    rows.append(("no decisions", timed(None, args.repeat), timed(months[-1:], args.repeat * 3)))
    try:
        decided = decide_recent(months)
    except ImportError:
        decided = None
    if decided is not None:
        rows.append(
            (
                f"{decided:,} decisions",
                timed(None, args.repeat),
                timed(months[-1:], args.repeat * 3),
            )
        )
    print(f"{TRUSTS} trusts x {MONTHS} months = {TRUSTS * MONTHS:,} scores; medians")
    print("| decisions kept | whole table (s) | one month (s) |")
    print("| --- | --- | --- |")
    for label, whole, month in rows:
        print(f"| {label} | {whole:.2f} | {month:.3f} |")


if __name__ == "__main__":
    main()
