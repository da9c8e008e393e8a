"""One CSV writer for every download, so no export can hand a spreadsheet a formula.

A cell a spreadsheet would run as a formula (one starting with = + - @, a tab or a carriage
return) gets a leading single quote, as OWASP's "CSV injection" advice says. Trust names,
usernames and free text reach these files, and anyone who can set them could otherwise plant
`=HYPERLINK(...)` in a colleague's spreadsheet. Numbers stay numbers: an int, float or
Decimal, and text that is only a number ("-3.5"), are written as they are, since a
spreadsheet reads them as values and a quote would turn them into text.
"""

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed decimal number and nothing else: "-3.5" is a value, "-2+3" a formula.
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
CONTENT_TYPE = "text/csv; charset=utf-8"


def neutralise(value: object) -> object:
    """Quote a cell that a spreadsheet would run as a formula; leave numbers and None be."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    # Anything else is written as its text (csv calls str() too), so a lazy label or an
    # object whose text starts a formula is checked the same way as a plain string.
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return f"'{text}"
    return text


class Writer:
    """`csv.writer` whose every row is neutralised first; the only writer exports use."""

    def __init__(self, file, **fmtparams):
        self._writer = csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


class _Echo:
    """A file that hands back what is written, so each row can be streamed as it is made."""

    def write(self, value):
        return value


def _attach(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(*, filename: str, header: Sequence, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download of `header` and `rows`, built in memory (for pages' bounded lists)."""
    response = _attach(HttpResponse(content_type=CONTENT_TYPE), filename)
    writer = Writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def csv_streaming_response(
    *, filename: str, header: Sequence, rows: Iterable[Iterable]
) -> StreamingHttpResponse:
    """A CSV download written row by row as the query yields, for exports of any length."""
    writer = Writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    return _attach(StreamingHttpResponse(lines(), content_type=CONTENT_TYPE), filename)
