"""API gates: the DRF counterparts of metrics.mixins, asking the same policy predicates."""

from rest_framework.permissions import BasePermission

from core.policies import Decision
from metrics.policies import has_role


class PolicyPermission(BasePermission):
    """Let through the requests the view's `policy` allows; 403 with its message otherwise.

    DRF still answers 401 to the signed-out (metrics.api_auth names a challenge).
    """

    def decision(self, request, view) -> Decision:
        # NOTE: read through the class, so a plain function set as `policy = may_x` is not
        # bound to the view as a method.
        return type(view).policy(request.user)

    def has_permission(self, request, view):
        decision = self.decision(request, view)
        if not decision:
            self.message = decision.message
        return decision.allowed


class HasRole(BasePermission):
    """The older gate by the view's `allowed_roles`, kept for the apps that still use it.

    A refusal keeps DRF's default message, as it always has.
    """

    def has_permission(self, request, view):
        return has_role(request.user, getattr(view, "allowed_roles", frozenset()))
