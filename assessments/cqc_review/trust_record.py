"""Copy what a UoR assessment decides about CQC's ratings into the trust's one record of
them (`metrics.CqcRating`): the quality ratings CQC recorded, when it finalises; the UoR
and combined ratings, when they are published (never earlier: the report is embargoed
until then); a changed UoR rating, when CQC decides a review request."""

import datetime

from assessments.models import Assessment
from metrics.models import CqcRating, User
from metrics.services.cqc_ratings import cqc_ratings_add

from .selectors import quality_ratings_get

# QualityRatings field -> the trust record's question.
QUALITY_QUESTIONS = {
    "safe": CqcRating.Question.SAFE,
    "effective": CqcRating.Question.EFFECTIVE,
    "caring": CqcRating.Question.CARING,
    "responsive": CqcRating.Question.RESPONSIVE,
    "well_led": CqcRating.Question.WELL_LED,
    "overall_quality": CqcRating.Question.OVERALL,
}


def _detail(assessment: Assessment) -> str:
    return f"UoR assessment of {assessment.site_visit_date:%-d %B %Y} (number {assessment.pk})"


def quality_ratings_to_trust_record(*, assessment: Assessment, actor: User) -> None:
    """The five key questions and overall quality, each with the date CQC gave it."""
    quality = quality_ratings_get(assessment)
    if quality is None:
        return
    cqc_ratings_add(
        trust=assessment.trust,
        ratings={
            question: (getattr(quality, name), getattr(quality, f"{name}_date"))
            for name, question in QUALITY_QUESTIONS.items()
        },
        source=CqcRating.Source.UOR_FINALISATION,
        actor=actor,
        source_detail=_detail(assessment),
    )


def published_ratings_to_trust_record(
    *,
    assessment: Assessment,
    actor: User,
    rating: int,
    combined: int | None,
    rated_on: datetime.date,
    source: str = CqcRating.Source.UOR_PUBLICATION,
) -> None:
    cqc_ratings_add(
        trust=assessment.trust,
        ratings={
            CqcRating.Question.USE_OF_RESOURCES: (rating, rated_on),
            CqcRating.Question.COMBINED: (combined, rated_on),
        },
        source=source,
        actor=actor,
        source_detail=_detail(assessment),
    )
