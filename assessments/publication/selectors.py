"""Read the public register: the current published rating of each assessed trust."""

from django.db.models import QuerySet

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
