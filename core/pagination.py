"""Pagination: pages of long tables for the pages, the API's one list pager (checked
`limit`/`offset`, the same bounds on every list), and its large-list form whose count stays
cheap however many rows match."""

import re

from django.core.paginator import Page, Paginator
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.utils.urls import replace_query_param

PAGE_SIZE = 50

API_DEFAULT_LIMIT = 100
API_MAX_LIMIT = 1000
# Ten million: the most metric values docs/scaling.md plans for. A deeper offset is refused
# rather than left to make PostgreSQL skip that many rows (or overflow its bigint).
API_MAX_OFFSET = 10_000_000
_DIGITS = re.compile(r"[0-9]+")


def page_of(items, *, number, per_page: int = PAGE_SIZE) -> Page:
    """The page `number` of `items` (a QuerySet or a list) with the numbers to link to.

    A number that is not a page number gives the first page and one past the end the last
    (Paginator.get_page), so a hand-edited link never fails. `page.links` lists the page
    numbers GOV.UK's pagination shows, None where it shows an ellipsis.
    """
    page = Paginator(items, per_page).get_page(number)
    page.links = [
        None if link == Paginator.ELLIPSIS else link
        for link in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return page


class ApiPagination(LimitOffsetPagination):
    """`limit`/`offset` pages of every API list (DRF's DEFAULT_PAGINATION_CLASS).

    `limit` is 1 to API_MAX_LIMIT (API_DEFAULT_LIMIT when left out), `offset` 0 to
    API_MAX_OFFSET. Anything else, a number too large for the database included, answers
    400 naming the parameter and its range: never clamped, so a client never gets less than
    it asked for without being told.
    """

    default_limit = API_DEFAULT_LIMIT
    max_limit = API_MAX_LIMIT
    max_offset = API_MAX_OFFSET
    limit_query_description = (
        f"Number of results per page: 1 to {API_MAX_LIMIT:,} (default {API_DEFAULT_LIMIT})."
    )
    offset_query_description = (
        f"How many results to skip before the page: 0 to {API_MAX_OFFSET:,} (default 0)."
    )

    def get_limit(self, request):
        return self._bounded(request, self.limit_query_param, 1, self.max_limit, self.default_limit)

    def get_offset(self, request):
        return self._bounded(request, self.offset_query_param, 0, self.max_offset, 0)

    @staticmethod
    def _bounded(request, name, lowest, highest, default) -> int:
        if name not in request.query_params:
            return default
        text = request.query_params[name]
        # NOTE: the length test first keeps a thousand-digit value from ever reaching int().
        digits = len(text) <= len(str(highest)) and _DIGITS.fullmatch(text)
        if not digits or not lowest <= int(text) <= highest:
            raise ValidationError(
                {name: [f"{name} must be a whole number from {lowest} to {highest:,}."]}
            )
        return int(text)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: (1, self.max_limit),
            self.offset_query_param: (0, self.max_offset),
        }
        for parameter in parameters:
            lowest, highest = bounds[parameter["name"]]
            parameter["schema"].update(minimum=lowest, maximum=highest)
        return parameters


class LargeListPagination(ApiPagination):
    """`limit`/`offset` pages of a list that may hold a million rows, without COUNT(*) of all.

    The page fetches one row more than it shows, which says whether there is a next page.
    `count` is exact when the list ends on this page or holds at most COUNT_CAP rows (counted
    with a LIMIT, so never more than COUNT_CAP + 1 rows are read); above that it is null:
    follow `next` to the end, or narrow the list with its filters.
    """

    COUNT_CAP = 10_000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        self.offset = self.get_offset(request)
        rows = list(queryset[self.offset : self.offset + self.limit + 1])
        self.has_next = len(rows) > self.limit
        rows = rows[: self.limit]
        if not self.has_next and (rows or self.offset == 0):
            self.count = self.offset + len(rows)  # the list ends on this page: no count needed
        else:
            self.count = self._capped_count(queryset)
        return rows

    def _capped_count(self, queryset) -> int | None:
        # NOTE: without the order and the joins only for display, the planner stops reading
        # after COUNT_CAP + 1 rows of the filtered table.
        capped = queryset.order_by().select_related(None)[: self.COUNT_CAP + 1].count()
        return capped if capped <= self.COUNT_CAP else None

    def get_next_link(self):
        if not self.has_next:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), "limit", self.limit)
        return replace_query_param(url, "offset", self.offset + self.limit)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"] = {
            "type": "integer",
            "nullable": True,
            "example": 123,
            "description": f"null when more than {self.COUNT_CAP:,} rows match",
        }
        return response
