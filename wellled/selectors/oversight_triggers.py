"""Read in bulk, for every trust of the oversight view at once, what the metric and concern
flags need: the two latest months of each operational standard and organisational-health
metric (one query), their stored peer benchmarks (one query) and the open concerns (one
query). Never a query per trust."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from metrics.models import MetricBenchmark, MetricDefinition, MetricValue, Trust
from metrics.services.benchmark_rules import quartile_of

from ..models.oversight import OversightConcern
from .oversight_flags import ORG_HEALTH, STANDARDS, Flag, flag

# Values older than this are not a current trigger (an annual staff survey is within it).
LOOKBACK_MONTHS = 15


def _figure(value: float, definition: MetricDefinition) -> str:
    return f"{value:g}%" if definition.unit == MetricDefinition.Unit.PERCENT else f"{value:g}"


def _two_latest(trust_ids: list[int], definitions: dict[int, MetricDefinition]) -> dict:
    """{(trust id, metric id): [(month, value), ...]}: the two latest months, newest first."""
    since = timezone.localdate().replace(day=1) - relativedelta(months=LOOKBACK_MONTHS)
    rows = (
        MetricValue.objects.filter(
            trust_id__in=trust_ids, metric_id__in=list(definitions), period__gte=since
        )
        .annotate(
            recent=Window(
                RowNumber(),
                partition_by=[F("trust_id"), F("metric_id")],
                order_by=F("period").desc(),
            )
        )
        .filter(recent__lte=2)
        .order_by("trust_id", "metric_id", "-period")
        .values_list("trust_id", "metric_id", "period", "value")
    )
    latest = defaultdict(list)
    for trust_id, metric_id, period, value in rows:
        latest[(trust_id, metric_id)].append((period, value))
    return latest


def _standard_flag(definition: MetricDefinition, months: list) -> Flag | None:
    """Missed in each of the two latest months, and they are consecutive: the annex's
    "failure to meet any operational performance standard for at least two consecutive
    months". One month missed is no trigger."""
    if len(months) < 2 or definition.threshold is None:
        return None
    (latest, value), (before, earlier) = months
    if before != latest - relativedelta(months=1):
        return None
    if definition.meets_threshold(value) or definition.meets_threshold(earlier):
        return None
    side = "or less" if definition.lower_is_better else "or more"
    # The standard's source in short: its first clause ("NHS Constitution operational standard").
    origin = definition.threshold_source.split(":")[0].strip()
    return flag(
        f"standard_{definition.code}",
        f"{_figure(value, definition)} in {latest:%B %Y} and {_figure(earlier, definition)} in "
        f"{before:%B %Y}; the standard is {_figure(definition.threshold, definition)} {side} "
        f"({origin})",
    )


def _org_health_flag(definition, months, cohort: str, benchmarks: dict) -> Flag | None:
    """The latest value in the bottom quartile of the trust's peers (the stored benchmark of
    its peer cohort for that month; 4 is the worst quartile)."""
    if not months:
        return None
    period, value = months[0]
    stored = benchmarks.get((definition.pk, period, cohort))
    if stored is None:
        return None
    count, q1, median, q3 = stored
    if quartile_of(value, q1, median, q3, definition.lower_is_better) != 4:
        return None
    return flag(
        f"org_health_{definition.code}",
        f"{definition.name} {_figure(value, definition)} in {period:%B %Y}: bottom quartile of "
        f"the {count} trusts of its peer cohort with a value "
        f"(their median {_figure(median, definition)})",
    )


def metric_flags(trusts: list[Trust]) -> dict[int, list[Flag]]:
    """The operational-standard and organisational-health flags of each trust, by trust id."""
    definitions = {
        definition.pk: definition
        for definition in MetricDefinition.objects.filter(code__in=[*STANDARDS, *ORG_HEALTH])
    }
    latest = _two_latest([trust.pk for trust in trusts], definitions)
    org_ids = [pk for pk, definition in definitions.items() if definition.code in ORG_HEALTH]
    months = {values[0][0] for (_, metric_id), values in latest.items() if metric_id in org_ids}
    # Each trust's cohort code (an admin's group, else its type's default): its benchmark row.
    cohorts = {
        pk: code or trust_type
        for pk, trust_type, code in Trust.objects.filter(
            pk__in=[trust.pk for trust in trusts]
        ).values_list("pk", "trust_type", "cohort__code")
    }
    benchmarks = {
        (metric_id, period, group): (count, q1, median, q3)
        for metric_id, period, group, count, q1, median, q3 in MetricBenchmark.objects.filter(
            metric_id__in=org_ids,
            period__in=months,
            peer_group__in=set(cohorts.values()),
        ).values_list("metric_id", "period", "peer_group", "count", "q1", "median", "q3")
    }
    by_code = {definition.code: definition for definition in definitions.values()}
    flags = {}
    for trust in trusts:
        found = []
        for code in STANDARDS:
            definition = by_code.get(code)
            if definition is not None:
                found.append(_standard_flag(definition, latest.get((trust.pk, definition.pk), [])))
        for code in ORG_HEALTH:
            definition = by_code.get(code)
            if definition is not None:
                months_of = latest.get((trust.pk, definition.pk), [])
                found.append(_org_health_flag(definition, months_of, cohorts[trust.pk], benchmarks))
        flags[trust.pk] = [item for item in found if item is not None]
    return flags


def concern_flags(trust_ids: list[int]) -> dict[int, list[Flag]]:
    """Each open warning notice and material concern as a flag of its theme, by trust id."""
    flags = defaultdict(list)
    concerns = OversightConcern.objects.filter(trust_id__in=trust_ids, closed_on__isnull=True)
    for concern in concerns.order_by("raised_on", "id"):
        raised = f"{concern.raised_on:%-d %B %Y}"
        if concern.kind == OversightConcern.Kind.WARNING_NOTICE:
            item = flag(
                "warning_notice",
                f"Warning notice of {raised}, recorded by NHS Improvement: {concern.reason}",
            )
        else:
            item = flag(
                f"concern_{concern.theme}",
                f"Recorded by NHS Improvement, raised {raised}: {concern.reason}",
            )
        flags[concern.trust_id].append(item)
    return flags
