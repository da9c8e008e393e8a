"""Turn an assessment into its report: the content, the charts, the HTML and the PDF.

Nothing here touches ReportVersion rows: `reports.services` decides when to render and stores
the bytes; core.pdf does the rendering.
"""

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentTransition,
    Evidence,
    Kloe,
    KloeRating,
    Prompt,
    QualityRatings,
    ReviewRequest,
    Status,
)
from core.pdf import html_to_pdf
from core.ratings import Rating
from metrics.charts import ChartImage, trend_image
from metrics.models import MetricDefinition
from metrics.pack import metrics_pack_get

TEMPLATE = "reports/assessment_report.html"


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
    cqc_reasons: str = ""
    improvements: list[str] = field(default_factory=list)
    outstanding: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, rating: KloeRating | None) -> "RatingLine":
        if rating is None:
            return cls()
        # CQC's agreed rating when it disputed; otherwise it accepted the proposed one.
        return cls(
            rating.rating,
            rating.agreed_rating or rating.rating,
            rating.rationale,
            rating.cqc_reasons,
            _lines(rating.areas_for_improvement),
            _lines(rating.outstanding_practice),
        )

    @property
    def proposed_label(self) -> str:
        return Rating(self.proposed).label if self.proposed else "Not rated"

    @property
    def final_label(self) -> str:
        return Rating(self.final).label if self.final else "Not rated"

    @property
    def changed(self) -> bool:
        return self.final != self.proposed


def _lines(text: str) -> list[str]:
    """One point a line, as the team writes areas for improvement and outstanding practice."""
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


@dataclass
class KloeSection:
    kloe: Kloe
    anchor: str
    rating: RatingLine
    findings: list[PromptFindings] = field(default_factory=list)

    @property
    def improvements(self) -> list[str]:
        return self.rating.improvements

    @property
    def outstanding(self) -> list[str]:
        return self.rating.outstanding


@dataclass
class MetricChart:
    definition: MetricDefinition
    anchor: str
    image: ChartImage
    latest_label: str = ""
    latest_month: str = ""


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


def _kloe_sections(assessment: Assessment, kloes: list[Kloe]) -> list[KloeSection]:
    ratings = {rating.kloe_id: rating for rating in assessment.ratings.select_related("kloe")}
    by_kloe_prompt: dict[tuple[int, int | None], list[Evidence]] = {}
    for item in assessment.evidence.current().order_by("created_at", "id"):
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
    """Each linked metric's last twelve months against the national and peer medians.

    The pack names no other trust (no user): the published report may be read by anyone.
    """
    codes = {definition.code for kloe in kloes for definition in kloe.metrics.all()}
    pack = metrics_pack_get(user=None, trust=assessment.trust, codes=codes, with_ranking=False)
    charts = []
    for _area, pack_metrics in pack.areas:
        for pack_metric in pack_metrics:
            definition = pack_metric.definition
            latest = next(
                ((month, own) for month, own, *_ in reversed(pack_metric.trend) if own is not None),
                None,
            )
            charts.append(
                MetricChart(
                    definition,
                    f"metric-{len(charts) + 1}",
                    trend_image(
                        name=definition.name,
                        points=pack_metric.trend,
                        this_trust=assessment.trust.ods_code,
                    ),
                    format_value(latest[1], definition.unit) if latest else "",
                    latest[0] if latest else "",
                )
            )
    return charts


def _glossary(kloes: list[Kloe]) -> list[MetricDefinition]:
    definitions = {d.pk: d for kloe in kloes for d in kloe.metrics.all()}
    return sorted(definitions.values(), key=lambda definition: definition.name)


def _date(transitions: list[AssessmentTransition], to_status: str) -> datetime.date | None:
    """The day the assessment last entered `to_status`, if it has."""
    days = [timezone.localdate(t.at) for t in transitions if t.to_status == to_status]
    return days[-1] if days else None


def _review_revision(assessment: Assessment, first_published) -> dict | None:
    """When a review request changed the published rating: when and why, for the cover of
    every final version rendered since (earlier versions are stored bytes, never re-rendered)."""
    review = ReviewRequest.objects.filter(
        assessment=assessment, decision=ReviewRequest.Decision.CHANGED
    ).first()
    if review is None or first_published is None:
        return None
    return {
        "decided_at": review.decided_at,
        "decision_note": review.decision_note,
        "first_published": first_published.published_at,
        "new_rating": review.new_rating,
    }


def report_context(*, assessment: Assessment, kind: str, version: int | None = None) -> dict:
    """Everything the published (or draft) report shows, read once.

    Only what the regulators publish: no login names, no step log, no QA notes and no
    discussion between NHS Improvement and CQC (those are in the internal record).
    """
    assessment = (
        Assessment.objects.select_related("trust", "framework", "lead")
        .prefetch_related("members")
        .get(pk=assessment.pk)
    )
    kloes = list(assessment.framework.kloes.prefetch_related("prompts", "metrics"))
    overall = RatingLine.of(assessment.ratings.filter(kloe__isnull=True).first())
    transitions = list(assessment.transitions.all())
    sections = _kloe_sections(assessment, kloes)
    is_final = kind == "final"
    first_published = assessment.published_ratings.order_by("version").first()
    revision = _review_revision(assessment, first_published) if is_final else None
    if revision is not None:
        # The review changed the overall rating: this version prints the changed one.
        overall.final = revision["new_rating"]
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
        "dates": {
            "site_visit": assessment.site_visit_date,
            "draft_shared": _date(transitions, "factual_accuracy"),
            "finalised": _date(transitions, "finalised") if is_final else None,
            "published": (
                timezone.localdate(first_published.published_at) if first_published else None
            ),
            # The trust receives the final report before publication, under embargo.
            "embargo_until": (
                assessment.publication_date
                if is_final and assessment.status != Status.PUBLISHED
                else None
            ),
        },
        "revision": revision,
        "team": {
            "lead_name": assessment.lead.get_full_name() or "the lead assessor",
            "member_names": [
                member.get_full_name()
                for member in assessment.members.all()
                if member.pk != assessment.lead_id and member.get_full_name()
            ],
        },
        "summary": assessment.summary,
        "overall": overall,
        "sections": sections,
        "any_improvements": any(section.improvements for section in sections),
        "any_outstanding": any(section.outstanding for section in sections),
        "glossary": _glossary(kloes),
        "characteristic_sources": list(
            assessment.framework.characteristics.exclude(source="")
            .order_by("source")
            .values_list("source", flat=True)
            .distinct()
        ),
        # One line per statement, whether listed overall or under several KLOEs.
        "outside_scope": list(
            {
                c.text: c for c in assessment.framework.characteristics.exclude(outside_scope="")
            }.values()
        ),
        "charts": _metric_charts(assessment, kloes),
        # The factual-accuracy log and CQC's quality and combined ratings: final report only.
        "challenges": (
            list(assessment.challenges.prefetch_related("revisions")) if is_final else []
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
