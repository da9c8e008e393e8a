"""WeasyPrint locked down: a PDF may load our static files and data: URIs, nothing else.

A document's text comes from users, so nothing in it may make the worker fetch from the
network or read a file of the machine (CISO's `_safe_url_fetcher` does the same).
"""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# NOTE: the HTML is given a base URL on a reserved domain (.invalid never resolves), so the
# template's `{% static %}` links become absolute URLs the fetcher recognises as ours.
BASE_URL = "https://uor-report.invalid/"
# PDF/UA-1 makes WeasyPrint tag the structure (headings, tables, lists) for screen readers.
PDF_VARIANT = "pdf/ua-1"

URL_REFUSED = "The report may load only the service's own static files and data: URIs, not {url}"
STATIC_NOT_FOUND = "No static file {path}"


class URLRefused(ValueError):
    """A resource the report is not allowed to load."""


class StaticOnlyURLFetcher(URLFetcher):
    """Serve `/static/...` from Django's static-file finders and `data:` URIs; refuse the rest.

    Every refused URL is kept in `refused`, so a test (or a curious maintainer) can see what
    a template tried to load.
    """

    def __init__(self):
        super().__init__(allowed_protocols=("data", "https"), allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        static_prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if url.startswith(static_prefix):
            return self._static_file(unquote(urlsplit(url).path).removeprefix(settings.STATIC_URL))
        self.refused.append(url)
        raise URLRefused(URL_REFUSED.format(url=url))

    def _static_file(self, path: str) -> URLFetcherResponse:
        if not path or ".." in PurePosixPath(path).parts:
            raise URLRefused(URL_REFUSED.format(url=path))
        try:
            found = finders.find(path)
        except SuspiciousFileOperation as error:
            raise URLRefused(URL_REFUSED.format(url=path)) from error
        if not found:
            raise URLRefused(STATIC_NOT_FOUND.format(path=path))
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            f"{BASE_URL.rstrip('/')}{settings.STATIC_URL}{path}",
            body,
            {"Content-Type": content_type},
        )


def html_to_pdf(html: str, *, fetcher: URLFetcher | None = None) -> bytes:
    """Render HTML to a tagged PDF/UA-1 document with the locked-down fetcher."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticOnlyURLFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)
