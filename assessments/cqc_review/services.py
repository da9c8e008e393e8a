"""Run CQC's review: the discussion with the team about a disputed rating, and the quality
ratings with the combined rating of quality and use of resources.

The agreed rating itself is a workflow move (`agree_rating` in workflow.py).
"""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments import policies
from assessments.models import Assessment, KloeRating, PassageRevision
from assessments.notifications import notify_on_commit
from core.ratings import Rating
from metrics.models import User

from .models import DiscussionMessage, QualityRatings
from .selectors import rating_key, ratings_changed_by_cqc, uor_rating

MESSAGE_REQUIRED = "Write a message."
RATIONALE_NOT_CHANGED = (
    "CQC did not change the rating of {key!r}: its rationale stays as QA ratified it."
)
RATIONALE_REQUIRED = "Write the revised rationale."
UOR_RATING_MISSING = (
    "The combined rating needs the Use of Resources rating, and this assessment has none: "
    "the team proposes the overall rating (or CQC agrees one) before the combined rating can "
    "be worked out."
)
OVERRIDE_REASON_REQUIRED = (
    "Give the reason for setting a combined rating other than the one proposed."
)


@transaction.atomic
def discussion_post(*, assessment: Assessment, actor: User, text: str) -> DiscussionMessage:
    policies.may_post_discussion(actor, assessment).enforce()
    if not text.strip():
        raise ValidationError({"text": MESSAGE_REQUIRED})
    message = DiscussionMessage.objects.create(
        assessment=assessment, author=actor, text=text.strip()
    )
    notify_on_commit("discussion_message", assessment, note=message.text, actor=actor)
    return message


# The combined rating ---------------------------------------------------------------------

PRINCIPLE_OUTSTANDING = "At least two ratings are outstanding and the rest are good"
PRINCIPLE_INADEQUATE = "Two or more ratings are inadequate"
PRINCIPLE_ONE_INADEQUATE = "One rating is inadequate: limited to requires improvement"
PRINCIPLE_THREE_RI = "Three or more ratings are requires improvement"
PRINCIPLE_GOOD = "None of the other principles applies: good"


@dataclass(frozen=True)
class CombinedProposal:
    rating: int
    principle: str


def combined_rating_propose(ratings: list[int]) -> CombinedProposal:
    """CQC's aggregation of the five key questions and Use of Resources, equally weighted.

    Checked in this order: two or more inadequate → inadequate; one inadequate → requires
    improvement; three or more requires improvement → requires improvement (CQC raised the
    usual two to three for this six-rating combination); at least two outstanding and the
    rest good → outstanding; otherwise good.
    """
    if len(ratings) != 6 or any(r not in Rating.values for r in ratings):
        raise ValueError("Give six ratings from 1 (outstanding) to 4 (inadequate).")
    count = Counter(ratings)
    if count[Rating.INADEQUATE] >= 2:
        return CombinedProposal(Rating.INADEQUATE, PRINCIPLE_INADEQUATE)
    if count[Rating.INADEQUATE] == 1:
        return CombinedProposal(Rating.REQUIRES_IMPROVEMENT, PRINCIPLE_ONE_INADEQUATE)
    if count[Rating.REQUIRES_IMPROVEMENT] >= 3:
        return CombinedProposal(Rating.REQUIRES_IMPROVEMENT, PRINCIPLE_THREE_RI)
    if count[Rating.OUTSTANDING] >= 2 and count[Rating.OUTSTANDING] + count[Rating.GOOD] == 6:
        return CombinedProposal(Rating.OUTSTANDING, PRINCIPLE_OUTSTANDING)
    return CombinedProposal(Rating.GOOD, PRINCIPLE_GOOD)


QUALITY_FIELDS = ("safe", "effective", "caring", "responsive", "well_led", "overall_quality")


@transaction.atomic
def quality_ratings_record(
    *,
    assessment: Assessment,
    actor: User,
    ratings: dict,
    combined: int | None = None,
    override_reason: str = "",
) -> QualityRatings:
    """Record the five key questions and overall quality (each with its date), propose the
    combined rating from them and the UoR rating, and keep CQC's choice and any reason."""
    policies.may_record_quality(actor, assessment).enforce()
    uor = uor_rating(assessment)
    if uor is None:
        # NOTE: never stand in a rating: the combination weighs UoR as one of six.
        raise ValidationError({"combined": UOR_RATING_MISSING}, code="no_uor_rating")
    five = [int(ratings[name]) for name in QUALITY_FIELDS[:5]]
    proposal = combined_rating_propose([*five, uor])
    chosen = combined or proposal.rating
    if chosen != proposal.rating and not override_reason.strip():
        raise ValidationError({"override_reason": OVERRIDE_REASON_REQUIRED})
    values = {
        **{name: int(ratings[name]) for name in QUALITY_FIELDS},
        **{f"{name}_date": ratings[f"{name}_date"] for name in QUALITY_FIELDS},
        "proposed_combined": proposal.rating,
        "principle": proposal.principle,
        "combined": chosen,
        "override_reason": override_reason.strip() if chosen != proposal.rating else "",
        "recorded_by": actor,
    }
    record, _ = QualityRatings.objects.update_or_create(assessment=assessment, defaults=values)
    return record


# The rationale revision after CQC changed a rating ----------------------------------------


@transaction.atomic
def rationale_revise(
    *, assessment: Assessment, actor: User, key: str, text: str
) -> PassageRevision:
    """Replace the rationale of a rating CQC changed (KLOE code or "overall"), keeping the
    earlier text in a PassageRevision, so the report never argues for another rating."""
    policies.may_revise_rationale(actor, assessment).enforce()
    changed = {rating_key(rating): rating for rating in ratings_changed_by_cqc(assessment)}
    rating: KloeRating | None = changed.get(key)
    if rating is None:
        raise ValidationError({"kloe": RATIONALE_NOT_CHANGED.format(key=key)})
    if not text.strip():
        raise ValidationError({"rationale": RATIONALE_REQUIRED})
    revision = PassageRevision(
        assessment=assessment,
        passage=PassageRevision.Passage.RATIONALE,
        rating=rating,
        reason=PassageRevision.Reason.CQC_DECISION,
        old_text=rating.rationale,
        new_text=text.strip(),
        revised_by=actor,
    )
    revision.full_clean()
    revision.save()
    rating.rationale = text.strip()
    rating.version += 1
    rating.updated_by = actor
    rating.save(update_fields=["rationale", "version", "updated_by", "updated_at"])
    return revision
