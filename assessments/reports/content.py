"""Turn an assessment into its report: the content, the charts, the HTML and the PDF.

Nothing here touches ReportVersion rows: `reports.services` decides when to render and stores
the bytes; core.pdf does the rendering.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from assessments.models import (
    Assessment,
    AssessmentTransition,
    Evidence,
    Kloe,
    KloeRating,
    Prompt,
    QualityRatings,
)
from core.pdf import html_to_pdf
from core.ratings import Rating
from metrics.models import MetricDefinition, MetricValue

TEMPLATE = "reports/assessment_report.html"
CHART_MONTHS = 12
# SVG in WeasyPrint takes presentation attributes, not the page's stylesheet.
BAR_COLOUR, LATEST_BAR_COLOUR = "#1d70b8", "#003078"
AXIS_COLOUR = "#0b0c0c"


# The report's content ------------------------------------------------------------------


@dataclass
class PromptFindings:
    prompt: Prompt | None  # None: evidence recorded against the KLOE as a whole
    evidence: list[Evidence]


@dataclass
class RatingLine:
    """A proposed rating and, in the final report, the rating CQC made final."""

    proposed: int | None = None
    final: int | None = None
    rationale: str = ""

    @classmethod
    def of(cls, rating: KloeRating | None) -> "RatingLine":
        if rating is None:
            return cls()
        # CQC's agreed rating when it disputed; otherwise it accepted the proposed one.
        return cls(rating.rating, rating.agreed_rating or rating.rating, rating.rationale)

    @property
    def proposed_label(self) -> str:
        return Rating(self.proposed).label if self.proposed else "Not rated"

    @property
    def final_label(self) -> str:
        return Rating(self.final).label if self.final else "Not rated"

    @property
    def changed(self) -> bool:
        return self.final != self.proposed


@dataclass
class KloeSection:
    kloe: Kloe
    anchor: str
    rating: RatingLine
    findings: list[PromptFindings] = field(default_factory=list)


@dataclass
class MetricChart:
    definition: MetricDefinition
    anchor: str
    values: list[MetricValue]
    svg: SafeString

    @property
    def latest(self) -> MetricValue | None:
        return self.values[-1] if self.values else None

    @property
    def latest_label(self) -> str:
        return format_value(self.latest.value, self.definition.unit) if self.latest else ""


def format_value(value: float, unit: str) -> str:
    """A value as the metrics pack writes it: 3.2%, £1,250, 12.5 days, yes/no for flags."""
    unit_formats = {
        "percent": f"{value:,.1f}%",
        "gbp": f"£{value:,.0f}",
        "gbp_per_m2": f"£{value:,.0f} per m²",
        "days": f"{value:,.1f} days",
        "flag": "yes" if value else "no",
        "count": f"{value:,.0f}",
    }
    return unit_formats.get(unit, f"{value:,.2f}")


def metric_bar_chart(*, definition: MetricDefinition, values: list[MetricValue]) -> SafeString:
    """A small SVG bar chart of a trust's recent monthly values of one metric.

    Drawn here rather than in a browser so the PDF keeps it as vectors; every label is
    escaped by format_html.
    """
    width, height, left, bottom, top = 480, 90, 8, 4, 4
    plot_height = height - bottom - top
    if not values:
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
            'role="img" aria-label="{}"><title>{}</title>'
            "</svg>",
            width,
            10,
            f"{definition.name}: no values reported",
            definition.name,
        )
    numbers = [item.value for item in values]
    low, high = min(0.0, *numbers), max(0.0, *numbers)
    span = (high - low) or 1.0
    zero_y = top + plot_height * high / span
    slot = (width - 2 * left) / len(values)
    bars = []
    for index, item in enumerate(values):
        bar_height = abs(item.value) * plot_height / span
        y = zero_y - bar_height if item.value >= 0 else zero_y
        latest = index == len(values) - 1
        bars.append(
            (
                f"{left + index * slot + slot * 0.15:.1f}",
                f"{y:.1f}",
                f"{slot * 0.7:.1f}",
                f"{max(bar_height, 0.5):.1f}",
                LATEST_BAR_COLOUR if latest else BAR_COLOUR,
            )
        )
    rects = format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>', bars)
    first, last = values[0], values[-1]
    label = (
        f"{definition.name}: {len(values)} months from {first.period:%b %Y} to "
        f"{last.period:%b %Y}; latest {format_value(last.value, definition.unit)}"
    )
    # NOTE: no <text> in the SVG: the months and the latest value are in the figure's
    # caption, where a screen reader finds them, and laying out SVG text costs render time.
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" '
        'role="img" aria-label="{label}"><title>{label}</title>'
        '<line x1="{left}" x2="{right}" y1="{zero}" y2="{zero}" stroke="{ink}" '
        'stroke-width="1"/>{rects}</svg>',
        w=width,
        h=height,
        label=label,
        left=left,
        right=width - left,
        zero=f"{zero_y:.1f}",
        rects=rects,
        ink=AXIS_COLOUR,
    )


def _kloe_sections(assessment: Assessment, kloes: list[Kloe]) -> list[KloeSection]:
    ratings = {rating.kloe_id: rating for rating in assessment.ratings.select_related("kloe")}
    by_kloe_prompt: dict[tuple[int, int | None], list[Evidence]] = {}
    for item in assessment.evidence.order_by("created_at", "id"):
        by_kloe_prompt.setdefault((item.kloe_id, item.prompt_id), []).append(item)
    sections = []
    for kloe in kloes:
        section = KloeSection(kloe, f"kloe-{kloe.number}", RatingLine.of(ratings.get(kloe.pk)))
        # The framework's prompt order, then what was recorded against the KLOE as a whole.
        for prompt in kloe.prompts.all():
            if items := by_kloe_prompt.get((kloe.pk, prompt.pk)):
                section.findings.append(PromptFindings(prompt, items))
        if items := by_kloe_prompt.get((kloe.pk, None)):
            section.findings.append(PromptFindings(None, items))
        sections.append(section)
    return sections


def _metric_charts(assessment: Assessment, kloes: list[Kloe]) -> list[MetricChart]:
    definitions: dict[str, MetricDefinition] = {}
    for kloe in kloes:
        for definition in kloe.metrics.all():
            definitions.setdefault(definition.code, definition)
    charts = []
    for number, definition in enumerate(definitions.values(), start=1):
        recent = MetricValue.objects.filter(trust=assessment.trust, metric=definition).order_by(
            "-period"
        )[:CHART_MONTHS]
        values = list(reversed(recent))
        charts.append(
            MetricChart(
                definition,
                f"metric-{number}",
                values,
                metric_bar_chart(definition=definition, values=values),
            )
        )
    return charts


def _decision(transitions: list[AssessmentTransition]) -> AssessmentTransition | None:
    """The CQC action that made the rating final: accept_rating or agree_rating."""
    decisions = [t for t in transitions if t.action in ("accept_rating", "agree_rating")]
    return decisions[-1] if decisions else None


def report_context(*, assessment: Assessment, kind: str, version: int | None = None) -> dict:
    """Everything the report template shows, read once."""
    assessment = (
        Assessment.objects.select_related("trust", "framework", "lead")
        .prefetch_related("members")
        .get(pk=assessment.pk)
    )
    kloes = list(assessment.framework.kloes.prefetch_related("prompts", "metrics"))
    overall = RatingLine.of(assessment.ratings.filter(kloe__isnull=True).first())
    transitions = list(assessment.transitions.select_related("actor"))
    is_final = kind == "final"
    return {
        "assessment": assessment,
        "trust": assessment.trust,
        "framework": assessment.framework,
        "kind": kind,
        "is_draft": not is_final,
        "is_final": is_final,
        "version": version,
        "title": (
            f"Use of Resources assessment report: {assessment.trust.name}"
            + ("" if is_final else " (draft)")
        ),
        "generated_at": timezone.localtime(),
        "overall": overall,
        "sections": _kloe_sections(assessment, kloes),
        "charts": _metric_charts(assessment, kloes),
        "transitions": transitions if is_final else [],
        "decision": _decision(transitions) if is_final else None,
        # The factual-accuracy log and CQC's quality and combined ratings: final report only.
        "challenges": (
            list(assessment.challenges.select_related("answered_by", "signed_off_by"))
            if is_final
            else []
        ),
        "quality": (
            QualityRatings.objects.filter(assessment=assessment).first() if is_final else None
        ),
    }


def report_html(*, assessment: Assessment, kind: str, version: int | None = None) -> str:
    return render_to_string(
        TEMPLATE, report_context(assessment=assessment, kind=kind, version=version)
    )


def report_pdf(*, assessment: Assessment, kind: str, version: int | None = None) -> bytes:
    """The report of `assessment` as PDF bytes."""
    return html_to_pdf(report_html(assessment=assessment, kind=kind, version=version))
