"""The locked-down URL fetcher of core.pdf, apart because it subclasses WeasyPrint's."""

import mimetypes
import os
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.pdf import BASE_URL, STATIC_NOT_FOUND, URL_REFUSED, URLRefused


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
            found = finders.find(path) or _collected(path)
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


def _collected(path: str) -> str | None:
    """The copy `collectstatic` wrote, for the hashed names `{% static %}` gives under the
    production settings (report.1a2b3c.css): the finders know only the unhashed sources."""
    if not settings.STATIC_ROOT:
        return None
    candidate = safe_join(settings.STATIC_ROOT, path)  # refuses a way out of the folder
    return candidate if os.path.isfile(candidate) else None
