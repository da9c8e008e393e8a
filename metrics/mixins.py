"""Page gates: a view names the policy predicate that lets a signed-in user use it.

Which objects a user may see is decided by selectors; these decide which routes a user may
use at all. A refused signed-in user gets 403 with the policy's message; an anonymous one
goes to sign in.
"""

from collections.abc import Callable

from django.contrib.auth.mixins import LoginRequiredMixin

from core.policies import Decision, decide
from metrics.models import User
from metrics.policies import ROLE_REFUSED, has_role


class PolicyRequiredMixin(LoginRequiredMixin):
    """Send the signed-out to sign in; enforce the view's `policy` on everyone else."""

    policy: Callable[[User], Decision]

    def decision(self, user: User) -> Decision:
        # NOTE: read through the class, so a plain function set as `policy = may_x` is not
        # bound to the view as a method.
        return type(self).policy(user)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.decision(request.user).enforce()
        return super().dispatch(request, *args, **kwargs)


class RoleRequiredMixin(PolicyRequiredMixin):
    """The older gate by a set of roles (`allowed_roles`), kept for the apps that still use it."""

    allowed_roles: frozenset = frozenset()

    def decision(self, user: User) -> Decision:
        return decide(has_role(user, self.allowed_roles), ROLE_REFUSED)
