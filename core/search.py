"""The search box: one query over everything a person may open, grouped by kind.

Each app lists its kinds in its own `search.py` as `PROVIDERS`; `providers()` gathers them
the way `core.access` gathers `access.py`, so core imports no app. A provider builds its
candidate rows from the selectors and policies its pages use, then hands them to `found()`,
which matches, ranks, counts and highlights in ONE query: PostgreSQL's full-text search
(the 'english' configuration) where the database is PostgreSQL, a plain `icontains` on every
word elsewhere (the SQLite demo). Counts and snippets come from those rows only, so nothing
hidden leaks through either.
"""

import re
import secrets
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Protocol

from django.apps import apps
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import (
    Aggregate,
    Count,
    Expression,
    F,
    FloatField,
    QuerySet,
    TextField,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.module_loading import module_has_submodule
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
MAX_LENGTH = 200  # characters of a search, as the well-led framework's own search
GROUP_SIZE = 5  # hits per kind on the grouped page; "show all" opens the kind's own pages
KIND_PAGE_SIZE = 20
SNIPPET_WORDS = 30  # about this many words of context in a fallback snippet


@dataclass(frozen=True)
class Hit:
    """One result: what it is, where to open it, and a snippet with the matches marked."""

    title: str
    url: str
    snippet: SafeString
    context: str = ""


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    total: int  # every match the person may open, not only those on this page


@dataclass
class Terms:
    """The search of one person at one moment; `remember` shares work between an app's kinds
    (the assessments a person may see, asked of the policies once per search)."""

    user: object
    text: str
    memo: dict = field(default_factory=dict)
    # None: full-text search on PostgreSQL, the fallback elsewhere; False forces the fallback
    # (its test runs on the PostgreSQL test database).
    full_text: bool | None = None
    # Random per search: no stored text can forge a highlight.
    marks: tuple[str, str] = field(
        default_factory=lambda: (f"s{secrets.token_hex(6)}", f"e{secrets.token_hex(6)}")
    )

    def remember(self, key: str, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    @property
    def words(self) -> list[str]:
        """The words for the fallback, without the quotes a full-text search reads as a phrase."""
        return [word for word in (w.strip("\"'") for w in self.text.split()) if word]


class Provider(Protocol):
    kind: str  # a slug, in the address of the kind's own pages
    label: str  # the group's heading

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found: ...


@cache
def providers() -> tuple[Provider, ...]:
    """Every app's `search.PROVIDERS`, in INSTALLED_APPS order."""
    found: list[Provider] = []
    for config in apps.get_app_configs():
        if config.name != __package__ and module_has_submodule(config.module, "search"):
            found.extend(import_module(f"{config.name}.search").PROVIDERS)
    return tuple(found)


def provider_for(kind: str) -> Provider | None:
    return next((p for p in providers() if p.kind == kind), None)


# Matching, ranking and highlighting ----------------------------------------------------------


class JoinedText(Aggregate):
    """A column's values joined by spaces (a subquery's many rows as one text to search)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def document(*parts) -> Expression:
    """The text a kind is searched by: its fields (names or expressions) one after another."""
    pieces = []
    for part in parts:
        expression = F(part) if isinstance(part, str) else part
        pieces += [Coalesce(expression, Value(""), output_field=TextField()), Value(" \n ")]
    pieces.pop()
    return pieces[0] if len(pieces) == 1 else Concat(*pieces, output_field=TextField())


def uses_full_text(queryset: QuerySet, terms: "Terms") -> bool:
    if terms.full_text is not None:
        return terms.full_text
    return connections[queryset.db].vendor == "postgresql"


def matching(queryset: QuerySet, text: Expression, terms: Terms) -> QuerySet:
    """`queryset` narrowed to the rows whose `text` matches, best first, each row carrying
    `search_total` (all matching rows) and `search_raw` (PostgreSQL's headline with the
    search's marks, or the whole text for the fallback to cut)."""
    total = Window(Count("pk"))
    if uses_full_text(queryset, terms):
        query = SearchQuery(terms.text, config=CONFIG, search_type="websearch")
        vector = SearchVector(text, config=CONFIG)
        start, stop = terms.marks
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=query)
            .annotate(
                search_rank=SearchRank(F("search_vector"), query),
                search_total=total,
                search_raw=SearchHeadline(
                    text,
                    query,
                    config=CONFIG,
                    start_sel=start,
                    stop_sel=stop,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-search_rank", "pk")
        )
    narrowed = queryset.annotate(search_raw=text)
    for word in terms.words:
        narrowed = narrowed.filter(search_raw__icontains=word)
    return narrowed.annotate(
        search_rank=Value(0.0, output_field=FloatField()), search_total=total
    ).order_by("pk")


def highlight(row, terms: Terms) -> SafeString:
    """The row's snippet, escaped, with the matched words in <mark>."""
    raw = row.search_raw or ""
    start, stop = terms.marks
    if start in raw:
        # PostgreSQL marked the words: escape everything, then turn our marks into tags.
        # NOTE: the marks are letters and digits, which escaping leaves as they are.
        marked = escape(raw).replace(start, "<mark>").replace(stop, "</mark>")
        return mark_safe(marked)  # noqa: S308 (every character of the text was escaped above)
    return fallback_snippet(raw, terms.words)


def fallback_snippet(text: str, words: list[str]) -> SafeString:
    """About SNIPPET_WORDS words around the first match, escaped, with every match marked."""
    text = " ".join(text.split())
    if not words:
        return escape(text[:200])
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    first = pattern.search(text)
    begin = first.start() if first else 0
    before = text[:begin].split(" ")
    start_at = len(" ".join(before[: max(0, len(before) - 8)]))
    window = text[start_at:].split(" ")
    excerpt = " ".join(window[:SNIPPET_WORDS]).strip()
    prefix = "… " if start_at > 0 else ""
    suffix = " …" if len(window) > SNIPPET_WORDS else ""
    pieces, last = [], 0
    for match in pattern.finditer(excerpt):
        pieces += [
            escape(excerpt[last : match.start()]),
            "<mark>",
            escape(match.group()),
            "</mark>",
        ]
        last = match.end()
    pieces.append(escape(excerpt[last:]))
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 (escaped piece by piece)


def found(queryset: QuerySet, *, text: Expression, terms: Terms, offset: int, limit: int, hit):
    """One page of a kind: `hit(row, snippet)` turns each matching row into a Hit."""
    rows = list(matching(queryset, text, terms)[offset : offset + limit])
    total = rows[0].search_total if rows else 0
    return Found(hits=[hit(row, highlight(row, terms)) for row in rows], total=total)


# The search page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    hits: list[Hit]
    total: int


def search_everything(*, user, text: str, per_kind: int = GROUP_SIZE) -> list[Group]:
    """Every kind with at least one hit, in the order the apps list them."""
    terms = Terms(user=user, text=text)
    groups = []
    for provider in providers():
        result = provider.find(terms, offset=0, limit=per_kind)
        if result.total:
            groups.append(Group(provider.kind, provider.label, result.hits, result.total))
    return groups


def search_kind(*, user, text: str, provider: Provider, page: int, per_page: int = KIND_PAGE_SIZE):
    """One page of one kind; a page past the end gives the first page."""
    terms = Terms(user=user, text=text)
    result = provider.find(terms, offset=(page - 1) * per_page, limit=per_page)
    if not result.hits and page > 1:
        page, result = 1, provider.find(terms, offset=0, limit=per_page)
    return page, Group(provider.kind, provider.label, result.hits, result.total)
