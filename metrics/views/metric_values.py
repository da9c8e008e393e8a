"""Loading metric values in the browser: admins upload CSV or Excel; a Celery task loads it."""

from django.shortcuts import redirect
from django.views.generic import FormView

from core.jobs import job_queued_message
from metrics.forms import MetricValuesFileForm
from metrics.mixins import PolicyRequiredMixin
from metrics.models import DataLoad
from metrics.policies import may_load_metric_values
from metrics.selectors import data_loads_for_admin
from metrics.services import data_load_create


class MetricLoadCreateView(PolicyRequiredMixin, FormView):
    """The upload form; the load's own page (metrics:data_load_detail) follows its progress."""

    policy = may_load_metric_values
    form_class = MetricValuesFileForm
    template_name = "metrics/metricvalue_load.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_loads"] = data_loads_for_admin().filter(kind=DataLoad.Kind.METRICS)[:10]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        load = data_load_create(
            kind=DataLoad.Kind.METRICS,
            file_name=upload.name,
            content=upload.read(),
            uploaded_by=self.request.user,
        )
        job_queued_message(self.request, load, f"{upload.name} is queued for loading.")
        return redirect("metrics:data_load_detail", pk=load.pk)
