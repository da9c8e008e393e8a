"""Read the actions of the plans a user may see; another trust's action is a 404."""

from django.db.models import QuerySet
from django.http import Http404

from metrics.models import User
from metrics.selectors import trusts_visible_to

from ..models.actions import Action


def actions_visible_to(*, user: User) -> QuerySet[Action]:
    return Action.objects.filter(trust__in=trusts_visible_to(user=user)).select_related(
        "trust", "kloe", "self_review", "developmental_review"
    )


def action_get_for_user(*, user: User, pk: int) -> Action:
    action = actions_visible_to(user=user).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    return action
