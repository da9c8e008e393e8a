"""Read NHS Improvement's oversight view: one row per visible trust with its latest finance
score, UoR and well-led ratings, review cycle, actions and segment, and each trigger as a
separate flag with its source, in a fixed number of queries whatever the number of trusts."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import KloeRating
from assessments.models import Status as AssessmentStatus
from core.ratings import Rating
from metrics.models import CqcRating, FinanceScore, Trust, User
from metrics.selectors import cqc_rating_latest, trusts_visible_to

from ..models.actions import Action
from ..models.developmental_reviews import DevelopmentalReview, ReviewExplanation
from ..models.ratings_and_segments import RATING_TRIGGERS, SegmentDecision
from .developmental_reviews import next_due

FLAGS = {
    "finance": "Finance score 3 or 4",
    "uor": "Use of resources rating Requires improvement or Inadequate",
    "wellled": "Well-led rating Requires improvement or Inadequate",
    "governance": "Material governance concerns from a developmental review",
    "review_overdue": "Developmental review overdue",
    "no_review": "No completed developmental review recorded",
    "actions_overdue": "Actions overdue",
}
SORTS = {
    "name": lambda row: (row.trust.name,),
    "finance": lambda row: (-(row.finance_score or 0), row.trust.name),
    "flags": lambda row: (-len(row.flags), row.trust.name),
    "due": lambda row: (row.due_on or datetime.date.max, row.trust.name),
    "segment": lambda row: (-(row.segment or 0), row.trust.name),
}


@dataclass
class Flag:
    code: str
    label: str
    source: str  # where the flag comes from, in words


@dataclass
class OversightRow:
    trust: Trust
    finance_score: int | None
    finance_overall: int | None
    finance_period: datetime.date | None
    uor_rating: int | None
    uor_assessment_id: int | None
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
    def flag_codes(self) -> set[str]:
        return {flag.code for flag in self.flags}


def _latest(queryset, field_name: str):
    return Subquery(queryset.values(field_name)[:1])


def _oversight_trusts(*, user: User, region: str, trust_type: str) -> QuerySet[Trust]:
    """Every visible trust annotated with its latest figures: one query for any number."""
    scores = FinanceScore.objects.filter(trust=OuterRef("pk"), moderated__isnull=False).order_by(
        "-period"
    )
    uor = KloeRating.objects.filter(
        assessment__trust=OuterRef("pk"),
        assessment__status=AssessmentStatus.PUBLISHED,
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
    return trusts.annotate(
        fs_moderated=_latest(scores, "moderated"),
        fs_overall=_latest(scores, "overall"),
        fs_period=_latest(scores, "period"),
        uor_rating=_latest(uor.annotate(final=Coalesce(F("agreed_rating"), F("rating"))), "final"),
        uor_assessment=_latest(uor, "assessment_id"),
        wl_rating=cqc_rating_latest(CqcRating.Question.WELL_LED),
        wl_rated_on=cqc_rating_latest(CqcRating.Question.WELL_LED, "rated_on"),
        rv_id=_latest(reviews, "pk"),
        rv_completed=_latest(reviews, "completed_on"),
        rv_agreed=_latest(reviews, "agreed_next_due_on"),
        rv_concerns=_latest(reviews, "material_concerns"),
        sg_segment=_latest(segments, "segment"),
        sg_decided_on=_latest(segments, "decided_on"),
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


def _flags(row: OversightRow) -> list[Flag]:
    flags = []
    if row.finance_score in (3, 4):
        flags.append(
            Flag(
                "finance",
                FLAGS["finance"],
                f"SOF finance score {row.finance_score} for {row.finance_period:%B %Y}",
            )
        )
    if row.uor_rating in RATING_TRIGGERS:
        flags.append(Flag("uor", FLAGS["uor"], f"Published UoR assessment: {row.uor_label}"))
    if row.wellled_rating in RATING_TRIGGERS:
        flags.append(
            Flag(
                "wellled",
                FLAGS["wellled"],
                f"CQC well-led rating of {row.wellled_rated_on:%-d %B %Y}: {row.wellled_label}",
            )
        )
    if row.material_concerns:
        flags.append(
            Flag(
                "governance",
                FLAGS["governance"],
                f"Developmental review completed {row.last_review_completed_on:%-d %B %Y}",
            )
        )
    if row.last_review_id is None:
        flags.append(
            Flag(
                "no_review",
                FLAGS["no_review"],
                "The service's own flag, not the oversight framework's: with no completed "
                "review recorded, no three-yearly due date can be worked out",
            )
        )
    if row.review_overdue:
        flags.append(
            Flag(
                "review_overdue",
                FLAGS["review_overdue"],
                f"Due {row.due_on:%-d %B %Y}; no accepted explanation",
            )
        )
    if row.overdue_actions:
        flags.append(
            Flag(
                "actions_overdue",
                FLAGS["actions_overdue"],
                f"{row.overdue_actions} of {row.open_actions} open actions past their due date",
            )
        )
    return flags


def oversight_rows(
    *, user: User, region: str = "", trust_type: str = "", flag: str = "", sort: str = "name"
) -> list[OversightRow]:
    """One row per visible trust with its figures and flags, in three queries whatever the
    number of trusts: the annotated trusts, the explanations, the action counts."""
    trusts = list(_oversight_trusts(user=user, region=region, trust_type=trust_type))
    ids = [trust.pk for trust in trusts]
    explained = set(
        ReviewExplanation.objects.filter(trust_id__in=ids).values_list("trust_id", "covers_due_on")
    )
    actions = _action_counts(ids)
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
        row.flags = _flags(row)
        rows.append(row)
    if flag:
        rows = [row for row in rows if flag in row.flag_codes]
    rows.sort(key=SORTS.get(sort, SORTS["name"]))
    return rows


def oversight_regions() -> list[str]:
    return list(Trust.objects.order_by("region").values_list("region", flat=True).distinct())
