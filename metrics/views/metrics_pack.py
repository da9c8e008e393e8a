"""The metrics pack of a trust and month, and the sector's finance scores."""

from django.views.generic import TemplateView

from core.csv_export import csv_response
from core.pagination import page_of
from metrics import charts
from metrics.forms import FinanceScoreFilterForm, MetricsPackForm
from metrics.mixins import PolicyRequiredMixin
from metrics.pack import metrics_pack_get
from metrics.policies import may_edit_context_note, may_see_finance_scores, may_use_service
from metrics.selectors import (
    finance_score_periods,
    finance_scores_for_sector,
    metric_definitions_list,
    metric_periods_for_trust,
    trust_get_for_user,
    trust_regions,
)
from metrics.services.finance_scores import CSV_COLUMNS, finance_score_row


class MetricsPackView(PolicyRequiredMixin, TemplateView):
    """Each metric against national and peer benchmarks, its trend and two charts.

    ?metric=CODE shows that metric alone with every trust's value as a table: the whole
    pack would otherwise carry a table of every trust for every metric.
    """

    policy = may_use_service
    template_name = "metrics/metrics_pack.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trust = trust_get_for_user(user=self.request.user, ods_code=self.kwargs["ods_code"])
        periods = metric_periods_for_trust(trust=trust)
        form = MetricsPackForm(self.request.GET or None, periods=periods)
        period = form.cleaned_data["period"] if form.is_bound and form.is_valid() else None
        code = self.request.GET.get("metric", "")
        one_metric = metric_definitions_list().filter(code=code).first() if code else None
        pack = metrics_pack_get(
            user=self.request.user,
            trust=trust,
            period=period,
            periods=periods,
            codes={one_metric.code} if one_metric else None,
        )
        form.initial["period"] = f"{pack.period:%Y-%m}" if pack.period else ""
        for _, metrics in pack.areas:
            for metric in metrics:
                name = metric.definition.name
                metric.bars_chart = charts.bars_svg(
                    name=name,
                    bars=metric.bars,
                    national_median=metric.benchmark.get("national_median"),
                    peer_median=metric.benchmark.get("peer_median"),
                    this_trust=trust.ods_code,
                )
                metric.trend_chart = charts.trend_svg(
                    name=name, points=metric.trend, this_trust=trust.ods_code
                )
        context.update(
            trust=trust,
            pack=pack,
            form=form,
            one_metric=one_metric,
            may_edit_context=may_edit_context_note(self.request.user, trust),
        )
        return context


class FinanceScoreListView(PolicyRequiredMixin, TemplateView):
    """Every trust's finance score for a month, 50 a page; ?format=csv downloads every row."""

    policy = may_see_finance_scores
    template_name = "metrics/financescore_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        periods = finance_score_periods()
        form = FinanceScoreFilterForm(
            self.request.GET or None, periods=periods, regions=trust_regions()
        )
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        period = filters.get("period") or (periods[0] if periods else None)
        scores = []
        if period is not None:
            scores = finance_scores_for_sector(
                user=self.request.user,
                period=period,
                region=filters.get("region", ""),
                trust_type=filters.get("trust_type", ""),
                sort=filters.get("sort", ""),
            )
        query = self.request.GET.copy()
        query.pop("page", None)  # the CSV has every row, not one page
        query["format"] = "csv"
        context.update(form=form, period=period, scores=scores, csv_query=query.urlencode())
        if self.request.GET.get("format") != "csv":
            context["page_obj"] = page_of(scores, number=self.request.GET.get("page"))
            context["pagination_label"] = "Pages of finance scores"
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("format") != "csv":
            return super().render_to_response(context, **response_kwargs)
        period = context["period"]
        name = f"finance-scores-{period:%Y-%m}.csv" if period else "finance-scores.csv"
        rows = (finance_score_row(score=score) for score in context["scores"])
        return csv_response(
            filename=name,
            header=CSV_COLUMNS,
            rows=([row[column] for column in CSV_COLUMNS] for row in rows),
        )
