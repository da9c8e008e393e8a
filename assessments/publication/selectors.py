"""Read the public register: the current published rating of each assessed trust, with its
KLOE ratings and the published report."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from assessments.models import KloeRating
from assessments.reports.models import ReportVersion
from assessments.reports.selectors import published_reports
from core.ratings import Rating
from metrics.models import Trust

from .models import PublishedRating


def published_ratings() -> QuerySet[PublishedRating]:
    """The current version of each published rating: public information."""
    latest = {}
    for pk, assessment_id in PublishedRating.objects.order_by(
        "assessment_id", "-version"
    ).values_list("pk", "assessment_id"):
        latest.setdefault(assessment_id, pk)
    return PublishedRating.objects.filter(pk__in=latest.values()).select_related(
        "assessment__trust", "assessment__framework"
    )


def published_register(
    *, region: str = "", trust_type: str = "", sort: str = "", trust: Trust | None = None
):
    """The current published rating of each assessed trust, filtered and sorted.

    Sorts: "trust" (default), "rating" (outstanding first), "-published" (newest first).
    """
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


@dataclass(frozen=True)
class KloeLine:
    """One KLOE's published rating: CQC's agreed rating where it set one."""

    title: str
    rating_label: str


@dataclass
class PublishedEntry:
    """A published rating as the public pages show it: the rating row, each KLOE's rating
    and the published report (None until a final version is ready)."""

    rating: PublishedRating
    kloes: list[KloeLine] = field(default_factory=list)
    report: ReportVersion | None = None


def published_entries(rows) -> list[PublishedEntry]:
    """`rows` of the register with their KLOE ratings and published reports, in two queries."""
    rows = list(rows)
    ids = {row.assessment_id for row in rows}
    kloes: dict[int, list[KloeLine]] = {}
    for rating in (
        KloeRating.objects.filter(assessment_id__in=ids, kloe__isnull=False)
        .select_related("kloe")
        .order_by("assessment_id", "kloe__number")
    ):
        final = rating.agreed_rating or rating.rating
        kloes.setdefault(rating.assessment_id, []).append(
            KloeLine(rating.kloe.title, Rating(final).label)
        )
    reports = published_reports(assessment_ids=ids)
    return [
        PublishedEntry(row, kloes.get(row.assessment_id, []), reports.get(row.assessment_id))
        for row in rows
    ]


def published_history(*, trust: Trust) -> QuerySet[PublishedRating]:
    """Every published rating of `trust`, every version, newest first: public information."""
    return (
        PublishedRating.objects.filter(assessment__trust=trust)
        .select_related("assessment")
        .order_by("-published_at", "-version")
    )
