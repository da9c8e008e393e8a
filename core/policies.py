"""The answer a policy predicate gives: allowed, or refused with the message to show.

Each app's `policies.py` has one predicate per action (`may_raise_challenge(user, assessment)`)
returning a `Decision`. Services call `.enforce()`; pages, the API, buttons and to-do lists
ask the same predicate and use its truth and its message.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    message: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    def enforce(self) -> None:
        """Raise PermissionDenied with the refusal message unless the action is allowed."""
        if not self.allowed:
            raise PermissionDenied(self.message)


ALLOW = Decision(True)


def refuse(message: str) -> Decision:
    return Decision(False, message)


def decide(condition: bool, message: str) -> Decision:
    """Allowed when `condition` holds; otherwise refused with `message`."""
    return ALLOW if condition else Decision(False, message)
