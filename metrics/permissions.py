"""Old home of the role gates, kept so the apps that import it keep working.

New code asks `metrics.policies` and gates with `metrics.mixins.PolicyRequiredMixin` or
`metrics.api_permissions.PolicyPermission`.
"""

from metrics.api_permissions import HasRole
from metrics.mixins import RoleRequiredMixin
from metrics.policies import ALL_ROLES, NHSI_ROLES, STAFF_ROLES

__all__ = ["ALL_ROLES", "NHSI_ROLES", "STAFF_ROLES", "HasRole", "RoleRequiredMixin"]
