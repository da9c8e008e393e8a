"""Filters of the API's lists (django-filter; drf-spectacular documents them)."""

import datetime
import re

import django_filters
from django.core.exceptions import ValidationError

from metrics.models import FinanceScore, MetricValue

MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
BAD_MONTH = "Write the month as YYYY-MM, for example 2024-03."


class MonthField(django_filters.fields.forms.CharField):
    """A month written YYYY-MM, cleaned to the first day of that month."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if not MONTH_PATTERN.match(value):
            raise ValidationError(BAD_MONTH, code="month")
        return datetime.date.fromisoformat(f"{value}-01")


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class MonthRangeFilterSet(django_filters.FilterSet):
    trust = django_filters.CharFilter(field_name="trust__ods_code", help_text="ODS code")
    period = MonthFilter(field_name="period", help_text="one month, YYYY-MM")
    period_from = MonthFilter(field_name="period", lookup_expr="gte", help_text="YYYY-MM")
    period_to = MonthFilter(field_name="period", lookup_expr="lte", help_text="YYYY-MM")


class MetricValueFilter(MonthRangeFilterSet):
    metric = django_filters.CharFilter(field_name="metric__code", help_text="metric code")

    class Meta:
        model = MetricValue
        fields = ["trust", "metric", "period", "period_from", "period_to"]


class FinanceScoreFilter(MonthRangeFilterSet):
    class Meta:
        model = FinanceScore
        fields = ["trust", "period", "period_from", "period_to"]
