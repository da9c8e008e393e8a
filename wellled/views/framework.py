"""Show the whole well-led framework, with a search over its text."""

from django.views.generic import TemplateView

from metrics.mixins import PolicyRequiredMixin

from .. import policies
from ..selectors.framework import framework_kloes, framework_latest, framework_search


class FrameworkView(PolicyRequiredMixin, TemplateView):
    """The whole framework, with a search over its text (?q=)."""

    policy = policies.may_see_wellled
    template_name = "wellled/framework_detail.html"

    def get_context_data(self, **kwargs):
        framework = framework_latest()
        query = self.request.GET.get("q", "").strip()[:200]
        context = super().get_context_data(framework=framework, query=query, **kwargs)
        if framework:
            context["kloes"] = framework_kloes(framework=framework)
            context["results"] = framework_search(framework=framework, query=query)
            context["result_count"] = sum(len(v) for v in context["results"].values())
        return context
