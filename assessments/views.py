"""Pages of the assessments app."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from assessments.selectors import home_tasks_for


class HomeView(LoginRequiredMixin, TemplateView):
    """Each person's home page: what they have to do next."""

    template_name = "assessments/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tasks"] = home_tasks_for(user=self.request.user)
        return context
