"""WeasyPrint locked down: a PDF may load our static files and data: URIs, nothing else.

A document's text comes from users, so nothing in it may make the worker fetch from the
network or read a file of the machine (CISO's `_safe_url_fetcher` does the same).

NOTE: WeasyPrint takes most of a second to import, so it is imported only when a PDF is
rendered (core.pdf_fetcher holds the fetcher class): every process that imports the report
services (each management command, through the Celery tasks) starts without it.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

# NOTE: the HTML is given a base URL on a reserved domain (.invalid never resolves), so the
# template's `{% static %}` links become absolute URLs the fetcher recognises as ours.
BASE_URL = "https://uor-report.invalid/"
# PDF/UA-1 makes WeasyPrint tag the structure (headings, tables, lists) for screen readers.
PDF_VARIANT = "pdf/ua-1"

URL_REFUSED = "The report may load only the service's own static files and data: URIs, not {url}"
STATIC_NOT_FOUND = "No static file {path}"


class URLRefused(ValueError):
    """A resource the report is not allowed to load."""


def __getattr__(name: str):
    """`from core.pdf import StaticOnlyURLFetcher` imports WeasyPrint then, not before."""
    if name == "StaticOnlyURLFetcher":  # NOTE: imported here, not at start-up (see above)
        from core.pdf_fetcher import StaticOnlyURLFetcher

        return StaticOnlyURLFetcher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def html_to_pdf(html: str, *, fetcher: "URLFetcher | None" = None) -> bytes:
    """Render HTML to a tagged PDF/UA-1 document with the locked-down fetcher."""
    # NOTE: imported here, not at start-up (see above).
    from weasyprint import HTML

    from core.pdf_fetcher import StaticOnlyURLFetcher

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticOnlyURLFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)
