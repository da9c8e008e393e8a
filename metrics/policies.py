"""Who may do what in the metrics app: one predicate per action, and the role groups.

This is the one module of the app that reads `user.role` (besides the model, the forms that
offer role choices and the user admin). Pages and the API gate on the `may_*` predicates,
which return a `core.policies.Decision` carrying the message the 403 page shows; navigation,
buttons and selectors ask the same predicates. Which *objects* a user may see is still the
selectors' business (`trusts_visible_to`), so a trust hidden from someone answers 404.
"""

from django.conf import settings
from django_otp import user_has_device

from core.policies import Decision, decide, refuse
from metrics.models import Role, User

STAFF_ROLES = frozenset({Role.ADMIN, Role.ASSESSOR, Role.QA, Role.CQC})
NHSI_ROLES = frozenset({Role.ADMIN, Role.ASSESSOR, Role.QA})
QA_AND_ADMIN_ROLES = frozenset({Role.ADMIN, Role.QA})
ALL_ROLES = frozenset(Role)

# NOTE: one message for every role refusal, as before the policies existed: the 403 page
# shows it, and a per-action wording would change what refused users read.
ROLE_REFUSED = "Your role cannot use this page."
RESET_OWN_REFUSED = "You cannot reset your own second factor. Ask another admin to reset it."


# --- Role groups ------------------------------------------------------------------------
# Plain truths other predicates (here and in other apps' policies) are built from.


def has_role(user: User, roles) -> bool:
    """Signed in, active and holding one of `roles` (False for an anonymous user)."""
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def is_staff_member(user: User) -> bool:
    """NHS Improvement and CQC people: every trust is theirs to see."""
    return has_role(user, STAFF_ROLES)


def is_nhsi_member(user: User) -> bool:
    """NHS Improvement's own people (admins, assessors, QA), who oversee the assessments."""
    return has_role(user, NHSI_ROLES)


def is_admin(user: User) -> bool:
    return has_role(user, {Role.ADMIN})


def is_qa_or_admin(user: User) -> bool:
    """The QA committee, who ratify ratings, and admins: those who compare them across trusts."""
    return has_role(user, QA_AND_ADMIN_ROLES)


# --- Pages and the API ------------------------------------------------------------------


def may_use_service(user: User) -> Decision:
    """Any signed-in role: trust pages, the metrics pack and the API (scoped by selectors)."""
    return decide(has_role(user, ALL_ROLES), ROLE_REFUSED)


def may_see_every_trust(user: User) -> Decision:
    """Staff see the registry and every trust by name; a trust user sees only their own."""
    return decide(is_staff_member(user), ROLE_REFUSED)


def may_see_finance_scores(user: User) -> Decision:
    """The sector's finance scores side by side name every trust: staff only."""
    return may_see_every_trust(user)


def may_load_trusts(user: User) -> Decision:
    return decide(is_admin(user), ROLE_REFUSED)


def may_load_metric_values(user: User) -> Decision:
    return decide(is_admin(user), ROLE_REFUSED)


def may_see_data_loads(user: User) -> Decision:
    """A load's page and its progress belong with the upload forms: admins only."""
    return decide(is_admin(user), ROLE_REFUSED)


def may_see_security_log(user: User) -> Decision:
    return decide(is_admin(user), ROLE_REFUSED)


def may_see_access_matrix(user: User) -> Decision:
    return decide(is_admin(user), ROLE_REFUSED)


# --- Second factors and the Django admin ------------------------------------------------


def may_manage_second_factor(user: User) -> Decision:
    """Enrol an authenticator and renew recovery codes: everyone who signs in."""
    return decide(has_role(user, ALL_ROLES), ROLE_REFUSED)


def must_enrol_second_factor(user: User) -> bool:
    """With second factors on, a signed-in person without one may do nothing until they enrol.

    Every role, trust users included: draft findings and ratings are confidential.
    """
    if not _second_factor_pending(user):
        return False
    return not user_has_device(user, confirmed=True)


def must_verify_second_factor(user: User) -> bool:
    """Enrolled, but this session never passed the code step (it began before enrolment,
    or before second factors were switched on): it reaches nothing until it does."""
    if not _second_factor_pending(user):
        return False
    return user_has_device(user, confirmed=True)


def _second_factor_pending(user: User) -> bool:
    """Second factors are on and this signed-in session has not been verified by one."""
    if not (settings.UOR_TWO_FACTOR and user.is_authenticated):
        return False
    # NOTE: django-otp's middleware gives request.user `is_verified`; a user fetched from the
    # database (a service's actor, a test's object) has none and counts as not verified.
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


def may_reset_second_factor(actor: User, user: User) -> Decision:
    """Remove someone's second factor so they enrol again: admins, for someone else.

    An admin signed in with their factor still has it; losing it means another admin
    resets it, so nobody holding only an admin's session can swap in a factor of their own.
    """
    if not is_admin(actor):
        return refuse(ROLE_REFUSED)
    return decide(actor.pk != user.pk, RESET_OWN_REFUSED)


def gets_django_admin_flags(user: User) -> bool:
    """Admins, and only admins, carry Django's `is_staff` and `is_superuser` flags."""
    return is_admin(user)


def may_use_django_admin(user: User) -> bool:
    """The Django admin: an admin who has passed the second step when second factors are on."""
    if not is_admin(user):
        return False
    return not settings.UOR_TWO_FACTOR or user.is_verified()
