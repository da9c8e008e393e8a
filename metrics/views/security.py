"""The security log for admins: filter it on the page, or download it as CSV."""

from django.utils import timezone
from django.views.generic import ListView

from core.csv_export import csv_streaming_response
from metrics.forms import SecurityEventFilterForm
from metrics.mixins import PolicyRequiredMixin
from metrics.policies import may_see_security_log
from metrics.selectors import security_events_filtered

CSV_HEADER = ["when", "event", "username", "address", "path", "detail"]


class SecurityEventListView(PolicyRequiredMixin, ListView):
    policy = may_see_security_log
    template_name = "metrics/securityevent_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = SecurityEventFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return security_events_filtered(**filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        query = self.request.GET.copy()
        query.pop("page", None)
        query["format"] = "csv"
        context["csv_query"] = query.urlencode()
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("format") != "csv":
            return super().render_to_response(context, **response_kwargs)
        rows = (
            [
                timezone.localtime(event.created_at).isoformat(timespec="seconds"),
                event.get_kind_display(),
                event.username,
                event.ip_address or "",
                event.path,
                event.detail,
            ]
            for event in self.object_list.iterator()
        )
        return csv_streaming_response(filename="security-log.csv", header=CSV_HEADER, rows=rows)
