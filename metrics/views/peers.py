"""Peer cohorts: the context note beside a trust's metric, and a recompute's progress."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView, FormView

from metrics.forms import ContextNoteForm
from metrics.mixins import PolicyRequiredMixin
from metrics.models import MetricContextNote, PeerRecompute
from metrics.policies import may_edit_context_note, may_see_peer_recomputes, may_use_service
from metrics.selectors import metric_definitions_list, trust_get_for_user
from metrics.services import context_note_save


class ContextNoteEditView(PolicyRequiredMixin, FormView):
    """Add, change or remove the context of one metric of a trust (its own people or NHSI)."""

    policy = may_use_service
    form_class = ContextNoteForm
    template_name = "metrics/metriccontextnote_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.trust = trust_get_for_user(user=request.user, ods_code=kwargs["ods_code"])
            self.metric = metric_definitions_list().filter(code=kwargs["code"]).first()
            if self.metric is None or self.metric.is_flag:
                raise Http404("No such metric")
            may_edit_context_note(request.user, self.trust).enforce()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        note = MetricContextNote.objects.filter(trust=self.trust, metric=self.metric).first()
        return {"text": note.text if note else ""}

    def get_context_data(self, **kwargs):
        return super().get_context_data(trust=self.trust, metric=self.metric, **kwargs)

    def form_valid(self, form):
        try:
            note = context_note_save(
                actor=self.request.user,
                trust=self.trust,
                metric=self.metric,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error("text", error)
            return self.form_invalid(form)
        done = "saved" if note else "removed"
        messages.success(self.request, f"Context for {self.metric.name} {done}.")
        url = reverse("metrics:metrics_pack", args=[self.trust.ods_code])
        return redirect(f"{url}?metric={self.metric.code}")


class PeerRecomputeDetailView(PolicyRequiredMixin, DetailView):
    """A benchmarks recompute's progress, months done of months; ?format=json for the poll."""

    policy = may_see_peer_recomputes
    template_name = "metrics/peerrecompute_detail.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        return get_object_or_404(
            PeerRecompute.objects.select_related("requested_by"), pk=self.kwargs["pk"]
        )

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("format") == "json":
            job = context["job"]
            return JsonResponse(
                {
                    "status": job.status,
                    "status_label": f"{job.get_status_display()}: {job.months_done} of "
                    f"{job.months_total} months",
                    "progress": job.percent,
                    "months_done": job.months_done,
                    "months_total": job.months_total,
                    "finished": job.is_finished,
                }
            )
        return super().render_to_response(context, **response_kwargs)
