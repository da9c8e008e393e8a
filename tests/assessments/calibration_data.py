"""Build ratified assessments with ratings, prompt metrics, values, stored benchmarks and
finance scores for the calibration tests (unit and Chromium)."""

import datetime

from django.utils import timezone

from assessments.models import Assessment, Framework, KloeRating, Prompt
from metrics.models import FinanceScore, MetricBenchmark, MetricDefinition, MetricValue, Trust
from metrics.models.benchmarks import NATIONAL
from tests.factories import AssessmentFactory, FrameworkFactory

VISIT = datetime.date(2026, 9, 15)
MONTH = VISIT.replace(day=1)
# Higher is better: 80 is the best quartile, 60 the 2nd, 40 the 3rd, 10 the worst.
QUARTILE_VALUE = {1: 80.0, 2: 60.0, 3: 40.0, 4: 10.0}
# Percentiles stored for every trust and for acute peers; mental health peers score lower,
# so a mental health trust's 10 is the worst quartile nationally and the best among peers.
PERCENTILES = {NATIONAL: (25.0, 50.0, 75.0), "acute": (25.0, 50.0, 75.0)}
PERCENTILES["mental_health"] = (5.0, 8.0, 9.0)


def metric(code: str, name: str) -> MetricDefinition:
    return MetricDefinition.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "area": "finance",
            "unit": "percent",
            "lower_is_better": False,
            "frequency": "monthly",
            "source": "test",
            "rationale": "test",
        },
    )[0]


def framework_with_metrics() -> Framework:
    """The test framework, its Finance prompts naming two metrics and People prompts one."""
    framework = FrameworkFactory()
    margin, liquidity = metric("cal_margin", "Margin"), metric("cal_liquidity", "Liquidity")
    staff = metric("cal_staff", "Staff retention")
    Prompt.objects.get(kloe__framework=framework, code="F1").metrics.set([margin])
    Prompt.objects.get(kloe__framework=framework, code="F2").metrics.set([margin, liquidity])
    Prompt.objects.get(kloe__framework=framework, code="P1").metrics.set([staff])
    for definition in (margin, liquidity, staff):
        for group, (q1, median, q3) in PERCENTILES.items():
            MetricBenchmark.objects.get_or_create(
                metric=definition,
                period=MONTH,
                peer_group=group,
                defaults={
                    "count": 20,
                    "q1": q1,
                    "median": median,
                    "q3": q3,
                    "computed_at": timezone.now(),
                },
            )
    return framework


def ratified(
    trust,
    *,
    finance: int,
    people: int = 2,
    overall: int = 2,
    quartiles: dict | None = None,
    agreed: dict | None = None,
    finance_score: int | None = None,
    status: str = "published",
    **extra,
):
    """A ratified assessment of `trust` with KLOE and overall ratings, the trust's metric
    values putting it in `quartiles` ({metric code: quartile}) and its finance score."""
    framework = framework_with_metrics()
    assessment = AssessmentFactory(
        trust=trust,
        framework=framework,
        status=status,
        site_visit_date=VISIT,
        commentary_deadline=VISIT - datetime.timedelta(days=14),
        **extra,
    )
    agreed = agreed or {}
    for kloe in framework.kloes.all():
        rating = finance if kloe.code == "finance" else people
        KloeRating.objects.create(
            assessment=assessment,
            kloe=kloe,
            rating=rating,
            agreed_rating=agreed.get(kloe.code),
            rationale="r",
            updated_by=assessment.lead,
        )
    KloeRating.objects.create(
        assessment=assessment,
        kloe=None,
        rating=overall,
        agreed_rating=agreed.get("overall"),
        rationale="r",
        updated_by=assessment.lead,
    )
    for code, quartile in (quartiles or {}).items():
        MetricValue.objects.update_or_create(
            trust=trust,
            metric=MetricDefinition.objects.get(code=code),
            period=MONTH,
            defaults={"value": QUARTILE_VALUE[quartile]},
        )
    if finance_score is not None:
        FinanceScore.objects.update_or_create(
            trust=trust,
            period=MONTH,
            defaults={"overall": finance_score, "moderated": finance_score},
        )
    return assessment


def sector(size: int, *, prefix: str, lead) -> None:
    """`size` more trusts, each with a published assessment, ratings, values and a finance
    score, written in bulk so the 230-trust test stays quick."""
    framework = framework_with_metrics()
    kloes = list(framework.kloes.all())
    definitions = list(MetricDefinition.objects.filter(code__startswith="cal_"))
    trusts = Trust.objects.bulk_create(
        Trust(
            ods_code=f"{prefix}{n:04d}",
            name=f"Sector {prefix}{n:04d} NHS Trust",
            trust_type=["acute", "mental_health"][n % 2],
            region=["London", "North"][n % 2],
        )
        for n in range(size)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            trust=trust,
            framework=framework,
            status=["published", "finalised", "cqc_review"][n % 3],
            site_visit_date=VISIT,
            commentary_deadline=VISIT - datetime.timedelta(days=14),
            lead=lead,
            created_by=lead,
        )
        for n, trust in enumerate(trusts)
    )
    KloeRating.objects.bulk_create(
        KloeRating(
            assessment=assessment,
            kloe=kloe,
            rating=1 + (n + k) % 4,
            rationale="r",
            updated_by=lead,
        )
        for n, assessment in enumerate(assessments)
        for k, kloe in enumerate([None, *kloes])
    )
    MetricValue.objects.bulk_create(
        MetricValue(trust=trust, metric=definition, period=MONTH, value=10.0 * (n % 9))
        for n, trust in enumerate(trusts)
        for definition in definitions
    )
    FinanceScore.objects.bulk_create(
        FinanceScore(trust=trust, period=MONTH, overall=1 + n % 4, moderated=1 + n % 4)
        for n, trust in enumerate(trusts)
    )
