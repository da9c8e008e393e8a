"""The authorization matrix as a page for admins."""

from django.views.generic import TemplateView

from core.access import STATIC_PATHS, Actor, matrix, resolver_routes, row_for
from metrics.mixins import PolicyRequiredMixin
from metrics.policies import may_see_access_matrix


class AccessMatrixView(PolicyRequiredMixin, TemplateView):
    policy = may_see_access_matrix
    template_name = "metrics/access_matrix.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = []
        for route in resolver_routes():
            row = row_for(route.name)
            for method, answers in row.methods.items() if row else []:
                lines.append(
                    {
                        "route": route.name,
                        "pattern": route.path,
                        "method": method,
                        "answers": [answers[actor] for actor in Actor],
                        "note": row.note,
                        "wildcard": row.is_wildcard,
                    }
                )
        context.update(
            actors=list(Actor), lines=lines, static_paths=STATIC_PATHS, row_count=len(matrix())
        )
        return context
