"""Role checks shared by pages (a mixin) and the API (a DRF permission class).

Which objects a user may see is decided by selectors; these decide which routes a role
may use at all. A refused signed-in user gets 403; an anonymous one goes to sign in.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from metrics.models import Role

STAFF_ROLES = frozenset({Role.ADMIN, Role.ASSESSOR, Role.QA, Role.CQC})
NHSI_ROLES = frozenset({Role.ADMIN, Role.ASSESSOR, Role.QA})
ALL_ROLES = frozenset(Role)


def user_has_role(user, roles) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


class RoleRequiredMixin(LoginRequiredMixin):
    """Let through signed-in users whose role is in `allowed_roles`; 403 for the rest."""

    allowed_roles: frozenset = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.role not in self.allowed_roles:
            raise PermissionDenied("Your role cannot use this page.")
        return super().dispatch(request, *args, **kwargs)


class HasRole(BasePermission):
    """DRF counterpart of RoleRequiredMixin: set `allowed_roles` on the view."""

    def has_permission(self, request, view):
        return user_has_role(request.user, getattr(view, "allowed_roles", frozenset()))
