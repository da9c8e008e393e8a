"""Show NHS Improvement's oversight view, one row per trust with its flags theme by theme,
or download the same rows as CSV; and the page where NHS Improvement records and closes a
trust's warning notices and material concerns."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from core.csv_export import csv_response
from core.pagination import page_of
from metrics.mixins import PolicyRequiredMixin

from .. import policies
from ..forms.oversight import OversightConcernCloseForm, OversightConcernForm, OversightFilterForm
from ..models.oversight import OversightConcern
from ..selectors.oversight import (
    FLAG_THEMES,
    FLAGS,
    THEMES,
    oversight_concern_open,
    oversight_concerns_for_trust,
    oversight_regions,
    oversight_rows,
    oversight_systems,
)
from ..services.oversight import oversight_concern_close, oversight_concern_record
from .mixins import TrustFormMixin, add_service_errors

CONCERN_RECORDED = "It is recorded: the oversight view shows it under its theme."
CONCERN_CLOSED = "It is closed: the oversight view no longer flags it."

CSV_COLUMNS = [
    "ods_code",
    "trust",
    "region",
    "system",
    "trust_type",
    "finance_score",
    "finance_moderated",
    "finance_moderation",
    "finance_period",
    "uor_rating",
    "uor_version",
    "uor_ratified_rating",
    "wellled_rating",
    "wellled_rated_on",
    "last_review_completed_on",
    "next_review_due_on",
    "review_overdue",
    "open_actions",
    "overdue_actions",
    "segment",
    "segment_decided_on",
    *[f"theme_{theme}" for theme in THEMES],
    *[f"flag_{code}" for code in FLAGS],
    "flag_sources",
]


class OversightView(PolicyRequiredMixin, TemplateView):
    """Every trust's figures and flags under the annex's five themes, the service's own
    flags apart, 50 trusts a page; ?format=csv downloads every row."""

    policy = policies.may_see_oversight
    template_name = "wellled/oversight.html"
    http_method_names = ["get", "head"]

    def get_rows(self, form):
        data = form.cleaned_data if form.is_valid() else {}
        return oversight_rows(
            user=self.request.user,
            region=data.get("region", ""),
            trust_type=data.get("trust_type", ""),
            flag=data.get("flag", ""),
            sort=data.get("sort") or "name",
            theme=data.get("theme", ""),
            system=data.get("system", ""),
            segment=data.get("segment", ""),
        )

    def get(self, request, *args, **kwargs):
        form = OversightFilterForm(
            request.GET or None, regions=oversight_regions(), systems=oversight_systems()
        )
        rows = self.get_rows(form)
        if request.GET.get("format") == "csv":
            return self.csv_response(rows)
        query = request.GET.copy()
        query.pop("page", None)  # the CSV has every row, not one page
        query["format"] = "csv"
        return self.render_to_response(
            self.get_context_data(
                form=form,
                page_obj=page_of(rows, number=request.GET.get("page")),
                pagination_label="Pages of trusts",
                csv_query=query.urlencode(),
                themes=THEMES,
            )
        )

    def csv_response(self, rows) -> HttpResponse:
        return csv_response(
            filename="wellled-oversight.csv", header=CSV_COLUMNS, rows=map(_csv_row, rows)
        )


def _csv_row(row) -> list:
    codes = row.flag_codes
    return [
        row.trust.ods_code,
        row.trust.name,
        row.trust.region,
        row.trust.system,
        row.trust.trust_type,
        row.finance_score or "",
        "yes" if row.finance_moderated else "no",
        row.finance_moderation,
        row.finance_period or "",
        row.uor_label,
        row.uor_version or "",
        row.uor_ratified_label,
        row.wellled_label,
        row.wellled_rated_on or "",
        row.last_review_completed_on or "",
        row.due_on or "",
        "yes" if row.review_overdue else "no",
        row.open_actions,
        row.overdue_actions,
        row.segment or "",
        row.segment_decided_on or "",
        *[len(row.flags_of(theme)) for theme in THEMES],
        *["yes" if code in codes else "no" for code in FLAGS],
        "; ".join(
            f"{THEMES[FLAG_THEMES[flag.code]]}: {flag.label}: {flag.source}" for flag in row.flags
        ),
    ]


class OversightConcernsView(TrustFormMixin, FormView):
    """A trust's warning notices and material concerns: record one, or (?close=<id>) close
    an open one with its reason. NHS Improvement only."""

    trust_policy = policies.may_record_oversight_concern
    template_name = "wellled/oversight_concerns.html"

    def closing(self) -> OversightConcern | None:
        wanted = self.request.POST.get("concern") or self.request.GET.get("close")
        return oversight_concern_open(trust=self.trust, pk=wanted)

    def get_form_class(self):
        # A post naming a concern is a close, whatever became of it (the service says why
        # it cannot be closed); a link to close one that is not open shows the record form.
        if self.request.method == "POST":
            closes = "concern" in self.request.POST
        else:
            closes = self.closing() is not None
        return OversightConcernCloseForm if closes else OversightConcernForm

    def get_initial(self):
        closing = self.closing()
        return {"concern": closing.pk} if closing else {}

    def get_context_data(self, **kwargs):
        concerns = oversight_concerns_for_trust(trust=self.trust)
        return super().get_context_data(
            closing=self.closing(),
            open_concerns=[c for c in concerns if c.is_open],
            closed_concerns=[c for c in concerns if not c.is_open],
            may_close=policies.may_close_oversight_concern(self.request.user, self.trust),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if isinstance(form, OversightConcernCloseForm):
                oversight_concern_close(
                    trust=self.trust,
                    actor=self.request.user,
                    concern_id=data["concern"],
                    closed_on=data["closed_on"],
                    closed_reason=data["closed_reason"],
                )
                done = CONCERN_CLOSED
            else:
                oversight_concern_record(trust=self.trust, actor=self.request.user, **data)
                done = CONCERN_RECORDED
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, done)
        return redirect("wellled:oversight_concerns", ods_code=self.trust.ods_code)
