"""Demo metric values: deterministic, every metric for ZZ1-ZZ6 over 24 months, scored."""

import io

import pytest
from django.core.management import call_command

from metrics.models import FinanceScore, MetricValue

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_metrics_are_the_same_every_time_and_scored():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo_metrics", stdout=io.StringIO())
    values = list(MetricValue.objects.order_by("trust", "metric", "period").values_list("value"))
    # 18 metrics for all six, the four constitutional standards for the three acute trusts.
    assert MetricValue.objects.count() == (6 * 18 + 3 * 4) * 24
    out = io.StringIO()
    call_command("load_demo_metrics", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()  # the same values: nothing rewritten
    again = list(MetricValue.objects.order_by("trust", "metric", "period").values_list("value"))
    assert again == values
    assert FinanceScore.objects.filter(moderated__isnull=False).count() == 6 * 24
    assert FinanceScore.objects.filter(moderated=4).exists()  # ZZ5 in special measures
