"""Who may write what in the well-led app. Who may *see* what is decided in selectors.

The trust runs its own review cycle (self-reviews, developmental reviews, action plans);
NHS Improvement agrees due dates, accepts explanations and records segment decisions; CQC
records the well-led rating. The pages and the API ask these same functions.
"""

from metrics.models import Role, Trust, User
from metrics.permissions import NHSI_ROLES


def is_trust_own(user: User, trust: Trust | int) -> bool:
    trust_id = trust if isinstance(trust, int) else trust.pk
    return bool(user.is_authenticated and user.role == Role.TRUST and user.trust_id == trust_id)


def is_nhsi(user: User) -> bool:
    return bool(user.is_authenticated and user.role in NHSI_ROLES)


def is_cqc(user: User) -> bool:
    return bool(user.is_authenticated and user.role == Role.CQC)


def can_edit_self_review(user: User, review) -> bool:
    """The trust's own users, while the review is a draft; nobody after sign-off."""
    return review.is_draft and is_trust_own(user, review.trust_id)
