"""Reads for the assessments app. Which assessments a user may see is decided here only."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from metrics.models import DataLoad, Role, Trust, User

from .models import STATUS_ORDER, Assessment, Commentary, Evidence, Kloe, KloeRating, Status
from .permissions import can_see_commentary, can_see_internal

# QA sees assessments from QA review on. CQC from the shared draft on: it receives the draft
# "for information" when the trust does (brief guide s.3.1), and reviews it after.
QA_FROM = STATUS_ORDER[STATUS_ORDER.index(Status.QA_REVIEW) :]
CQC_FROM = STATUS_ORDER[STATUS_ORDER.index(Status.FACTUAL_ACCURACY) :]


def assessments_visible_to(*, user: User) -> QuerySet[Assessment]:
    """Admins see all; assessors their team's; QA and CQC from their step on; a trust its own."""
    assessments = Assessment.objects.select_related("trust", "framework", "lead")
    if not user.is_authenticated:
        return assessments.none()
    if user.role == Role.ADMIN:
        return assessments
    if user.role == Role.ASSESSOR:
        team = Assessment.objects.filter(Q(lead=user) | Q(members=user)).values("pk")
        return assessments.filter(pk__in=team)
    if user.role == Role.QA:
        return assessments.filter(status__in=QA_FROM)
    if user.role == Role.CQC:
        return assessments.filter(status__in=CQC_FROM)
    return assessments.filter(trust_id=user.trust_id)


def assessment_get_for_user(*, user: User, pk: int) -> Assessment:
    """The assessment, or 404 when it does not exist or the user may not know it exists."""
    assessment = assessments_visible_to(user=user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment")
    return assessment


def commentary_for_user(*, user: User, assessment: Assessment) -> QuerySet[Commentary]:
    if not can_see_commentary(user, assessment):
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
) -> QuerySet[Evidence]:
    if not can_see_internal(user, assessment):
        return Evidence.objects.none()
    evidence = assessment.evidence.select_related(
        "kloe", "prompt", "created_by", "updated_by"
    ).prefetch_related("metrics", "attachments")
    if kloe is not None:
        evidence = evidence.filter(kloe=kloe)
    if source:
        evidence = evidence.filter(source=source)
    if prompt_id:
        evidence = evidence.filter(prompt_id=prompt_id)
    return evidence


def ratings_for_user(*, user: User, assessment: Assessment) -> QuerySet[KloeRating]:
    if not can_see_internal(user, assessment):
        return KloeRating.objects.none()
    return assessment.ratings.select_related("kloe", "updated_by").prefetch_related(
        "characteristics"
    )


def kloes_with_progress(*, assessment: Assessment) -> list[Kloe]:
    """The framework's KLOEs with this assessment's evidence count, commentary and rating."""
    kloes = list(assessment.framework.kloes.prefetch_related("prompts"))
    evidence_counts = dict(
        assessment.evidence.values("kloe").annotate(n=Count("id")).values_list("kloe", "n")
    )
    commented = set(assessment.commentaries.exclude(text="").values_list("kloe", flat=True))
    rated = set(assessment.ratings.values_list("kloe", flat=True))
    for kloe in kloes:
        kloe.evidence_count = evidence_counts.get(kloe.pk, 0)
        kloe.has_commentary = kloe.pk in commented
        kloe.is_rated = kloe.pk in rated
    return kloes


@dataclass(frozen=True)
class Task:
    """One line of a person's to-do list on their home page."""

    title: str
    detail: str
    url: str = ""


def home_tasks_for(*, user: User) -> list[Task]:
    """What `user` has to do next, by role."""
    builders = {
        Role.ADMIN: _admin_tasks,
        Role.ASSESSOR: _assessor_tasks,
        Role.QA: _qa_tasks,
        Role.CQC: _cqc_tasks,
        Role.TRUST: _trust_tasks,
    }
    return builders[user.role](user)


def _link(assessment: Assessment) -> str:
    return assessment.get_absolute_url()


def _admin_tasks(user: User) -> list[Task]:
    tasks = []
    trust_count = Trust.objects.count()
    if trust_count == 0:
        tasks.append(
            Task(
                "Load the trust registry",
                "No trusts are loaded yet.",
                reverse("metrics:trust_load"),
            )
        )
    else:
        tasks.append(
            Task(
                "Keep the trust registry up to date",
                f"{trust_count} trusts are loaded.",
                reverse("metrics:trust_load"),
            )
        )
    failed = DataLoad.objects.filter(status=DataLoad.Status.FAILED).defer("content").first()
    if failed:
        tasks.append(
            Task(
                f"Fix and reload {failed.file_name}",
                "The last failed load found errors in the file.",
                reverse("metrics:data_load_detail", kwargs={"pk": failed.pk}),
            )
        )
    tasks.append(
        Task(
            "Review the security log",
            "Sign-ins, lock-outs and refused requests.",
            reverse("metrics:security_log"),
        )
    )
    return tasks + _sign_off_tasks(user)


ASSESSOR_NEXT = {
    Status.SCHEDULED: "Prepare the site visit; commentary is due {deadline:%d %B %Y}",
    Status.EVIDENCE: "Record evidence and propose ratings",
    Status.DRAFT_REPORT: "Prepare and share the draft report",
    Status.FACTUAL_ACCURACY: "Answer the trust's factual-accuracy challenges",
    Status.DISPUTE: "Discuss the disputed rating with CQC",
}


def _assessor_tasks(user: User) -> list[Task]:
    tasks = [
        Task(
            f"{assessment.trust.name}: "
            + ASSESSOR_NEXT[assessment.status].format(deadline=assessment.commentary_deadline),
            f"Site visit {assessment.site_visit_date:%d %B %Y}; {assessment.get_status_display()}.",
            _link(assessment),
        )
        for assessment in assessments_visible_to(user=user).filter(status__in=list(ASSESSOR_NEXT))
    ]
    tasks.append(
        Task(
            "Schedule an assessment",
            "Pick a trust, the framework, the visit date and the team.",
            reverse("assessments:assessment_create"),
        )
    )
    return tasks


def _qa_tasks(user: User) -> list[Task]:
    waiting = assessments_visible_to(user=user).filter(status=Status.QA_REVIEW)
    tasks = [
        Task(
            f"{a.trust.name}: ratify or return the proposed rating",
            f"Proposed by {a.lead}.",
            _link(a),
        )
        for a in waiting
    ]
    tasks += _sign_off_tasks(user)
    return tasks or [Task("Nothing awaits QA", "Proposed ratings sent for QA will be listed here.")]


def _sign_off_tasks(user: User) -> list[Task]:
    """Answers to challenges waiting for an independent sign-off (admins and QA)."""
    waiting = (
        assessments_visible_to(user=user)
        .filter(
            status=Status.FACTUAL_ACCURACY,
            challenges__signed_off_at__isnull=True,
            challenges__answered_at__isnull=False,
        )
        .distinct()
    )
    return [
        Task(
            f"{a.trust.name}: sign off answers to factual-accuracy challenges",
            "The trust reads each answer once someone outside the team signs it off.",
            reverse("assessments:challenge_list", kwargs={"pk": a.pk}),
        )
        for a in waiting
    ]


CQC_NEXT = {
    Status.FACTUAL_ACCURACY: "For information: the draft report shared with the trust.",
    Status.CQC_REVIEW: "Read the report and accept or dispute the proposed rating.",
    Status.DISPUTE: "Discuss with the team, then record the agreed rating.",
    Status.FINALISED: "Record the quality ratings and the combined rating, then publish.",
}


def _cqc_tasks(user: User) -> list[Task]:
    waiting = assessments_visible_to(user=user).filter(
        status__in=[Status.FACTUAL_ACCURACY, Status.CQC_REVIEW, Status.DISPUTE, Status.FINALISED]
    )
    tasks = [
        Task(
            f"{a.trust.name}: {a.get_status_display()}",
            CQC_NEXT[a.status],
            _link(a),
        )
        for a in waiting
    ]
    return tasks or [Task("Nothing awaits CQC review", "Ratings sent to CQC will be listed here.")]


def _trust_tasks(user: User) -> list[Task]:
    tasks = []
    for assessment in assessments_visible_to(user=user).filter(
        status=Status.SCHEDULED, commentary_submitted_at__isnull=True
    ):
        tasks.append(
            Task(
                "Write and submit your KLOE commentary by "
                f"{assessment.commentary_deadline:%d %B %Y}",
                f"Site visit on {assessment.site_visit_date:%d %B %Y}.",
                _link(assessment),
            )
        )
    for assessment in assessments_visible_to(user=user).filter(status=Status.FACTUAL_ACCURACY):
        tasks.append(
            Task(
                "Check the draft report and raise any factual-accuracy challenges",
                "Challenges can be raised until the deadline shown on the page.",
                reverse("assessments:challenge_list", kwargs={"pk": assessment.pk}),
            )
        )
    for assessment in assessments_visible_to(user=user).filter(status=Status.PUBLISHED):
        tasks.append(
            Task(
                "Read your published Use of Resources report and rating",
                "You may ask once for a review on grounds of process within 15 working days.",
                reverse("assessments:review_request", kwargs={"pk": assessment.pk}),
            )
        )
    tasks.append(
        Task(
            f"Check {user.trust.name}'s details",
            "Requests for commentary and draft reports will be listed here.",
            user.trust.get_absolute_url(),
        )
    )
    return tasks


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
            from .review import challenges_for_user

            visible = challenges_for_user(user=user, assessment=assessment)
            if visible.filter(pk=attachment.challenge_id).exists():
                return attachment
    raise Http404("No such attachment")


def kloe_metrics_with_figures(*, user: User, assessment: Assessment, kloe: Kloe) -> list:
    """The KLOE's metrics as the metrics pack shows them for the trust's latest month:
    value, benchmarks, trend and outlier flag (PackMetric rows, `period` set on each)."""
    from metrics.selectors import metrics_pack_get

    codes = set(kloe.metrics.values_list("code", flat=True))
    if not codes:
        return []
    pack = metrics_pack_get(user=user, trust=assessment.trust)
    rows = [m for _, metrics in pack.areas for m in metrics if m.definition.code in codes]
    for row in rows:
        row.period = pack.period
    return rows


# The public register of published ratings ------------------------------------------------


def published_register(
    *, region: str = "", trust_type: str = "", sort: str = "", trust: Trust | None = None
):
    """The current published rating of each assessed trust, filtered and sorted.

    Sorts: "trust" (default), "rating" (outstanding first), "-published" (newest first).
    """
    from .review import published_ratings

    rows = published_ratings()
    if trust is not None:
        rows = rows.filter(assessment__trust=trust)
    if region:
        rows = rows.filter(assessment__trust__region=region)
    if trust_type:
        rows = rows.filter(assessment__trust__trust_type=trust_type)
    orderings = {
        "rating": ["rating", "assessment__trust__name"],
        "-published": ["-published_at", "assessment__trust__name"],
    }
    return rows.order_by(*orderings.get(sort, ["assessment__trust__name", "-published_at"]))
