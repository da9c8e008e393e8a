"""Every paged API list takes the same `limit` and `offset`, and refuses bad ones with a 400
that names the parameter and its range: never a 500, never a quietly smaller page."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from rest_framework import mixins

from core.pagination import API_MAX_LIMIT, API_MAX_OFFSET
from uor_site.urls import api_router
from wellled.api import wellled_router

pytestmark = pytest.mark.django_db

PAGED_LISTS = [
    "api:trust-list",
    "api:metricdefinition-list",
    "api:metricvalue-list",
    "api:financescore-list",
    "api:assessment-list",
    "wellled-api:selfreview-list",
    "wellled-api:developmentalreview-list",
    "wellled-api:action-list",
    "wellled-api:wellledrating-list",
]
OVERFLOW = "18446744073709551616"  # 2**64: past PostgreSQL's bigint
LIMIT_MESSAGE = f"limit must be a whole number from 1 to {API_MAX_LIMIT:,}."
OFFSET_MESSAGE = f"offset must be a whole number from 0 to {API_MAX_OFFSET:,}."


def test_the_list_above_is_every_paged_list_of_the_api():
    routed = {
        f"{namespace}:{basename}-list"
        for namespace, router in (("api", api_router), ("wellled-api", wellled_router))
        for _, viewset, basename in router.registry
        if issubclass(viewset, mixins.ListModelMixin) and viewset().paginator is not None
    }
    assert routed == set(PAGED_LISTS)


@pytest.fixture
def signed_in(client, assessor, trust, other_trust, metric_definitions):
    client.force_login(assessor)
    return client


@pytest.mark.parametrize("name", PAGED_LISTS)
def test_an_overflowing_limit_or_offset_answers_400_with_the_range(signed_in, name):
    url = reverse(name)
    too_long = signed_in.get(url, {"limit": OVERFLOW})
    assert too_long.status_code == HTTPStatus.BAD_REQUEST
    assert too_long.json() == {"limit": [LIMIT_MESSAGE]}
    too_far = signed_in.get(url, {"offset": OVERFLOW})
    assert too_far.status_code == HTTPStatus.BAD_REQUEST
    assert too_far.json() == {"offset": [OFFSET_MESSAGE]}


@pytest.mark.parametrize("name", PAGED_LISTS)
def test_a_limit_above_the_maximum_answers_400_not_a_smaller_page(signed_in, name):
    response = signed_in.get(reverse(name), {"limit": API_MAX_LIMIT + 1})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"limit": [LIMIT_MESSAGE]}


@pytest.mark.parametrize("name", PAGED_LISTS)
def test_a_limit_within_the_range_gives_that_page(signed_in, name):
    page = signed_in.get(reverse(name), {"limit": 1})
    assert page.status_code == HTTPStatus.OK
    assert len(page.json()["results"]) <= 1
    assert signed_in.get(reverse(name), {"limit": API_MAX_LIMIT}).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"limit": "0"}, LIMIT_MESSAGE),
        ({"limit": "-1"}, LIMIT_MESSAGE),
        ({"limit": "1.5"}, LIMIT_MESSAGE),
        ({"limit": "ten"}, LIMIT_MESSAGE),
        ({"limit": ""}, LIMIT_MESSAGE),
        ({"limit": " 5"}, LIMIT_MESSAGE),
        ({"offset": "-1"}, OFFSET_MESSAGE),
        ({"offset": "x"}, OFFSET_MESSAGE),
        ({"offset": str(API_MAX_OFFSET + 1)}, OFFSET_MESSAGE),
        ({"offset": "9" * 5000}, OFFSET_MESSAGE),
    ],
)
def test_paging_that_is_not_a_number_in_range_answers_400(signed_in, query, message):
    response = signed_in.get(reverse("api:trust-list"), query)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {next(iter(query)): [message]}


def test_pages_follow_one_another_up_to_the_largest_offset(signed_in):
    url = reverse("api:metricdefinition-list")
    first = signed_in.get(url, {"limit": 5}).json()
    second = signed_in.get(first["next"]).json()
    assert len(first["results"]) == len(second["results"]) == 5
    assert {row["code"] for row in first["results"]}.isdisjoint(
        row["code"] for row in second["results"]
    )
    last = signed_in.get(url, {"offset": API_MAX_OFFSET})
    assert last.status_code == HTTPStatus.OK
    assert last.json()["results"] == []


def test_the_schema_gives_the_range_of_limit_and_offset(signed_in):
    schema = signed_in.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/trusts/"]["get"]["parameters"]}
    assert parameters["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": API_MAX_LIMIT,
    }
    assert parameters["offset"]["schema"]["maximum"] == API_MAX_OFFSET
    assert f"1 to {API_MAX_LIMIT:,}" in parameters["limit"]["description"]
