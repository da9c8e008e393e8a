"""Read the calibration view in a fixed number of queries, whatever the number of assessments.

Each ratified or published assessment gives one row: its final KLOE and overall ratings (CQC's
agreed rating where set), the peer quartile of each metric its KLOEs' prompts name for the
visit month, and the trust's finance score for that month. Quartiles come from the stored
benchmarks (`MetricBenchmark`) by `quartile_of`, the rule the metrics pack applies; nothing
is aggregated across trusts here.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import product

from django.db.models import Q, QuerySet

from assessments.models import STATUS_ORDER, Assessment, Kloe, KloeRating, Prompt, Status
from assessments.selectors import assessments_visible_to
from core.ratings import Rating
from metrics.models import FinanceScore, MetricBenchmark, MetricValue, Trust, User
from metrics.models.benchmarks import NATIONAL
from metrics.models.values import MetricUnit
from metrics.services.benchmark_rules import quartile_of

# Ratified: QA has passed the rating on, so every step from the draft report to publication.
RATIFIED = STATUS_ORDER[STATUS_ORDER.index(Status.DRAFT_REPORT) :]
# A pair is shown when the ratings are this far apart ...
RATING_GAP = 2
# ... while no shared metric's peer quartiles are further apart than this.
QUARTILE_TOLERANCE = 1
OVERALL = "overall"


def peer_groups_of(trusts) -> dict[int, str]:
    """The `MetricBenchmark.peer_group` of each trust's peer row, by trust id.

    NOTE: the one place that says which stored row is a trust's peers'. Today it is the row
    of the trust's type; when peer groups become cohorts, repoint this function (it takes
    every trust at once, so a cohort lookup stays one query).
    """
    return {trust.pk: trust.trust_type for trust in trusts}


@dataclass
class MetricQuartile:
    code: str
    name: str
    value: float | None = None
    national: int | None = None  # quartile among every trust, 1 best; None without data
    peer: int | None = None  # quartile among the trust's peers


@dataclass
class KloeCell:
    code: str
    title: str
    number: int
    rating: int  # the final rating: CQC's agreed one where set, else the one proposed
    proposed: int
    metrics: list[MetricQuartile] = field(default_factory=list)
    paired_with: list[str] = field(default_factory=list)  # ODS codes of the other trusts

    @property
    def rating_label(self) -> str:
        return Rating(self.rating).label

    @property
    def changed_by_cqc(self) -> bool:
        return self.rating != self.proposed

    def peer_quartiles(self) -> dict[str, int]:
        return {m.code: m.peer for m in self.metrics if m.peer is not None}


@dataclass
class CalibrationRow:
    assessment: Assessment
    trust: Trust
    month: datetime.date
    finance_score: int | None
    overall: int | None
    kloes: dict[str, KloeCell] = field(default_factory=dict)
    cells: list[KloeCell | None] = field(default_factory=list)  # one per KLOE the view shows

    @property
    def overall_label(self) -> str:
        return Rating(self.overall).label if self.overall else ""

    @property
    def pair_count(self) -> int:
        return sum(len(cell.paired_with) for cell in self.kloes.values())

    def rating_for(self, kloe: str) -> int | None:
        if kloe in ("", OVERALL):
            return self.overall
        cell = self.kloes.get(kloe)
        return cell.rating if cell else None


@dataclass
class Pair:
    """Two trusts whose ratings for one KLOE are RATING_GAP or more apart while the peer
    quartiles of every metric both have differ by QUARTILE_TOLERANCE at most."""

    kloe_code: str
    kloe_title: str
    first: CalibrationRow
    second: CalibrationRow
    # (metric name, the first trust's peer quartile, the second's)
    quartiles: list[tuple[str, int, int]]

    @property
    def gap(self) -> int:
        return abs(self.first_cell.rating - self.second_cell.rating)

    @property
    def first_cell(self) -> KloeCell:
        return self.first.kloes[self.kloe_code]

    @property
    def second_cell(self) -> KloeCell:
        return self.second.kloes[self.kloe_code]


@dataclass
class Calibration:
    rows: list[CalibrationRow]
    pairs: list[Pair]
    kloes: list[tuple[str, str]]  # (code, title) of the KLOEs shown, in framework order


def shared_quartiles(first: KloeCell, second: KloeCell) -> list[tuple[str, int, int]] | None:
    """The highlight rule: the shared metrics' quartiles when the two ratings are far apart
    and every shared metric's peer quartiles close; None when the pair is not shown.

    NOTE: only the metrics both trusts have a peer quartile for are compared, and at least
    one must be: without a figure on both sides nothing says the trusts looked alike.
    """
    if abs(first.rating - second.rating) < RATING_GAP:
        return None
    mine, theirs = first.peer_quartiles(), second.peer_quartiles()
    names = {m.code: m.name for m in first.metrics}
    shared = [(names[code], mine[code], theirs[code]) for code in mine if code in theirs]
    if not shared or any(abs(a - b) > QUARTILE_TOLERANCE for _, a, b in shared):
        return None
    return shared


SORTS = {
    "trust": lambda row, kloe: (row.trust.name, row.month),
    "rating_worst": lambda row, kloe: (-(row.rating_for(kloe) or 0), row.trust.name),
    "rating_best": lambda row, kloe: (row.rating_for(kloe) or 9, row.trust.name),
    "finance_worst": lambda row, kloe: (-(row.finance_score or 0), row.trust.name),
    "visit": lambda row, kloe: (-row.month.toordinal(), row.trust.name),
    "pairs": lambda row, kloe: (-row.pair_count, row.trust.name),
}


def calibration_assessments(*, user: User) -> QuerySet[Assessment]:
    """The assessments the view covers: ratified or published.

    NOTE: pilots stay in, marked as such: QA ratified their ratings too, and the committee
    reads them beside the others (the demo's assessments are mostly pilots).
    """
    return assessments_visible_to(user=user).prefetch_related(None).filter(status__in=RATIFIED)


def calibration_regions(*, user: User) -> list[str]:
    return list(
        calibration_assessments(user=user)
        .order_by("trust__region")
        .values_list("trust__region", flat=True)
        .distinct()
    )


def calibration_kloes(*, user: User) -> list[tuple[str, str]]:
    """The KLOEs (code, title) of the frameworks the covered assessments use, for the filter."""
    kloes = Kloe.objects.filter(
        framework__assessments__in=calibration_assessments(user=user).values("pk")
    ).order_by("number", "code")
    return list(dict(kloes.values_list("code", "title")).items())


def calibration_get(
    *,
    user: User,
    kloe: str = "",
    region: str = "",
    trust_type: str = "",
    rating: int | None = None,
    status: str = "",
    sort: str = "trust",
) -> Calibration:
    """The rows and pairs the filters leave, sorted; `kloe` a KLOE code narrows both to it,
    and `rating` then filters on that KLOE's rating (else on the overall rating)."""
    assessments = calibration_assessments(user=user).select_related("trust")
    if region:
        assessments = assessments.filter(trust__region=region)
    if trust_type:
        assessments = assessments.filter(trust__trust_type=trust_type)
    if status:
        assessments = assessments.filter(status=status)
    rows = _rows(list(assessments), kloe=kloe)
    if rating:
        rows = [row for row in rows if row.rating_for(kloe) == rating]
    pairs = _pairs(rows)
    rows.sort(key=lambda row: SORTS.get(sort, SORTS["trust"])(row, kloe))
    titles = {}
    for row in sorted(rows, key=lambda row: row.month):  # the latest framework's titles win
        titles.update({code: (cell.number, cell.title) for code, cell in row.kloes.items()})
    kloes = [(code, title) for code, (_, title) in sorted(titles.items(), key=lambda i: i[1])]
    for row in rows:
        row.cells = [row.kloes.get(code) for code, _ in kloes]
    return Calibration(rows=rows, pairs=pairs, kloes=kloes)


def _rows(assessments: list[Assessment], *, kloe: str) -> list[CalibrationRow]:
    """One row per assessment, from five bulk reads (ratings, the prompts' metrics, values,
    benchmarks, finance scores)."""
    rows = {
        a.pk: CalibrationRow(
            assessment=a,
            trust=a.trust,
            month=a.site_visit_date.replace(day=1),
            finance_score=None,
            overall=None,
        )
        for a in assessments
    }
    ratings = KloeRating.objects.filter(assessment_id__in=list(rows)).select_related("kloe")
    if kloe:
        ratings = ratings.filter(Q(kloe__isnull=True) | Q(kloe__code=kloe))
    cells_by_kloe_id = defaultdict(list)
    for rating in ratings:
        row = rows[rating.assessment_id]
        final = rating.agreed_rating or rating.rating
        if rating.kloe is None:
            row.overall = final
            continue
        cell = KloeCell(
            code=rating.kloe.code,
            title=rating.kloe.title,
            number=rating.kloe.number,
            rating=final,
            proposed=rating.rating,
        )
        row.kloes[cell.code] = cell
        cells_by_kloe_id[rating.kloe_id].append((row, cell))
    _fill_quartiles(rows, cells_by_kloe_id)
    months = {row.month for row in rows.values()}
    finance = FinanceScore.objects.filter(trust_id__in={r.trust.pk for r in rows.values()})
    scores = {
        (trust_id, period): moderated
        for trust_id, period, moderated in finance.filter(period__in=months).values_list(
            "trust_id", "period", "moderated"
        )
    }
    for row in rows.values():
        row.finance_score = scores.get((row.trust.pk, row.month))
    return list(rows.values())


def _fill_quartiles(rows: dict, cells_by_kloe_id: dict) -> None:
    """Give each KLOE cell its prompts' metrics with the trust's quartiles for the month."""
    links = (
        Prompt.metrics.through.objects.filter(prompt__kloe_id__in=list(cells_by_kloe_id))
        .exclude(metricdefinition__unit=MetricUnit.FLAG)
        .order_by("metricdefinition__code")
        .values_list(
            "prompt__kloe_id",
            "metricdefinition_id",
            "metricdefinition__code",
            "metricdefinition__name",
        )
    )
    metrics_of_kloe = defaultdict(dict)
    for kloe_id, metric_id, code, name in links:
        metrics_of_kloe[kloe_id][metric_id] = (code, name)
    metric_ids = {m for metrics in metrics_of_kloe.values() for m in metrics}
    trusts = {row.trust.pk: row.trust for row in rows.values()}
    peers = peer_groups_of(trusts.values())
    months = {row.month for row in rows.values()}
    values = MetricValue.objects.filter(
        trust_id__in=list(trusts), metric_id__in=metric_ids, period__in=months
    ).values_list("trust_id", "metric_id", "period", "value")
    own = {(trust_id, metric_id, period): value for trust_id, metric_id, period, value in values}
    benchmarks = MetricBenchmark.objects.filter(
        metric_id__in=metric_ids, period__in=months, peer_group__in={NATIONAL, *peers.values()}
    ).values_list(
        "metric_id", "period", "peer_group", "q1", "median", "q3", "metric__lower_is_better"
    )
    stored = {tuple(row[:3]): row[3:] for row in benchmarks}
    for kloe_id, cells in cells_by_kloe_id.items():
        for (row, cell), (metric_id, (code, name)) in product(
            cells, metrics_of_kloe[kloe_id].items()
        ):
            figure = MetricQuartile(code=code, name=name)
            figure.value = own.get((row.trust.pk, metric_id, row.month))
            if figure.value is not None:
                national = stored.get((metric_id, row.month, NATIONAL))
                peer = stored.get((metric_id, row.month, peers[row.trust.pk]))
                figure.national = _quartile(figure.value, national)
                figure.peer = _quartile(figure.value, peer)
            cell.metrics.append(figure)


def _quartile(value: float, row: tuple | None) -> int | None:
    return None if row is None else quartile_of(value, *row)


def _pairs(rows: list[CalibrationRow]) -> list[Pair]:
    """Every pair the highlight rule shows, KLOE by KLOE; each cell learns its partners.

    Only rating groups RATING_GAP or more apart are compared, so the work grows with the
    pairs worth looking at rather than with every pair of assessments.
    """
    by_kloe = defaultdict(lambda: defaultdict(list))
    for row in rows:
        for code, cell in row.kloes.items():
            by_kloe[code][cell.rating].append(row)
    pairs = []
    for code, groups in by_kloe.items():
        for better, worse in product(sorted(groups), repeat=2):
            if worse - better < RATING_GAP:
                continue
            for first, second in product(groups[better], groups[worse]):
                if first.trust.pk == second.trust.pk:
                    continue
                shared = shared_quartiles(first.kloes[code], second.kloes[code])
                if shared is None:
                    continue
                first.kloes[code].paired_with.append(second.trust.ods_code)
                second.kloes[code].paired_with.append(first.trust.ods_code)
                cell = first.kloes[code]
                pairs.append(Pair(code, cell.title, first, second, shared))
    pairs.sort(key=lambda p: (p.first_cell.number, -p.gap, p.first.trust.name, p.second.trust.name))
    return pairs
