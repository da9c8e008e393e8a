"""Build the national-size data set for the page benchmark (tests/bench/run_pages_bench.sh).

Trusts, metric definitions, metric values, finance scores and both frameworks go in through
the management commands an admin runs (`load_trusts`, `load_metric_definitions`,
`load_metrics` from a generated CSV, `load_frameworks`, `load_wellled_framework`). The
assessments are brought to their stages by the demo builder (assessments.demo.DemoBuild),
through the services and the workflow table, with extra evidence so each holds about
`--evidence` items. Well-led reviews, actions, ratings and segment decisions go through the
well-led services. Writes `world.json` (the trusts, assessment and KLOE the pages use) to --out.

Usage: python tests/bench/pages_world.py --trusts 236 --months 30 --assessments 48 --out DIR
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uor_site.settings.test")
django.setup()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.demo import DEMO_FILE, STAGES, DemoBuild  # noqa: E402
from assessments.models import Assessment, Evidence  # noqa: E402
from assessments.services import evidence_create  # noqa: E402
from metrics.models import FinanceScore, MetricDefinition, MetricValue, Role, Trust, User  # noqa: E402
from metrics.services import user_create  # noqa: E402
from metrics.services.demo_metrics import DEFAULT_PROFILE, PROFILES  # noqa: E402
from wellled.models import SEGMENT_SUPPORT_OFFER  # noqa: E402
from wellled.services import (  # noqa: E402
    action_create,
    developmental_review_save,
    framework_current,
    segment_decision_record,
    wellled_rating_record,
)
from wellled.services.segment_rules import RULES  # noqa: E402

SEED = 14
LAST_MONTH = datetime.date(2026, 10, 1)
PASSWORD = "bench-pass-2026-not-secret"
# NHS England's seven regions and the trust types in roughly the national mix (2018: 135
# acute, 17 specialist, 54 mental health, 18 community, 12 ambulance of 236).
REGIONS = (
    "London",
    "South East",
    "South West",
    "Midlands",
    "East of England",
    "North West",
    "North East and Yorkshire",
)
TYPE_MIX = (
    ("acute", 135),
    ("acute_specialist", 17),
    ("mental_health", 54),
    ("community", 18),
    ("ambulance", 12),
)
# The people the demo builder names (lead, QA, CQC) and the bench's own signed-in users.
STAFF = (
    ("admin", Role.ADMIN),
    ("assessor", Role.ASSESSOR),
    ("assessor2", Role.ASSESSOR),
    ("qa", Role.QA),
    ("cqc", Role.CQC),
    ("api-client", Role.ASSESSOR),
)
EVIDENCE_SOURCES = (
    Evidence.Source.METRIC_ANALYSIS,
    Evidence.Source.TRUST_SUBMISSION,
    Evidence.Source.LOCAL_INTELLIGENCE,
)
FINDINGS = tuple(Evidence.Finding.values)


def ods(number: int) -> str:
    return f"B{number:04d}"


def trust_types(count: int) -> list[str]:
    """`count` trust types in the national proportions, acute first."""
    total = sum(n for _, n in TYPE_MIX)
    kinds = []
    for kind, n in TYPE_MIX:
        kinds += [kind] * max(1, round(n * count / total))
    kinds = (kinds + ["acute"] * count)[:count]
    return sorted(kinds, key=lambda kind: kind != "acute")


def run_command(*args: str) -> float:
    """Run `manage.py ARGS` as an admin would; return its wall-clock seconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)
    return time.perf_counter() - started


def write_trusts_csv(path: Path, count: int) -> None:
    rows = [
        {
            "ods_code": ods(n),
            "name": f"Bench {REGIONS[n % len(REGIONS)]} {kind.replace('_', ' ')} trust {n:04d}",
            "trust_type": kind,
            "region": REGIONS[n % len(REGIONS)],
            "foundation_trust": "yes" if n % 2 else "no",
        }
        for n, kind in enumerate(trust_types(count), start=1)
    ]
    pd.DataFrame(rows).to_csv(path, index=False)


def write_metrics_csv(path: Path, trust_codes: list[str], months: int) -> int:
    """Every metric of fixtures/metric_definitions.yaml for every trust and month."""
    rng = np.random.default_rng(SEED)
    periods = pd.period_range(end=pd.Period(LAST_MONTH, "M"), periods=months, freq="M")
    labels = np.tile(periods.strftime("%Y-%m"), len(trust_codes))
    codes = np.repeat(trust_codes, months)
    frames = []
    for metric in MetricDefinition.objects.order_by("code"):
        if metric.is_flag:
            # Most trusts accepted their control total and are not in special measures.
            chance = 0.9 if metric.code == "control_total_accepted" else 0.05
            values = (rng.random(len(trust_codes)) < chance).astype(float)
            values = np.repeat(values, months)
        else:
            centre, spread, wobble, decimals = PROFILES.get(metric.code, DEFAULT_PROFILE)
            offsets = rng.normal(centre, spread, size=(len(trust_codes), 1))
            walk = rng.normal(0, wobble, size=(len(trust_codes), months)).cumsum(axis=1)
            values = np.round(offsets + walk, decimals).ravel()
        frames.append(
            pd.DataFrame(
                {"ods_code": codes, "metric_code": metric.code, "period": labels, "value": values}
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    frame.to_csv(path, index=False)
    return len(frame)


def make_staff() -> None:
    for username, role in STAFF:
        if not User.objects.filter(username=username).exists():
            user_create(
                username=username,
                role=role,
                password=PASSWORD,
                email=f"{username}@bench.invalid",
                full_name=f"Bench {username}",
            )


def trust_contact(trust: Trust) -> User:
    user = User.objects.filter(trust=trust, role=Role.TRUST).order_by("pk").first()
    return user or user_create(
        username=f"trust-{trust.ods_code.lower()}",
        role=Role.TRUST,
        trust_code=trust.ods_code,
        password=PASSWORD,
        email=f"trust-{trust.ods_code.lower()}@bench.invalid",
        full_name=f"Contact at {trust.ods_code}",
        trust_contact=True,
    )


class BenchBuild(DemoBuild):
    """The demo's steps, with synthetic evidence added until the assessment holds `evidence`."""

    evidence_target = 50

    def evidence_and_ratings(self) -> None:
        kloes = list(self.assessment.framework.kloes.prefetch_related("prompts"))
        have = self.assessment.evidence.count()
        base = sum(len(self.data["kloes"][kloe.code]["evidence"]) for kloe in kloes)
        for n in range(max(self.evidence_target - base - have, 0)):
            kloe = kloes[n % len(kloes)]
            prompts = list(kloe.prompts.all())
            evidence_create(
                assessment=self.assessment,
                actor=self.lead,
                kloe=kloe,
                prompt=prompts[n % len(prompts)] if prompts else None,
                source=EVIDENCE_SOURCES[n % len(EVIDENCE_SOURCES)],
                finding=FINDINGS[n % len(FINDINGS)],
                text=(
                    f"Finding {n + 1} for {self.trust.ods_code}: the trust's {kloe.title.lower()} "
                    "figures were compared with its peers over the last two years, and the "
                    "board papers for the period were read with the finance director."
                ),
            )
        super().evidence_and_ratings()


def build_assessments(count: int, evidence: int) -> list[Assessment]:
    """`count` assessments spread evenly over the demo's eight stages, one acute trust each."""
    data = yaml.safe_load(DEMO_FILE.read_text())
    stages = {stage["stage"]: stage for stage in data["stages"]}
    trusts = list(Trust.objects.filter(trust_type="acute").order_by("ods_code")[:count])
    BenchBuild.evidence_target = evidence
    built = []
    for n, trust in enumerate(trusts):
        stage = dict(stages[STAGES[n % len(STAGES)]], trust=trust.ods_code)
        stage["lead"] = "assessor" if n % 2 == 0 else "assessor2"
        stage["members"] = ["assessor2"] if n % 2 == 0 else ["assessor"]
        trust_contact(trust)
        built.append(BenchBuild(data, stage, trust, User.objects.get(username=stage["lead"])).run())
    return built


def build_wellled(trusts: list[Trust]) -> None:
    """For a third of the trusts a developmental review (some with concerns and an overdue
    action); for half a CQC well-led rating; for a quarter a segment decision."""
    kloes = list(framework_current().kloes.all())
    cqc, admin = User.objects.get(username="cqc"), User.objects.get(username="admin")
    today = timezone.localdate()
    for n, trust in enumerate(trusts):
        if n % 3 == 0:
            actor = trust_contact(trust)
            completed = today - datetime.timedelta(days=200 + 9 * n)
            concerns = "The board could not show how it tracks savings." if n % 5 == 0 else ""
            review = developmental_review_save(
                trust=trust,
                actor=actor,
                kloes=kloes,
                ratings=dict.fromkeys(kloes, 2 + n % 2),
                facilitator_name="Bench Facilitator",
                facilitator_organisation="Bench Reviews Ltd",
                peer_reviewers="A. Peer\nB. Peer",
                independence="declared",
                started_on=completed - datetime.timedelta(days=90),
                completed_on=completed,
                findings="Synthetic findings for the benchmark.",
                good_practice="Clear board papers.",
                material_concerns=bool(concerns),
                concerns_text=concerns,
                letter_sent_on=completed + datetime.timedelta(days=14),
            )
            for k in range(2):
                action_create(
                    trust=trust,
                    actor=actor,
                    kloe=kloes[k],
                    text=f"Action {k + 1} from the developmental review",
                    owner="Director of strategy",
                    due_on=today + datetime.timedelta(days=60 if k else -30),
                    developmental_review=review,
                )
        if n % 2 == 0:
            rated_on = today - datetime.timedelta(days=30 + 7 * n)
            wellled_rating_record(trust=trust, actor=cqc, rating=1 + n % 4, rated_on=rated_on)
        if n % 4 == 0:
            segment_decision_record(
                trust=trust,
                actor=admin,
                segment=1 + n % 4,
                support_offer=SEGMENT_SUPPORT_OFFER[1 + n % 4],
                licence_breach="actual" if n % 4 >= 2 else "none",
                special_measures="finance" if n % 4 == 3 else "none",
                rationale="Finance score and well-led rating taken together.",
                decided_on=today - datetime.timedelta(days=20),
                warnings_confirmed=set(RULES),
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trusts", type=int, default=236)
    parser.add_argument("--months", type=int, default=30)
    parser.add_argument("--assessments", type=int, default=48)
    parser.add_argument("--evidence", type=int, default=50)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    timings = {}
    trusts_csv, metrics_csv = args.out / "trusts.csv", args.out / "metrics.csv"
    write_trusts_csv(trusts_csv, args.trusts)
    timings["load_trusts"] = run_command("load_trusts", str(trusts_csv))
    timings["load_metric_definitions"] = run_command("load_metric_definitions")
    codes = list(Trust.objects.order_by("ods_code").values_list("ods_code", flat=True))
    rows = write_metrics_csv(metrics_csv, codes, args.months)
    timings["load_metrics"] = run_command("load_metrics", str(metrics_csv), "-v", "2")
    timings["load_frameworks"] = run_command("load_frameworks")
    timings["load_wellled_framework"] = run_command("load_wellled_framework")
    started = time.perf_counter()
    make_staff()
    built = build_assessments(min(args.assessments, args.trusts), args.evidence)
    timings["assessments"] = time.perf_counter() - started
    started = time.perf_counter()
    build_wellled(list(Trust.objects.order_by("ods_code")))
    timings["wellled"] = time.perf_counter() - started
    working = next(a for a in built if a.status == Assessment.Status.EVIDENCE)
    world = {
        "trusts": Trust.objects.count(),
        "months": args.months,
        "metric_values": MetricValue.objects.count(),
        "metric_rows_in_csv": rows,
        "finance_scores": FinanceScore.objects.count(),
        "assessments": Assessment.objects.count(),
        "evidence": Evidence.objects.count(),
        "assessment_id": working.pk,
        "assessment_trust": working.trust.ods_code,
        "kloe": working.framework.kloes.order_by("number").first().code,
        "lead": working.lead.username,
        "trust_user": trust_contact(working.trust).username,
        "build_seconds": {key: round(value, 1) for key, value in timings.items()},
    }
    (args.out / "world.json").write_text(json.dumps(world, indent=2))
    print(json.dumps(world, indent=2))


if __name__ == "__main__":
    main()
