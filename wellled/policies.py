"""Who may do what in the well-led app: one predicate per action, each a `Decision`.

The trust runs its own review cycle (self-reviews, developmental reviews, action plans);
NHS Improvement agrees due dates, accepts explanations and records segment decisions; CQC
records the well-led rating. Services `.enforce()` these predicates; pages, the API and the
templates' buttons ask the same ones. Which *objects* a user may see is the selectors'
business (`metrics.selectors.trusts_visible_to`): another trust's records answer 404 before
any predicate here is asked.

This is the one module of the app that reads `user.role` (through the role groups of
`metrics.policies`).
"""

from core.policies import Decision, decide
from metrics.models import Role, Trust, User
from metrics.policies import ALL_ROLES, ROLE_REFUSED, has_role, is_nhsi_member, is_staff_member

from .models import Action, DevelopmentalReview, SelfReview

NOT_YOUR_TRUST = "Only the trust's own users can do this."
SELF_REVIEW_LOCKED = "This self-review was signed off by the board and can no longer be changed."
NHSI_ONLY = "Only NHS Improvement can do this."
CQC_ONLY = "Only a CQC reviewer records the well-led rating."
PRINT_REFUSED = "Only NHS Improvement, CQC and the trust's own users can print this self-review."


# --- Who someone is, for the well-led app -------------------------------------------------


def is_trust_own(user: User, trust: Trust | int | None) -> bool:
    """A user of `trust` itself (False for staff, another trust's users and no trust)."""
    if trust is None:
        return False
    trust_id = trust if isinstance(trust, int) else trust.pk
    return has_role(user, {Role.TRUST}) and user.trust_id == trust_id


def is_cqc_member(user: User) -> bool:
    return has_role(user, {Role.CQC})


def _own_trust(user: User, trust: Trust | int | None) -> Decision:
    return decide(is_trust_own(user, trust), NOT_YOUR_TRUST)


def _nhsi(user: User) -> Decision:
    return decide(is_nhsi_member(user), NHSI_ONLY)


# --- Reading --------------------------------------------------------------------------------


def may_see_wellled(user: User) -> Decision:
    """Any signed-in role: the framework, and the records the selectors let them see."""
    return decide(has_role(user, ALL_ROLES), ROLE_REFUSED)


def may_see_oversight(user: User) -> Decision:
    """Every trust's flags side by side: NHS Improvement's own view."""
    return _nhsi(user)


def may_see_segments(user: User) -> Decision:
    """NHS Improvement's segment decisions are shown to NHS Improvement only."""
    return _nhsi(user)


# --- Board self-review ----------------------------------------------------------------------


def may_create_self_review(user: User, trust: Trust | None) -> Decision:
    """The trust's own users start their trust's self-review (`trust` None: the user has none)."""
    return _own_trust(user, trust)


def may_edit_self_review(user: User, review: SelfReview) -> Decision:
    """Save a KLOE's entry or add a file: the trust's own users, while the review is a draft."""
    # NOTE: who is asked before the state, so staff read "only the trust's own users" on a
    # signed-off review too; the trust's own users learn it is locked.
    return _own_trust(user, review.trust_id) and decide(review.is_draft, SELF_REVIEW_LOCKED)


def may_sign_off_self_review(user: User, review: SelfReview) -> Decision:
    """Record the board's sign-off: as editing, since it is the last edit of the draft."""
    return may_edit_self_review(user, review)


def may_print_self_review(user: User, review: SelfReview) -> Decision:
    """Queue a PDF: anyone who may see the review, that is staff and the trust's own users
    (the selectors hide it from other trusts' users first; this says so again)."""
    return decide(is_staff_member(user) or is_trust_own(user, review.trust_id), PRINT_REFUSED)


# --- Developmental reviews and comply or explain --------------------------------------------


def may_record_developmental_review(user: User, trust: Trust | None) -> Decision:
    return _own_trust(user, trust)


def may_edit_developmental_review(user: User, review: DevelopmentalReview) -> Decision:
    return _own_trust(user, review.trust_id)


def may_agree_due_date(user: User, review: DevelopmentalReview) -> Decision:
    """NHS Improvement agrees the next date (the service checks the review is completed)."""
    return _nhsi(user)


def may_accept_explanation(user: User, trust: Trust) -> Decision:
    """NHS Improvement accepts a trust's explanation for a review not held when due."""
    return _nhsi(user)


# --- Action plans ---------------------------------------------------------------------------


def may_create_action(user: User, trust: Trust | None) -> Decision:
    return _own_trust(user, trust)


def may_record_progress(user: User, action: Action) -> Decision:
    return _own_trust(user, action.trust_id)


# --- CQC's rating and NHS Improvement's decisions -------------------------------------------


def may_record_wellled_rating(user: User, trust: Trust | None = None) -> Decision:
    """CQC records the rating of any trust it may see (the API learns the trust from the body,
    so it asks before it knows which)."""
    return decide(is_cqc_member(user), CQC_ONLY)


def may_record_segment_decision(user: User, trust: Trust) -> Decision:
    return _nhsi(user)


def may_record_oversight_concern(user: User, trust: Trust) -> Decision:
    """NHS Improvement records warning notices and material concerns under a theme."""
    return _nhsi(user)


def may_close_oversight_concern(user: User, trust: Trust) -> Decision:
    return _nhsi(user)
