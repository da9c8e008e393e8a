"""Who may do what to one assessment. Which assessments a user sees at all: selectors.py."""

from metrics.models import Role, User

from .models import Assessment, Status


def on_team(user: User, assessment: Assessment) -> bool:
    return user.role == Role.ASSESSOR and user.pk in assessment.team_ids()


def of_the_trust(user: User, assessment: Assessment) -> bool:
    return user.role == Role.TRUST and user.trust_id == assessment.trust_id


def can_edit_commentary(user: User, assessment: Assessment) -> bool:
    return (
        of_the_trust(user, assessment)
        and assessment.status == Status.SCHEDULED
        and assessment.commentary_submitted_at is None
    )


def can_see_commentary(user: User, assessment: Assessment) -> bool:
    """The trust always sees its own; NHS Improvement and CQC once it is submitted or closed."""
    if user.role == Role.TRUST:
        return of_the_trust(user, assessment)
    return assessment.commentary_submitted_at is not None or assessment.status != Status.SCHEDULED


def can_edit_evidence(user: User, assessment: Assessment) -> bool:
    return on_team(user, assessment) and assessment.status == Status.EVIDENCE


def can_edit_ratings(user: User, assessment: Assessment) -> bool:
    return on_team(user, assessment) and assessment.status == Status.EVIDENCE


def can_edit_agenda(user: User, assessment: Assessment) -> bool:
    return on_team(user, assessment) and assessment.status in (Status.SCHEDULED, Status.EVIDENCE)


def can_see_internal(user: User, assessment: Assessment) -> bool:
    """NHS Improvement's evidence and proposed ratings: a trust sees them only once the
    draft report is shared (the draft carries them); staff who can see the assessment do."""
    if user.role == Role.TRUST:
        return of_the_trust(user, assessment) and assessment.is_at_or_after(Status.FACTUAL_ACCURACY)
    return True
