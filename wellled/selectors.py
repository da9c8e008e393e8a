"""Reads the well-led pages and API share. Who may see which trust's records is decided
here only, through metrics.selectors.trusts_visible_to: staff see every trust, a trust user
their own (another trust's records are a 404, never a 403)."""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from assessments.models import KloeRating
from assessments.models import Status as AssessmentStatus
from core.ratings import Rating
from metrics.models import FinanceScore, Trust, User
from metrics.selectors import trusts_visible_to

from .models import (
    RATING_TRIGGERS,
    Action,
    DevelopmentalReview,
    Framework,
    GoodPractice,
    Kloe,
    Prompt,
    RatingsCharacteristic,
    ReviewExplanation,
    SegmentDecision,
    SelfReview,
    SelfReviewAttachment,
    SelfReviewReport,
    WellLedRating,
)

# The framework ------------------------------------------------------------------------------


def framework_latest() -> Framework | None:
    return Framework.objects.order_by("-version", "-id").first()


def framework_kloes(*, framework: Framework) -> QuerySet[Kloe]:
    """The KLOEs with everything the reader page shows, in a fixed number of queries."""
    return framework.kloes.prefetch_related(
        "prompts",
        Prefetch(
            "characteristics",
            queryset=RatingsCharacteristic.objects.order_by("mental_health", "level", "number"),
        ),
        Prefetch("good_practice", queryset=GoodPractice.objects.prefetch_related("descriptions")),
    )


def framework_search(*, framework: Framework, query: str) -> dict[str, list]:
    """Where `query` occurs: KLOE questions, prompts, characteristics, good practice."""
    query = query.strip()
    if not query:
        return {}
    kloes = framework.kloes.filter(Q(question__icontains=query) | Q(title__icontains=query))
    return {
        "kloes": list(kloes),
        "prompts": list(
            Prompt.objects.filter(kloe__framework=framework, text__icontains=query).select_related(
                "kloe"
            )
        ),
        "characteristics": list(
            RatingsCharacteristic.objects.filter(
                framework=framework, text__icontains=query
            ).select_related("kloe")
        ),
        "good_practice": list(
            GoodPractice.objects.filter(kloe__framework=framework)
            .filter(Q(characteristic__icontains=query) | Q(descriptions__text__icontains=query))
            .distinct()
            .select_related("kloe")
        ),
    }


# What a user may see ------------------------------------------------------------------------


def self_reviews_visible_to(*, user: User) -> QuerySet[SelfReview]:
    return SelfReview.objects.filter(trust__in=trusts_visible_to(user=user)).select_related(
        "trust", "scheme", "framework"
    )


def self_review_get_for_user(*, user: User, pk: int) -> SelfReview:
    review = self_reviews_visible_to(user=user).filter(pk=pk).first()
    if review is None:
        raise Http404("No such self-review")
    return review


def self_review_entries(*, review: SelfReview):
    """The entries in KLOE order, each with its files as `files`."""
    entries = list(review.entries.select_related("kloe", "priority", "updated_by"))
    files: dict[int, list[SelfReviewAttachment]] = {}
    for attachment in review.attachments.all():
        files.setdefault(attachment.kloe_id, []).append(attachment)
    for entry in entries:
        entry.files = files.get(entry.kloe_id, [])
    return entries


def self_review_attachment_get(*, review: SelfReview, pk: int) -> SelfReviewAttachment:
    attachment = review.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404("No such file")
    return attachment


def self_review_report_get(*, review: SelfReview, pk: int) -> SelfReviewReport:
    report = review.reports.defer("pdf").filter(pk=pk).first()
    if report is None:
        raise Http404("No such PDF")
    return report


def developmental_reviews_visible_to(*, user: User) -> QuerySet[DevelopmentalReview]:
    return (
        DevelopmentalReview.objects.filter(trust__in=trusts_visible_to(user=user))
        .select_related("trust", "agreed_by")
        .prefetch_related("kloes", "ratings__kloe")
    )


def developmental_review_get_for_user(*, user: User, pk: int) -> DevelopmentalReview:
    review = developmental_reviews_visible_to(user=user).filter(pk=pk).first()
    if review is None:
        raise Http404("No such developmental review")
    return review


def actions_visible_to(*, user: User) -> QuerySet[Action]:
    return Action.objects.filter(trust__in=trusts_visible_to(user=user)).select_related(
        "trust", "kloe", "self_review", "developmental_review"
    )


def action_get_for_user(*, user: User, pk: int) -> Action:
    action = actions_visible_to(user=user).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    return action


def wellled_ratings_visible_to(*, user: User) -> QuerySet[WellLedRating]:
    return WellLedRating.objects.filter(trust__in=trusts_visible_to(user=user)).select_related(
        "trust", "recorded_by"
    )


def segment_decisions_for_trust(*, trust: Trust) -> QuerySet[SegmentDecision]:
    """NHS Improvement's decisions, newest first (the page shows them to NHSI users only)."""
    return SegmentDecision.objects.filter(trust=trust).select_related("decided_by")


# Comply or explain --------------------------------------------------------------------------


@dataclass
class ReviewCycle:
    """Where a trust stands on its three-yearly developmental review."""

    last_review: DevelopmentalReview | None
    due_on: datetime.date | None
    agreed: bool  # the due date was agreed with NHS Improvement (not the default three years)
    explanation: ReviewExplanation | None  # accepted for the due date now in force

    @property
    def overdue(self) -> bool:
        return (
            self.due_on is not None
            and self.due_on < timezone.localdate()
            and self.explanation is None
        )


def next_due(completed_on, agreed_on) -> datetime.date | None:
    """The next review is due on the agreed date, else three years after completion."""
    if agreed_on:
        return agreed_on
    return completed_on + relativedelta(years=3) if completed_on else None


def review_cycle_for_trust(*, trust: Trust) -> ReviewCycle:
    last = (
        DevelopmentalReview.objects.filter(trust=trust, completed_on__isnull=False)
        .order_by("-completed_on", "-id")
        .first()
    )
    due_on = next_due(last.completed_on, last.agreed_next_due_on) if last else None
    explanation = None
    if due_on:
        explanation = (
            ReviewExplanation.objects.filter(trust=trust, covers_due_on=due_on)
            .select_related("accepted_by")
            .first()
        )
    return ReviewCycle(last, due_on, bool(last and last.agreed_next_due_on), explanation)


# The oversight view -------------------------------------------------------------------------

FLAGS = {
    "finance": "Finance score 3 or 4",
    "uor": "Use of resources rating Requires improvement or Inadequate",
    "wellled": "Well-led rating Requires improvement or Inadequate",
    "governance": "Material governance concerns from a developmental review",
    "review_overdue": "Developmental review overdue",
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
    wellled = WellLedRating.objects.filter(trust=OuterRef("pk")).order_by("-rated_on", "-id")
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
        wl_rating=_latest(wellled, "rating"),
        wl_rated_on=_latest(wellled, "rated_on"),
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
