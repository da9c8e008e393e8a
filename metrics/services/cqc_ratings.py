"""Add CQC's ratings to a trust's one record (`CqcRating`). Every writer comes through here:
the well-led ratings page, and the UoR assessment's finalisation, publication and review."""

import datetime

from metrics.models import CqcRating, Trust, User

RATING_DATE_FUTURE = "The date of the rating cannot be in the future."


def cqc_rating_add(
    *,
    trust: Trust,
    question: str,
    rating: int,
    rated_on: datetime.date,
    source: str,
    actor: User,
    source_detail: str = "",
    note: str = "",
) -> CqcRating:
    """Add one rating, or return the one already recorded for the same question, rating and
    date (finalising twice, or CQC's page repeating a UoR assessment's rating, adds nothing)."""
    same = CqcRating.objects.filter(
        trust=trust, question=question, rating=rating, rated_on=rated_on
    ).first()
    if same is not None:
        return same
    record = CqcRating(
        trust=trust,
        question=question,
        rating=rating,
        rated_on=rated_on,
        source=source,
        source_detail=source_detail,
        note=note,
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    return record


def cqc_ratings_add(
    *,
    trust: Trust,
    ratings: dict[str, tuple[int | None, datetime.date]],
    source: str,
    actor: User,
    source_detail: str = "",
) -> list[CqcRating]:
    """Several questions at once ({question: (rating, date)}); unrated questions are skipped."""
    return [
        cqc_rating_add(
            trust=trust,
            question=question,
            rating=rating,
            rated_on=rated_on,
            source=source,
            actor=actor,
            source_detail=source_detail,
        )
        for question, (rating, rated_on) in ratings.items()
        if rating is not None
    ]
