"""Find what a posted record refers to, the same way for every write endpoint: the caller's
own trust (once the action's policy allows them to record there) and a KLOE by its code."""

from rest_framework.exceptions import ValidationError

from metrics.models import Trust

from ..models.framework import Kloe
from ..selectors.framework import framework_latest

UNKNOWN_KLOE = "The framework has no KLOE {code!r}."


def own_trust(request, policy) -> Trust:
    """The trust a record posted by the caller belongs to: their own, once `policy` allows
    them to record it there (staff have no trust of their own, so they are refused)."""
    trust = request.user.trust
    policy(request.user, trust).enforce()
    return trust


def kloe_by_code(code: str) -> Kloe:
    framework = framework_latest()
    kloe = framework.kloes.filter(code=code).first() if framework else None
    if kloe is None:
        raise ValidationError({"kloe": [UNKNOWN_KLOE.format(code=code)]})
    return kloe
