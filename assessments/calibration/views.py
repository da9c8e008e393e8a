"""Show the QA committee's calibration view, or download its rows or its pairs as CSV."""

from django.http import HttpResponse
from django.views.generic import TemplateView

from assessments import policies
from core.csv_export import csv_response
from core.pagination import page_of
from core.ratings import Rating
from metrics.mixins import PolicyRequiredMixin

from .forms import CalibrationFilterForm
from .selectors import calibration_get, calibration_kloes, calibration_regions

PAIRS_SHOWN = 100  # the page lists the first pairs; the CSV has every one
ROW_COLUMNS = [
    "ods_code",
    "trust",
    "region",
    "trust_type",
    "assessment",
    "status",
    "pilot",
    "visit_month",
    "finance_score",
    "overall_rating",
    "kloe",
    "kloe_rating",
    "kloe_rating_proposed",
    "metric_peer_quartiles",
    "metric_national_quartiles",
    "highlighted_with",
]
PAIR_COLUMNS = [
    "kloe",
    "first_ods_code",
    "first_trust",
    "first_rating",
    "second_ods_code",
    "second_trust",
    "second_rating",
    "rating_gap",
    "metric_peer_quartiles",
]


class CalibrationView(PolicyRequiredMixin, TemplateView):
    """Every ratified or published assessment's ratings beside its metrics' peer quartiles
    and finance score, 50 a page, and the highlighted pairs; ?format=csv downloads every row
    (one a KLOE), ?format=csv&list=pairs every pair."""

    policy = policies.may_see_calibration
    template_name = "assessments/calibration.html"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        user = request.user
        form = CalibrationFilterForm(
            request.GET or None,
            kloes=calibration_kloes(user=user),
            regions=calibration_regions(user=user),
        )
        form.is_valid()
        # A filter that does not validate is left out and named on the form; the rest apply.
        data = getattr(form, "cleaned_data", {})
        calibration = calibration_get(
            user=user,
            kloe=data.get("kloe") or "",
            region=data.get("region") or "",
            trust_type=data.get("trust_type") or "",
            rating=data.get("rating"),
            status=data.get("status") or "",
            sort=data.get("sort") or "trust",
        )
        if request.GET.get("format") == "csv":
            if request.GET.get("list") == "pairs":
                return _pairs_csv(calibration.pairs)
            return _rows_csv(calibration.rows)
        query = request.GET.copy()
        query.pop("page", None)  # the CSV has every row, not one page
        query["format"] = "csv"
        pairs_query = query.copy()
        pairs_query["list"] = "pairs"
        return self.render_to_response(
            self.get_context_data(
                form=form,
                calibration=calibration,
                page_obj=page_of(calibration.rows, number=request.GET.get("page")),
                pagination_label="Pages of assessments",
                pairs=calibration.pairs[:PAIRS_SHOWN],
                pairs_more=max(0, len(calibration.pairs) - PAIRS_SHOWN),
                csv_query=query.urlencode(),
                pairs_csv_query=pairs_query.urlencode(),
            )
        )


def _quartiles(cell, scope: str) -> str:
    return "; ".join(f"{m.code}: {getattr(m, scope) or '-'}" for m in cell.metrics)


def _rows_csv(rows) -> HttpResponse:
    """One line per assessment and KLOE (an assessment without KLOE ratings gets one)."""

    def lines():
        for row in rows:
            head = [
                row.trust.ods_code,
                row.trust.name,
                row.trust.region,
                row.trust.trust_type,
                row.assessment.pk,
                row.assessment.status,
                "yes" if row.assessment.pilot else "no",
                f"{row.month:%Y-%m}",
                row.finance_score or "",
                row.overall_label,
            ]
            cells = sorted(row.kloes.values(), key=lambda cell: cell.number)
            if not cells:
                yield [*head, "", "", "", "", "", ""]
            for cell in cells:
                yield [
                    *head,
                    cell.code,
                    cell.rating_label,
                    Rating(cell.proposed).label,
                    _quartiles(cell, "peer"),
                    _quartiles(cell, "national"),
                    " ".join(cell.paired_with),
                ]

    return csv_response(filename="uor-calibration.csv", header=ROW_COLUMNS, rows=lines())


def _pairs_csv(pairs) -> HttpResponse:
    return csv_response(
        filename="uor-calibration-pairs.csv",
        header=PAIR_COLUMNS,
        rows=(
            [
                pair.kloe_code,
                pair.first.trust.ods_code,
                pair.first.trust.name,
                pair.first_cell.rating_label,
                pair.second.trust.ods_code,
                pair.second.trust.name,
                pair.second_cell.rating_label,
                pair.gap,
                "; ".join(f"{name}: {a} and {b}" for name, a, b in pair.quartiles),
            ]
            for pair in pairs
        ),
    )
