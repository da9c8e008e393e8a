"""What the page benchmark requests, as whom, and the small statistics it reports.

No Django here: the HTTP load generator (pages_http.py) imports this without setting Django up.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path

HEALTH = "health"


@dataclass(frozen=True)
class Page:
    name: str
    role: str  # a key of the sessions file; "" for no sign-in
    path: str
    label: str


def pages(world: dict) -> list[Page]:
    """/health/ first, then every page the issue names, each as the person who uses it."""
    ods, pk, kloe = world["assessment_trust"], world["assessment_id"], world["kloe"]
    return [
        Page(HEALTH, "", "/health/", "`/health/` (no sign-in)"),
        Page("metrics_pack", "assessor", f"/trusts/{ods}/metrics-pack/", "metrics pack"),
        Page("kloe_workspace", "assessor", f"/assessments/{pk}/kloes/{kloe}/", "KLOE workspace"),
        Page("assessment", "assessor", f"/assessments/{pk}/", "assessment page"),
        Page("oversight", "nhsi", "/well-led/oversight/", "well-led oversight"),
        Page("finance_scores", "nhsi", "/finance-scores/", "finance-score sector page"),
        Page("home", "trust", "/", "trust user's home"),
        Page("assessment_list", "cqc", "/assessments/", "assessment list (CQC)"),
        Page("api_trusts", "api", "/api/v1/trusts/", "API: trusts"),
        Page("api_metric_values", "api", "/api/v1/metric-values/", "API: metric values"),
        Page("api_finance_scores", "api", "/api/v1/finance-scores/", "API: finance scores"),
    ]


# Who the 20 simulated users are, and the pages each kind visits in turn (issue 14).
USER_MIX = (
    ("assessor", 6, ("assessment", "kloe_workspace", "metrics_pack")),
    ("trust", 5, ("home",)),
    ("nhsi", 3, ("oversight", "finance_scores")),
    ("cqc", 2, ("assessment_list",)),
    ("api", 4, ("api_trusts", "api_metric_values", "api_finance_scores")),
)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 for p95)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(math.ceil(share * len(ordered)), 1)
    return ordered[rank - 1]


def read_json(path: Path) -> dict:
    return json.loads(path.read_text())


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2))
