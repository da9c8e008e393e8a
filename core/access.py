"""The authorization matrix: who may reach every route, by HTTP method.

One row per URL name (or a wildcard over a namespace). Each app lists the rows of its own
routes in its `access.py` as `ROWS`; `matrix()` gathers them from every installed app the way
Django's admin discovers `admin.py`, so this module imports no app. Django admin's generic
routes are listed here, since no app of ours owns them.

tests/security/test_access_matrix.py enumerates every route the URL resolver knows, fails on
a route without a row, and requests each one as each actor with each method. Admins see the
same table at /access-matrix/.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from fnmatch import fnmatchcase
from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import module_has_submodule


class Actor(StrEnum):
    ANONYMOUS = "anonymous"
    ADMIN = "admin"
    ASSESSOR_ON_TEAM = "assessor on team"
    ASSESSOR_OFF_TEAM = "assessor not on team"
    QA = "qa"
    CQC = "cqc"
    TRUST_OWN = "trust (own)"
    TRUST_OTHER = "trust (other)"


class Answer(StrEnum):
    OK = "200"  # 2xx: the page, the data, or a form shown again with its errors
    REDIRECT = "302"  # sent on to another page (the success of most form posts)
    LOGIN = "login"  # redirect to the sign-in page; 401 from the API
    FORBIDDEN = "403"
    NOT_FOUND = "404"  # where the object's existence is itself private
    NOT_ALLOWED = "405"
    INVALID = "400"  # the API refused the (empty) input: the caller got past every check


A, ACT = Answer, Actor


def answers(default: Answer, **overrides: Answer) -> dict[Actor, Answer]:
    """Give every actor `default`, except those named (by Actor member name, lower case)."""
    table = dict.fromkeys(Actor, default)
    for name, answer in overrides.items():
        table[Actor[name.upper()]] = answer
    return table


PUBLIC = answers(A.OK)
SIGNED_IN = answers(A.OK, anonymous=A.LOGIN)
STAFF_ONLY = answers(A.OK, anonymous=A.LOGIN, trust_own=A.FORBIDDEN, trust_other=A.FORBIDDEN)
ADMIN_ONLY = answers(A.FORBIDDEN, anonymous=A.LOGIN, admin=A.OK)
OWN_TRUST = answers(A.OK, anonymous=A.LOGIN, trust_other=A.NOT_FOUND)
NHSI_ONLY = answers(
    A.OK, anonymous=A.LOGIN, cqc=A.FORBIDDEN, trust_own=A.FORBIDDEN, trust_other=A.FORBIDDEN
)
# Django admin sends anyone who is not a signed-in admin to the sign-in page.
DJANGO_ADMIN = answers(A.LOGIN, admin=A.OK)
READ_ONLY_ADMIN = answers(A.LOGIN, admin=A.FORBIDDEN)


@dataclass(frozen=True)
class Row:
    route: str  # "namespace:name"; a pattern with * (fnmatch) covers every route it matches
    methods: dict[str, dict[Actor, Answer]]
    kwargs: str = ""  # the world object whose values fill the URL (see the test's KWARGS)
    note: str = ""
    query: str = ""  # a query string the request carries
    by_state: dict[str, dict[str, dict[Actor, Answer]]] = field(default_factory=dict)

    @property
    def is_wildcard(self) -> bool:
        return "*" in self.route


# Specific rows first; the wildcard rows at the end cover the rest. The rows for the admin
# pages of our own models are in the owning app's access.py.
ADMIN_ROWS: list[Row] = [
    Row(
        "admin:login",
        {"GET": answers(A.LOGIN), "POST": answers(A.LOGIN)},
        note="admin's own form would skip the second factor; it sends everyone to ours",
    ),
    Row(
        "admin:logout",
        {
            "GET": answers(A.REDIRECT, admin=A.NOT_ALLOWED),
            "POST": answers(A.REDIRECT, admin=A.LOGIN),
        },
        note="signs the admin out (then the sign-in page); others are sent to the admin index",
    ),
    Row("admin:password_change_done", {"GET": DJANGO_ADMIN}),
    Row("admin:jsi18n", {"GET": DJANGO_ADMIN}),
    Row(
        "admin:/admin/(?P<url>.*)$",
        {"GET": answers(A.LOGIN, admin=A.NOT_FOUND), "POST": answers(A.LOGIN, admin=A.NOT_FOUND)},
        kwargs="admin_unknown_page",
        note="admin's catch-all: an unknown admin page",
    ),
    Row(
        "admin:/admin/*/<path:object_id>/",
        {"GET": answers(A.LOGIN, admin=A.REDIRECT), "POST": answers(A.LOGIN, admin=A.REDIRECT)},
        kwargs="admin_object",
        note="old-style object address, redirected to the change page",
    ),
    Row(
        "admin:view_on_site",
        {"GET": answers(A.LOGIN, admin=A.REDIRECT), "POST": answers(A.LOGIN, admin=A.REDIRECT)},
        kwargs="admin_view_on_site",
    ),
    Row(
        "admin:autocomplete",
        {"GET": answers(A.LOGIN, admin=A.FORBIDDEN)},
        note="no admin field uses autocomplete yet, so even admins are refused",
    ),
    Row(
        "admin:axes_accessattempt_add",
        {"GET": READ_ONLY_ADMIN, "POST": READ_ONLY_ADMIN},
        note="attempts are recorded by the sign-in; deleting one lifts a lock-out",
    ),
    Row(
        "admin:axes_accessattempt_change",
        {"GET": DJANGO_ADMIN, "POST": answers(A.LOGIN, admin=A.REDIRECT)},
        kwargs="admin_object",
        note="every field is read-only, so a post saves nothing and returns to the list",
    ),
    Row(
        "admin:*",
        {"GET": DJANGO_ADMIN, "POST": DJANGO_ADMIN},
        kwargs="admin_object",
        note="every other admin page; an empty post shows its form again (or the delete question)",
    ),
]

# The routes core serves itself (the search page).
CORE_ROWS: list[Row] = [
    Row(
        "search",
        {"GET": SIGNED_IN},
        query="q=trust",
        note="finds only what the person may open, through the selectors the pages use",
    ),
]

# Not in the URL resolver: served by WhiteNoise before any view runs.
STATIC_PATHS = ["/static/build/uor.css", "/static/js/uor.js"]


@cache
def matrix() -> tuple[Row, ...]:
    """Every row: core's own, each installed app's `access.ROWS` in INSTALLED_APPS order, then
    admin's."""
    rows: list[Row] = list(CORE_ROWS)
    for config in apps.get_app_configs():
        if config.name != __package__ and module_has_submodule(config.module, "access"):
            rows.extend(import_module(f"{config.name}.access").ROWS)
    return (*rows, *ADMIN_ROWS)


def row_for(route_name: str) -> Row | None:
    """The row that covers `route_name`: its own row first, then the first wildcard row."""
    rows = matrix()
    for row in rows:
        if row.route == route_name:
            return row
    for row in rows:
        if row.is_wildcard and fnmatchcase(route_name, row.route):
            return row
    return None


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "namespace:<pattern>" for an unnamed route
    path: str  # the pattern, for people to read
    pattern: object  # the URLPattern, for the test to fill its arguments


def resolver_routes(urlconf=None) -> list[Route]:
    """Every route the URL resolver knows, admin and API included, named or not."""
    found: list[Route] = []

    def walk(patterns, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                full = prefix + str(pattern.pattern)
                name = pattern.name or full  # an unnamed route is known by its pattern
                found.append(Route(f"{namespace}:{name}" if namespace else name, full, pattern))

    walk(get_resolver(urlconf).url_patterns, "", "/")
    return found


def routes_without_rows(urlconf=None) -> list[str]:
    return sorted({route.name for route in resolver_routes(urlconf) if row_for(route.name) is None})
