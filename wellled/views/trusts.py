"""Show a trust's well-led page: its reviews, review cycle, actions, ratings and (for NHS
Improvement) segment decisions, with the buttons its policies allow."""

from django.views.generic import TemplateView

from .. import policies
from ..selectors.actions import actions_visible_to
from ..selectors.developmental_reviews import (
    developmental_reviews_visible_to,
    review_cycle_for_trust,
)
from ..selectors.ratings_and_segments import segment_decisions_for_trust, wellled_ratings_visible_to
from ..selectors.self_reviews import self_reviews_visible_to
from .mixins import TrustSubjectMixin


class TrustWellLedView(TrustSubjectMixin, TemplateView):
    template_name = "wellled/trust_detail.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        actions = list(actions_visible_to(user=user).filter(trust=self.trust))
        context.update(
            self_reviews=self_reviews_visible_to(user=user).filter(trust=self.trust),
            dev_reviews=developmental_reviews_visible_to(user=user).filter(trust=self.trust),
            cycle=review_cycle_for_trust(trust=self.trust),
            actions=actions,
            overdue_actions=[action for action in actions if action.is_overdue],
            ratings=wellled_ratings_visible_to(user=user).filter(trust=self.trust),
            may={
                "see_oversight": policies.may_see_oversight(user),
                "see_segments": policies.may_see_segments(user),
                "create_self_review": policies.may_create_self_review(user, self.trust),
                "record_developmental_review": policies.may_record_developmental_review(
                    user, self.trust
                ),
                "accept_explanation": policies.may_accept_explanation(user, self.trust),
                "create_action": policies.may_create_action(user, self.trust),
                "record_wellled_rating": policies.may_record_wellled_rating(user, self.trust),
                "record_segment_decision": policies.may_record_segment_decision(user, self.trust),
            },
        )
        if context["may"]["see_segments"]:
            context["segments"] = segment_decisions_for_trust(trust=self.trust)
        return context
