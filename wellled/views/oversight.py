"""Show NHS Improvement's oversight view, one row per trust with its flags, or download the
same rows as CSV."""

from django.http import HttpResponse
from django.views.generic import TemplateView

from core.csv_export import csv_response
from core.pagination import page_of
from metrics.mixins import PolicyRequiredMixin

from .. import policies
from ..forms.oversight import OversightFilterForm
from ..selectors.oversight import FLAGS, oversight_regions, oversight_rows

CSV_COLUMNS = [
    "ods_code",
    "trust",
    "region",
    "trust_type",
    "finance_score",
    "finance_moderated",
    "finance_period",
    "uor_rating",
    "wellled_rating",
    "wellled_rated_on",
    "last_review_completed_on",
    "next_review_due_on",
    "review_overdue",
    "open_actions",
    "overdue_actions",
    "segment",
    "segment_decided_on",
    *[f"flag_{code}" for code in FLAGS],
    "flag_sources",
]


class OversightView(PolicyRequiredMixin, TemplateView):
    """Every trust's finance score, UoR and well-led ratings, review cycle, actions and
    flags, 50 trusts a page; ?format=csv downloads every row."""

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
        )

    def get(self, request, *args, **kwargs):
        form = OversightFilterForm(request.GET or None, regions=oversight_regions())
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
                flags=FLAGS,
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
        row.trust.trust_type,
        row.finance_score or "",
        "yes" if row.finance_moderated else "no",
        row.finance_period or "",
        row.uor_label,
        row.wellled_label,
        row.wellled_rated_on or "",
        row.last_review_completed_on or "",
        row.due_on or "",
        "yes" if row.review_overdue else "no",
        row.open_actions,
        row.overdue_actions,
        row.segment or "",
        row.segment_decided_on or "",
        *["yes" if code in codes else "no" for code in FLAGS],
        "; ".join(f"{flag.label}: {flag.source}" for flag in row.flags),
    ]
