"""Models of the metrics app, one module per subject."""

from .loads import DataLoad
from .security import SecurityEvent
from .trusts import Trust
from .users import Organisation, Role, User

__all__ = ["DataLoad", "Organisation", "Role", "SecurityEvent", "Trust", "User"]
