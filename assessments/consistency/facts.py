"""What the consistency rules read about one assessment, gathered in a fixed number of queries.

The rules themselves (rules.py) never touch the database: they read a `Facts`.
"""

import datetime
import re
from dataclasses import dataclass, field

from assessments.models import (
    Assessment,
    Characteristic,
    Evidence,
    Kloe,
    KloeRating,
    PassageRevision,
    Status,
)
from metrics.models import FinanceScore
from metrics.pack import PackMetric, metrics_pack_get
from metrics.selectors import metric_periods_for_trust

# Words for the quote rule (case and punctuation ignored) and figures for the correction rule
# (sign, thousands separators and a trailing % ignored: "-16.4 (%)" and "16.4%" agree).
WORD = re.compile(r"[a-z0-9]+")
FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def words(text: str) -> list[str]:
    return WORD.findall((text or "").lower())


def figures(text: str) -> set[str]:
    return {match.replace(",", "") for match in FIGURE.findall(text or "")}


@dataclass
class Facts:
    assessment: Assessment
    kloes: list[Kloe]
    ratings: dict[int | None, KloeRating]  # by KLOE id; None is the overall rating
    evidence: dict[int, list[Evidence]]  # current evidence by KLOE id
    characteristics: list[Characteristic]
    pack_period: datetime.date | None = None
    pack: dict[str, PackMetric] = field(default_factory=dict)  # by metric code
    visit_month: datetime.date | None = None
    finance_score: int | None = None
    corrections: list[PassageRevision] = field(default_factory=list)

    @property
    def after_factual_accuracy(self) -> bool:
        return self.assessment.is_at_or_after(Status.FACTUAL_ACCURACY)


def _pack_period(periods: list[datetime.date], visit_month: datetime.date):
    """The visit month's figures, or the latest month before it with any (data lags)."""
    return next((p for p in periods if p <= visit_month), periods[0] if periods else None)


def facts_gather(assessment: Assessment) -> Facts:
    kloes = list(assessment.framework.kloes.prefetch_related("metrics"))
    ratings = {
        rating.kloe_id: rating
        for rating in KloeRating.objects.filter(assessment=assessment).prefetch_related(
            "characteristics"
        )
    }
    evidence: dict[int, list[Evidence]] = {}
    for item in (
        Evidence.objects.current().filter(assessment=assessment).prefetch_related("metrics")
    ):
        evidence.setdefault(item.kloe_id, []).append(item)
    facts = Facts(
        assessment=assessment,
        kloes=kloes,
        ratings=ratings,
        evidence=evidence,
        characteristics=list(Characteristic.objects.filter(framework=assessment.framework_id)),
        visit_month=assessment.site_visit_date.replace(day=1),
    )
    codes = {metric.code for kloe in kloes for metric in kloe.metrics.all()}
    if codes:
        periods = metric_periods_for_trust(trust=assessment.trust)
        period = _pack_period(periods, facts.visit_month)
        if period is not None:
            pack = metrics_pack_get(
                user=None,
                trust=assessment.trust,
                period=period,
                periods=periods,
                codes=codes,
                with_ranking=False,
            )
            facts.pack_period = pack.period
            facts.pack = {m.definition.code: m for _, rows in pack.areas for m in rows}
    score = FinanceScore.objects.filter(trust=assessment.trust, period=facts.visit_month).first()
    if score is not None:
        facts.finance_score = score.moderated or score.overall
    if facts.after_factual_accuracy:
        facts.corrections = list(
            PassageRevision.objects.filter(
                assessment=assessment, reason=PassageRevision.Reason.FACTUAL_ACCURACY
            ).select_related("challenge", "rating__kloe", "evidence__kloe")
        )
    return facts
