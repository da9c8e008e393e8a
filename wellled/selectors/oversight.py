"""Read NHS Improvement's oversight view: one row per visible trust with its latest figures
under the five themes of the 2019/20 oversight annex, each trigger a separate flag with its
theme and source, the service's own flags apart, in a fixed number of queries whatever the
number of trusts."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import KloeRating, PublishedRating
from assessments.models import Status as AssessmentStatus
from core.ratings import Rating
from metrics.models import CqcRating, FinanceScore, ModerationStatus, Trust, User
from metrics.selectors import cqc_rating_latest, trusts_visible_to

from ..models.actions import Action
from ..models.developmental_reviews import DevelopmentalReview, ReviewExplanation
from ..models.oversight import OversightConcern
from ..models.ratings_and_segments import SegmentDecision
from .developmental_reviews import next_due
from .oversight_flags import (
    FLAG_THEMES,
    FLAGS,
    QUALITY_QUESTIONS,
    SERVICE,
    THEMES,
    Flag,
    finance_flags,
    leadership_flags,
    quality_flags,
    service_flags,
)
from .oversight_triggers import concern_flags, metric_flags

# Ratified by the QA committee and not yet published: the proposed rating the annex says
# informs support needs "in draft and final form" (paragraph 46).
RATIFIED_UNPUBLISHED = [
    AssessmentStatus.DRAFT_REPORT,
    AssessmentStatus.FACTUAL_ACCURACY,
    AssessmentStatus.CQC_REVIEW,
    AssessmentStatus.DISPUTE,
    AssessmentStatus.REVISION,
    AssessmentStatus.FINALISED,
]
THEME_ORDER = list(THEMES)

SORTS = {
    "name": lambda row: (row.trust.name,),
    "finance": lambda row: (-(row.finance_score or 0), row.trust.name),
    "flags": lambda row: (-len(row.flags), row.trust.name),
    "due": lambda row: (row.due_on or datetime.date.max, row.trust.name),
    "segment": lambda row: (-(row.segment or 0), row.trust.name),
}


@dataclass
class OversightRow:
    trust: Trust
    finance_score: int | None
    finance_overall: int | None
    finance_period: datetime.date | None
    uor_rating: int | None  # the current version on the register
    uor_assessment_id: int | None
    uor_version: int | None
    uor_published_on: datetime.date | None
    uor_ratified_rating: int | None
    uor_ratified_assessment_id: int | None
    cqc: dict  # {question: (rating, rated_on)} for the quality-of-care questions
    wellled_rating: int | None
    wellled_rated_on: datetime.date | None
    last_review_id: int | None
    last_review_completed_on: datetime.date | None
    material_concerns: bool
    due_on: datetime.date | None
    due_agreed: bool
    explained: bool
    open_actions: int
    overdue_actions: int
    segment: int | None
    segment_decided_on: datetime.date | None
    flags: list[Flag] = field(default_factory=list)
    finance_moderation: str = ""  # where the month's moderation stands (ModerationStatus)

    @property
    def finance_moderated(self) -> bool:
        return self.finance_score is not None and self.finance_score != self.finance_overall

    @property
    def review_overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate() and not self.explained

    @property
    def uor_label(self) -> str:
        return Rating(self.uor_rating).label if self.uor_rating else ""

    @property
    def wellled_label(self) -> str:
        return Rating(self.wellled_rating).label if self.wellled_rating else ""

    @property
    def uor_ratified_label(self) -> str:
        return Rating(self.uor_ratified_rating).label if self.uor_ratified_rating else ""

    @property
    def flag_codes(self) -> set[str]:
        return {flag.code for flag in self.flags}

    @property
    def themes(self) -> set[str]:
        return {flag.theme for flag in self.flags}

    @property
    def annex_flags(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.theme != SERVICE]

    def flags_of(self, theme: str) -> list[Flag]:
        return [flag for flag in self.flags if flag.theme == theme]

    @property
    def by_theme(self) -> dict[str, list[Flag]]:
        """{theme: its flags} for every theme and the service's own (templates read it)."""
        return {theme: self.flags_of(theme) for theme in THEMES}

    @property
    def cqc_labels(self) -> list[tuple[str, str]]:
        """(question, rating) for each quality-of-care question CQC has rated."""
        return [
            (question, Rating(rating).label) for question, (rating, _) in self.cqc.items() if rating
        ]


def _latest(queryset, field_name: str):
    return Subquery(queryset.values(field_name)[:1])


def _oversight_trusts(
    *, user: User, region: str, trust_type: str, system: str, ods_code: str = ""
) -> QuerySet[Trust]:
    """Every visible trust annotated with its latest figures: one query for any number."""
    scores = FinanceScore.objects.filter(trust=OuterRef("pk"), moderated__isnull=False).order_by(
        "-period"
    )
    # The register's current version: a review request's changed rating is a later version.
    published = PublishedRating.objects.filter(assessment__trust=OuterRef("pk")).order_by(
        "-published_at", "-version", "-id"
    )
    ratified = KloeRating.objects.filter(
        assessment__trust=OuterRef("pk"),
        assessment__status__in=RATIFIED_UNPUBLISHED,
        kloe__isnull=True,
    ).order_by("-assessment__status_changed_at", "-assessment_id")
    reviews = DevelopmentalReview.objects.filter(
        trust=OuterRef("pk"), completed_on__isnull=False
    ).order_by("-completed_on", "-id")
    segments = SegmentDecision.objects.filter(trust=OuterRef("pk")).order_by("-decided_on", "-id")
    trusts = trusts_visible_to(user=user).filter(active=True)
    if region:
        trusts = trusts.filter(region=region)
    if trust_type:
        trusts = trusts.filter(trust_type=trust_type)
    if system:
        trusts = trusts.filter(system=system)
    if ods_code:
        trusts = trusts.filter(ods_code=ods_code)
    cqc = {}
    for question in QUALITY_QUESTIONS:
        cqc[f"cqc_{question}"] = cqc_rating_latest(question)
        cqc[f"cqc_{question}_on"] = cqc_rating_latest(question, "rated_on")
    return trusts.annotate(
        fs_moderated=_latest(scores, "moderated"),
        fs_overall=_latest(scores, "overall"),
        fs_period=_latest(scores, "period"),
        fs_reason=_latest(scores, "moderation"),
        fs_decision=_latest(scores, "decision_id"),
        fs_changed=_latest(scores, "proposal_changed"),
        uor_rating=_latest(published, "rating"),
        uor_assessment=_latest(published, "assessment_id"),
        uor_version=_latest(published, "version"),
        uor_published_at=_latest(published, "published_at"),
        uor_ratified=_latest(
            ratified.annotate(final=Coalesce(F("agreed_rating"), F("rating"))), "final"
        ),
        uor_ratified_assessment=_latest(ratified, "assessment_id"),
        wl_rating=cqc_rating_latest(CqcRating.Question.WELL_LED),
        wl_rated_on=cqc_rating_latest(CqcRating.Question.WELL_LED, "rated_on"),
        rv_id=_latest(reviews, "pk"),
        rv_completed=_latest(reviews, "completed_on"),
        rv_agreed=_latest(reviews, "agreed_next_due_on"),
        rv_concerns=_latest(reviews, "material_concerns"),
        sg_segment=_latest(segments, "segment"),
        sg_decided_on=_latest(segments, "decided_on"),
        **cqc,
    ).order_by("name")


def _action_counts(trust_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(open, overdue) actions per trust, in one query."""
    today = timezone.localdate()
    rows = (
        Action.objects.filter(trust_id__in=trust_ids, status__in=Action.OPEN_STATUSES)
        .values("trust_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    )
    return {row["trust_id"]: (row["open"], row["overdue"]) for row in rows}


def _flags(row: OversightRow, extra: list[Flag]) -> list[Flag]:
    """Every flag of the row, theme by theme in the annex's order, the service's last."""
    flags = [
        *quality_flags(row),
        *finance_flags(row),
        *leadership_flags(row),
        *extra,
        *service_flags(row),
    ]
    return sorted(flags, key=lambda flag: THEME_ORDER.index(flag.theme))


def _moderation_label(trust: Trust) -> str:
    """Whether the month's moderation is NHS Improvement's decision or still the proposal."""
    if trust.fs_decision is not None:
        changed = trust.fs_changed
        return (ModerationStatus.CHANGED if changed else ModerationStatus.DECIDED).label
    return ModerationStatus.PROPOSED.label if trust.fs_reason else ""


def oversight_rows(
    *,
    user: User,
    region: str = "",
    trust_type: str = "",
    flag: str = "",
    sort: str = "name",
    theme: str = "",
    system: str = "",
    segment: str = "",
    ods_code: str = "",
) -> list[OversightRow]:
    """One row per visible trust with its figures and flags, in a fixed number of queries
    whatever the number of trusts: the annotated trusts, the explanations, the action
    counts, the metric definitions, values and benchmarks, the open concerns.

    `theme` keeps the trusts with a flag of that theme (or "service"); `segment` is "1" to
    "4", or "none" for trusts without a segment decision; `ods_code` keeps one trust."""
    trusts = list(
        _oversight_trusts(
            user=user, region=region, trust_type=trust_type, system=system, ods_code=ods_code
        )
    )
    ids = [trust.pk for trust in trusts]
    explained = set(
        ReviewExplanation.objects.filter(trust_id__in=ids).values_list("trust_id", "covers_due_on")
    )
    actions = _action_counts(ids)
    metrics = metric_flags(trusts)
    concerns = concern_flags(ids)
    rows = []
    for trust in trusts:
        due_on = next_due(trust.rv_completed, trust.rv_agreed)
        open_count, overdue_count = actions.get(trust.pk, (0, 0))
        row = OversightRow(
            trust=trust,
            finance_score=trust.fs_moderated,
            finance_overall=trust.fs_overall,
            finance_period=trust.fs_period,
            uor_rating=trust.uor_rating,
            uor_assessment_id=trust.uor_assessment,
            uor_version=trust.uor_version,
            uor_published_on=(
                timezone.localdate(trust.uor_published_at) if trust.uor_published_at else None
            ),
            uor_ratified_rating=trust.uor_ratified,
            uor_ratified_assessment_id=trust.uor_ratified_assessment,
            cqc={
                question: (getattr(trust, f"cqc_{question}"), getattr(trust, f"cqc_{question}_on"))
                for question in QUALITY_QUESTIONS
            },
            wellled_rating=trust.wl_rating,
            wellled_rated_on=trust.wl_rated_on,
            last_review_id=trust.rv_id,
            last_review_completed_on=trust.rv_completed,
            material_concerns=bool(trust.rv_concerns),
            due_on=due_on,
            due_agreed=bool(trust.rv_agreed),
            explained=(trust.pk, due_on) in explained,
            open_actions=open_count,
            overdue_actions=overdue_count,
            segment=trust.sg_segment,
            segment_decided_on=trust.sg_decided_on,
        )
        row.finance_moderation = _moderation_label(trust)
        row.flags = _flags(row, [*metrics.get(trust.pk, []), *concerns.get(trust.pk, [])])
        rows.append(row)
    rows = [row for row in rows if _kept(row, flag=flag, theme=theme, segment=segment)]
    rows.sort(key=SORTS.get(sort, SORTS["name"]))
    return rows


def _kept(row: OversightRow, *, flag: str, theme: str, segment: str) -> bool:
    if flag and flag not in row.flag_codes:
        return False
    if theme and theme not in row.themes:
        return False
    if segment == "none":
        return row.segment is None
    return not segment or str(row.segment) == segment


def oversight_concerns_for_trust(*, trust: Trust) -> list[OversightConcern]:
    """The trust's warning notices and concerns, open and closed, newest first."""
    return list(
        OversightConcern.objects.filter(trust=trust).select_related("recorded_by", "closed_by")
    )


def oversight_concern_open(*, trust: Trust, pk: str | int | None) -> OversightConcern | None:
    """One open concern of the trust by its id (None for anything else)."""
    if pk is None or not str(pk).isdigit():
        return None
    return OversightConcern.objects.filter(pk=int(pk), trust=trust, closed_on__isnull=True).first()


def oversight_regions() -> list[str]:
    return list(Trust.objects.order_by("region").values_list("region", flat=True).distinct())


def oversight_systems() -> list[str]:
    return list(
        Trust.objects.exclude(system="")
        .order_by("system")
        .values_list("system", flat=True)
        .distinct()
    )


__all__ = [
    "FLAGS",
    "FLAG_THEMES",
    "SORTS",
    "THEMES",
    "Flag",
    "OversightRow",
    "oversight_concern_open",
    "oversight_concerns_for_trust",
    "oversight_regions",
    "oversight_rows",
    "oversight_systems",
]
