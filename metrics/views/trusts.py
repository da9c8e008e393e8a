"""Trust pages: the registry for staff, a trust's own page, and loading trusts from CSV."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView, ListView

from core.jobs import job_queued_message
from metrics.forms import TrustFileForm
from metrics.mixins import PolicyRequiredMixin
from metrics.models import DataLoad
from metrics.policies import may_load_trusts, may_see_data_loads, may_use_service
from metrics.selectors import (
    cqc_ratings_for_trust,
    data_loads_for_admin,
    finance_scores_visible_to,
    trust_get_for_user,
    trusts_visible_to,
)
from metrics.services import data_load_create

FINANCE_SCORE_HISTORY_MONTHS = 24


class TrustListView(PolicyRequiredMixin, ListView):
    policy = may_use_service
    template_name = "metrics/trust_list.html"
    context_object_name = "trusts"
    paginate_by = 50

    def get_queryset(self):
        return trusts_visible_to(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_load_trusts"] = may_load_trusts(self.request.user)
        return context


class TrustDetailView(PolicyRequiredMixin, DetailView):
    policy = may_use_service
    template_name = "metrics/trust_detail.html"
    context_object_name = "trust"

    def get_object(self, queryset=None):
        return trust_get_for_user(user=self.request.user, ods_code=self.kwargs["ods_code"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scores = finance_scores_visible_to(user=self.request.user).filter(trust=self.object)
        context["finance_scores"] = scores[:FINANCE_SCORE_HISTORY_MONTHS]
        context["cqc_ratings"] = cqc_ratings_for_trust(trust=self.object)
        return context


class TrustLoadCreateView(PolicyRequiredMixin, FormView):
    """Admins upload a trusts CSV; a Celery task loads it and the next page follows it."""

    policy = may_load_trusts
    form_class = TrustFileForm
    template_name = "metrics/dataload_create.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_loads"] = data_loads_for_admin()[:10]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        load = data_load_create(
            kind=DataLoad.Kind.TRUSTS,
            file_name=upload.name,
            content=upload.read(),
            uploaded_by=self.request.user,
        )
        job_queued_message(self.request, load, f"{upload.name} is queued for loading.")
        return redirect("metrics:data_load_detail", pk=load.pk)


class DataLoadDetailView(PolicyRequiredMixin, DetailView):
    """The state of one load. With ?format=json it answers the page's status poll."""

    policy = may_see_data_loads
    template_name = "metrics/dataload_detail.html"
    context_object_name = "load"

    def get_object(self, queryset=None):
        return get_object_or_404(data_loads_for_admin(), pk=self.kwargs["pk"])

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("format") == "json":
            load = context["load"]
            return JsonResponse(
                {
                    "status": load.status,
                    "status_label": load.get_status_display(),
                    "progress": load.progress,
                    "finished": load.is_finished,
                }
            )
        return super().render_to_response(context, **response_kwargs)
