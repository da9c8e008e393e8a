"""Reads for the assessments app. Which assessments a user may see is decided here only."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from metrics.models import User
from metrics.pack import metrics_pack_get

from . import policies
from .factual_accuracy.selectors import challenges_for_user
from .models import STATUS_ORDER, Assessment, Commentary, Evidence, Kloe, KloeRating, Status

# QA sees assessments from QA review on. CQC from the shared draft on: it receives the draft
# "for information" when the trust does (brief guide s.3.1), and reviews it after.
QA_FROM = STATUS_ORDER[STATUS_ORDER.index(Status.QA_REVIEW) :]
CQC_FROM = STATUS_ORDER[STATUS_ORDER.index(Status.FACTUAL_ACCURACY) :]


def assessments_visible_to(*, user: User) -> QuerySet[Assessment]:
    """Admins see all; assessors their team's; QA and CQC from their step on; a trust its own."""
    # Members prefetched: every policy a page asks reads the team (`team_ids`).
    assessments = Assessment.objects.select_related("trust", "framework", "lead").prefetch_related(
        "members"
    )
    if not user.is_authenticated:
        return assessments.none()
    if policies.sees_every_assessment(user):
        return assessments
    if policies.sees_team_assessments(user):
        team = Assessment.objects.filter(Q(lead=user) | Q(members=user)).values("pk")
        return assessments.filter(pk__in=team)
    if policies.sees_from_qa_review(user):
        return assessments.filter(status__in=QA_FROM)
    if policies.sees_from_shared_draft(user):
        return assessments.filter(status__in=CQC_FROM)
    if policies.is_trust_user(user):
        return assessments.filter(trust_id=user.trust_id)
    return assessments.none()


def assessment_get_for_user(*, user: User, pk: int) -> Assessment:
    """The assessment, or 404 when it does not exist or the user may not know it exists."""
    assessment = assessments_visible_to(user=user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment")
    return assessment


def assessment_shared_or_404(*, user: User, assessment: Assessment) -> Assessment:
    """The assessment, or 404 for a trust before the draft is shared: until then the steps
    after the draft are NHS Improvement's own."""
    if not policies.may_see_internal(user, assessment):
        raise Http404("No such assessment")
    return assessment


def commentary_for_user(*, user: User, assessment: Assessment) -> QuerySet[Commentary]:
    if not policies.may_see_commentary(user, assessment):
        return Commentary.objects.none()
    return assessment.commentaries.select_related("kloe", "updated_by").prefetch_related(
        "attachments"
    )


def evidence_for_user(
    *,
    user: User,
    assessment: Assessment,
    kloe: Kloe | None = None,
    source: str = "",
    prompt_id: int | None = None,
    withdrawn: bool | None = False,
) -> QuerySet[Evidence]:
    """The evidence `user` may read; withdrawn items only when asked (True: only them; None:
    all, for a page reached by its address)."""
    if not policies.may_see_internal(user, assessment):
        return Evidence.objects.none()
    evidence = assessment.evidence.select_related(
        "kloe", "prompt", "created_by", "updated_by", "withdrawn_by"
    ).prefetch_related("metrics", "attachments")
    if withdrawn is not None:
        evidence = evidence.filter(withdrawn_at__isnull=not withdrawn)
    if kloe is not None:
        evidence = evidence.filter(kloe=kloe)
    if source:
        evidence = evidence.filter(source=source)
    if prompt_id:
        evidence = evidence.filter(prompt_id=prompt_id)
    return evidence


def ratings_for_user(*, user: User, assessment: Assessment) -> QuerySet[KloeRating]:
    if not policies.may_see_internal(user, assessment):
        return KloeRating.objects.none()
    return assessment.ratings.select_related("kloe", "updated_by").prefetch_related(
        "characteristics"
    )


def kloes_with_progress(*, assessment: Assessment) -> list[Kloe]:
    """The framework's KLOEs with this assessment's evidence count, commentary and rating."""
    kloes = list(assessment.framework.kloes.prefetch_related("prompts"))
    evidence_counts = dict(
        assessment.evidence.current()
        .values("kloe")
        .annotate(n=Count("id"))
        .values_list("kloe", "n")
    )
    commented = set(assessment.commentaries.exclude(text="").values_list("kloe", flat=True))
    rated = set(assessment.ratings.values_list("kloe", flat=True))
    for kloe in kloes:
        kloe.evidence_count = evidence_counts.get(kloe.pk, 0)
        kloe.has_commentary = kloe.pk in commented
        kloe.is_rated = kloe.pk in rated
    return kloes


def attachment_for_user(*, user: User, assessment: Assessment, pk: int):
    """An attachment of an item the user may see (commentary, evidence, challenge), or 404."""
    attachment = assessment.attachments.filter(pk=pk).first()
    if attachment is not None:
        if attachment.commentary_id is not None:
            visible = commentary_for_user(user=user, assessment=assessment)
            if visible.filter(pk=attachment.commentary_id).exists():
                return attachment
        elif attachment.evidence_id is not None:
            visible = evidence_for_user(user=user, assessment=assessment)
            if visible.filter(pk=attachment.evidence_id).exists():
                return attachment
        elif attachment.challenge_id is not None:
            visible = challenges_for_user(user=user, assessment=assessment)
            if visible.filter(pk=attachment.challenge_id).exists():
                return attachment
    raise Http404("No such attachment")


def kloe_metrics_with_figures(*, user: User, assessment: Assessment, kloe: Kloe) -> list:
    """The KLOE's metrics as the metrics pack shows them for the trust's latest month:
    value, benchmarks within the cohort and nationally, trend, bottom-quartile flag and
    context note (PackMetric rows, `period` and `cohort` set on each)."""
    codes = set(kloe.metrics.values_list("code", flat=True))
    if not codes:
        return []
    pack = metrics_pack_get(user=user, trust=assessment.trust, codes=codes, with_ranking=False)
    rows = [m for _, metrics in pack.areas for m in metrics]
    for row in rows:
        row.period, row.cohort = pack.period, pack.cohort
    return rows
