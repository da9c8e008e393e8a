"""The large API lists: pages of up to 1,000, a count that never reads the whole table, and
`next` links that lead a client through every row once."""

import datetime
from http import HTTPStatus

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from metrics.models import MetricValue

pytestmark = pytest.mark.django_db

MONTHS = 455  # 22 metrics x 455 months = 10,010 values: just past the exact count's cap


@pytest.fixture
def ten_thousand_values(trust, metric_definitions):
    start = datetime.date(1970, 1, 1)
    MetricValue.objects.bulk_create(
        MetricValue(trust=trust, metric=definition, period=start + relativedelta(months=n), value=n)
        for definition in metric_definitions.values()
        for n in range(MONTHS)
    )
    return len(metric_definitions) * MONTHS


def test_following_next_gives_every_value_once(client, assessor, ten_thousand_values):
    client.force_login(assessor)
    url = reverse("api:metricvalue-list") + "?limit=1000"
    seen, pages = [], 0
    while url:
        page = client.get(url)
        assert page.status_code == HTTPStatus.OK
        data = page.json()
        seen += [(row["metric"], row["period"]) for row in data["results"]]
        url, pages = data["next"], pages + 1
    assert pages == 11
    assert len(seen) == len(set(seen)) == ten_thousand_values
    assert data["count"] == ten_thousand_values  # exact on the last page


def test_the_count_is_null_past_ten_thousand_and_exact_below(client, assessor, ten_thousand_values):
    client.force_login(assessor)
    url = reverse("api:metricvalue-list")
    everything = client.get(url).json()
    assert everything["count"] is None
    assert len(everything["results"]) == 100
    one_metric = client.get(url, {"metric": "ie_margin", "limit": 10}).json()
    assert one_metric["count"] == MONTHS
    assert "offset=10" in one_metric["next"]
    assert "metric=ie_margin" in one_metric["next"]
    past_the_end = client.get(url, {"metric": "ie_margin", "offset": 5000}).json()
    assert past_the_end["results"] == []
    assert past_the_end["count"] == MONTHS


def test_a_limit_over_a_thousand_is_refused_not_cut(client, assessor, ten_thousand_values):
    client.force_login(assessor)
    refused = client.get(reverse("api:metricvalue-list"), {"limit": 5000})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert refused.json() == {"limit": ["limit must be a whole number from 1 to 1,000."]}


def test_the_schema_says_the_count_may_be_null(client, assessor):
    client.force_login(assessor)
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    page = schema["components"]["schemas"]["PaginatedMetricValueList"]
    assert page["properties"]["count"]["nullable"] is True
