"""Who may do what in the metrics app: one predicate per action, and the role groups.

This is the one module of the app that reads `user.role` (besides the model, the forms that
offer role choices and the user admin). Pages and the API gate on the `may_*` predicates,
which return a `core.policies.Decision` carrying the message the 403 page shows; navigation,
buttons and selectors ask the same predicates. Which *objects* a user may see is still the
selectors' business (`trusts_visible_to`), so a trust hidden from someone answers 404.
"""

from django.conf import settings

from core.policies import Decision, decide
from metrics.models import Role, User

STAFF_ROLES = frozenset({Role.ADMIN, Role.ASSESSOR, Role.QA, Role.CQC})
NHSI_ROLES = frozenset({Role.ADMIN, Role.ASSESSOR, Role.QA})
ALL_ROLES = frozenset(Role)

# NOTE: one message for every role refusal, as before the policies existed: the 403 page
# shows it, and a per-action wording would change what refused users read.
ROLE_REFUSED = "Your role cannot use this page."


# --- Role groups ------------------------------------------------------------------------
# Plain truths other predicates (here and in other apps' policies) are built from.


def has_role(user: User, roles) -> bool:
    """Signed in, active and holding one of `roles` (False for an anonymous user)."""
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def is_staff_member(user: User) -> bool:
    """NHS Improvement and CQC people: every trust is theirs to see; they use a second factor."""
    return has_role(user, STAFF_ROLES)


def is_nhsi_member(user: User) -> bool:
    """NHS Improvement's own people (admins, assessors, QA), who oversee the assessments."""
    return has_role(user, NHSI_ROLES)


def is_admin(user: User) -> bool:
    return has_role(user, {Role.ADMIN})


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
    """Enrol an authenticator and renew recovery codes: staff, who sign in with them."""
    return decide(is_staff_member(user), ROLE_REFUSED)


def must_enrol_second_factor(user: User) -> bool:
    """Admins may do nothing before they have a second factor (when second factors are on)."""
    return bool(settings.UOR_TWO_FACTOR and is_admin(user))


def gets_django_admin_flags(user: User) -> bool:
    """Admins, and only admins, carry Django's `is_staff` and `is_superuser` flags."""
    return is_admin(user)


def may_use_django_admin(user: User) -> bool:
    """The Django admin: an admin who has passed the second step when second factors are on."""
    if not is_admin(user):
        return False
    return not settings.UOR_TWO_FACTOR or user.is_verified()
