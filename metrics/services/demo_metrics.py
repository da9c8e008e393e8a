"""Synthetic metric values for the demo trusts: deterministic, plausible, 24 months.

The same seed gives the same values on every machine, so the README and demos can point
at what a page shows. Values are written through the ordinary loader, so the finance
scores are computed by the same signal a real load sends.
"""

import datetime

import numpy as np
import pandas as pd

from metrics.models import MetricDefinition, Trust
from metrics.services.metric_values import (
    MetricValuesLoadResult,
    metric_values_parse,
    metric_values_write,
)

DEMO_SEED = 20161
DEMO_MONTHS = 24
DEMO_LAST_MONTH = datetime.date(2026, 10, 1)
DEMO_TRUST_CODES = ("ZZ1", "ZZ2", "ZZ3", "ZZ4", "ZZ5", "ZZ6")
NO_DEMO_TRUSTS = "The demo trusts are not loaded: run `manage.py load_demo` first."

# (typical value, spread between trusts, month-to-month wobble, decimals) per metric code.
PROFILES = {
    "capital_service_capacity": (2.2, 0.5, 0.06, 2),
    "liquidity_days": (1.0, 7.0, 0.6, 1),
    "ie_margin": (0.4, 0.9, 0.1, 2),
    "distance_from_plan": (0.0, 0.8, 0.08, 2),
    "agency_spend_vs_cap": (12.0, 22.0, 2.0, 1),
    "pre_procedure_non_elective_bed_days": (0.6, 0.2, 0.03, 2),
    "emergency_readmissions": (7.5, 1.2, 0.15, 2),
    "cancelled_operations": (1.0, 0.4, 0.06, 2),
    "long_stay_bed_occupancy": (18.0, 5.0, 0.6, 1),
    "vacancy_rate": (8.0, 2.5, 0.25, 1),
    "staff_turnover": (12.0, 2.5, 0.2, 1),
    "sickness_absence": (4.3, 0.7, 0.1, 2),
    "ppib_top_100_index": (100.0, 12.0, 1.0, 1),
    "estates_cost_per_m2": (330.0, 60.0, 3.0, 0),
    "pharmacy_spend_qoq_change": (1.5, 2.0, 0.6, 2),
    # Added later, and drawn after the others (LATER_CODES) so earlier values stay the same;
    # centred near their standards, so some demo trusts meet them and some miss them.
    "staff_survey_engagement": (6.9, 0.3, 0.05, 2),
    "ae_four_hours": (93.0, 3.0, 1.0, 1),
    "rtt_18_weeks": (89.0, 4.0, 0.8, 1),
    "cancer_62_days": (84.0, 4.0, 1.5, 1),
    "diagnostics_six_weeks": (1.2, 0.8, 0.3, 2),
}
# The constitutional standards the demo reports for its acute trusts only (specialist too).
ACUTE_ONLY_CODES = ("ae_four_hours", "rtt_18_weeks", "cancer_62_days", "diagnostics_six_weeks")
LATER_CODES = (
    "staff_survey_engagement",
    "ae_four_hours",
    "rtt_18_weeks",
    "cancer_62_days",
    "diagnostics_six_weeks",
)
DEFAULT_PROFILE = (50.0, 10.0, 1.0, 2)


def demo_metric_values_frame(*, trust_codes, metric_codes, seed: int = DEMO_SEED):
    """Long-form values: each trust a fixed offset per metric plus a gentle random walk."""
    rng = np.random.default_rng(seed)
    months = pd.period_range(end=pd.Period(DEMO_LAST_MONTH, "M"), periods=DEMO_MONTHS, freq="M")
    frames = []
    # NOTE: codes added later are drawn last, so the same seed keeps the earlier values.
    ordered = sorted(metric_codes, key=lambda code: (code in LATER_CODES, code))
    for code in ordered:  # one vectorised draw per metric, every trust and month at once
        centre, spread, wobble, decimals = PROFILES.get(code, DEFAULT_PROFILE)
        offsets = rng.normal(centre, spread, size=(len(trust_codes), 1))
        walk = rng.normal(0, wobble, size=(len(trust_codes), DEMO_MONTHS)).cumsum(axis=1)
        values = np.round(offsets + walk, decimals)
        if code in LATER_CODES:  # shares and scores: never below 0 or above 100
            values = np.clip(values, 0, 100)
        frames.append(
            pd.DataFrame(
                {
                    "ods_code": np.repeat(trust_codes, DEMO_MONTHS),
                    "metric_code": code,
                    "period": np.tile(months.strftime("%Y-%m"), len(trust_codes)),
                    "value": values.ravel(),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    # Flags: every control total accepted and nobody in special measures, except that the
    # fourth trust declined its control total and the fifth entered financial special
    # measures for the last six months, so the demo shows moderation.
    for flag, default in (("control_total_accepted", 1.0), ("financial_special_measures", 0.0)):
        flags = pd.DataFrame(
            {
                "ods_code": np.repeat(trust_codes, DEMO_MONTHS),
                "metric_code": flag,
                "period": np.tile(months.strftime("%Y-%m"), len(trust_codes)),
                "value": default,
            }
        )
        recent = flags["period"] >= months[-6].strftime("%Y-%m")
        if flag == "control_total_accepted" and len(trust_codes) > 3:
            flags.loc[flags["ods_code"].eq(trust_codes[3]), "value"] = 0.0
        if flag == "financial_special_measures" and len(trust_codes) > 4:
            flags.loc[flags["ods_code"].eq(trust_codes[4]) & recent, "value"] = 1.0
        frame = pd.concat([frame, flags], ignore_index=True)
    return frame


def demo_metric_values_load() -> MetricValuesLoadResult:
    """Write 24 months of every metric for the demo trusts ZZ1-ZZ6 (again: same values);
    the constitutional standards for the acute ones."""
    trust_codes = list(
        Trust.objects.filter(ods_code__in=DEMO_TRUST_CODES)
        .order_by("ods_code")
        .values_list("ods_code", flat=True)
    )
    if not trust_codes:
        raise ValueError(NO_DEMO_TRUSTS)
    metric_codes = list(
        MetricDefinition.objects.exclude(unit=MetricDefinition.Unit.FLAG)
        .order_by("code")
        .values_list("code", flat=True)
    )
    frame = demo_metric_values_frame(trust_codes=trust_codes, metric_codes=metric_codes)
    acute = Trust.objects.filter(
        ods_code__in=trust_codes,
        trust_type__in=[Trust.TrustType.ACUTE, Trust.TrustType.ACUTE_SPECIALIST],
    )
    frame = frame[
        ~frame["metric_code"].isin(ACUTE_ONLY_CODES)
        | frame["ods_code"].isin(list(acute.values_list("ods_code", flat=True)))
    ]
    parsed = metric_values_parse(
        content=frame.to_csv(index=False).encode(), file_name="demo-metrics.csv"
    )
    if parsed.errors:
        raise ValueError("; ".join(parsed.error_lines()))
    return metric_values_write(parsed=parsed)
