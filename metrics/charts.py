"""Small SVG charts drawn on the server, for pages and PDFs alike.

NOTE: written by hand rather than with matplotlib: two chart shapes, no new dependency, and
full control of the markup the CSP allows (style-src 'self': no style attributes or
<style> elements, so colours are presentation attributes). Every chart carries role="img",
an aria-label (the full description) and a short <title>; the page puts the same numbers in a
table beside it or one link away.
"""

import base64
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 40
BAR = "#b1b4b6"  # GOV.UK mid-grey
HIGHLIGHT = "#1d70b8"  # GOV.UK blue
INK = "#0b0c0c"
PEER = "#d4351c"  # GOV.UK red
GRID = "#f3f2f1"


def number(value: float | None) -> str:
    """A value as the pages write it: up to two decimals, no trailing zeros."""
    if value is None:
        return "no value"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _scale(low: float, high: float):
    """A function mapping values onto the plot's height, with zero inside the range."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1.0
    plot = HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot

    return y, low, high


def _frame(label: str, title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 (every piece of text below is escaped)
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{escape(label)}" focusable="false">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _rules(y, labelled: list[float], axis: float) -> list[str]:
    """Grey rules at the labelled values, their labels on the left, and a black axis line.

    NOTE: shared attributes sit on a group: with 34 charts a page, repeating them on every
    line and label cost a tenth of the metrics pack's bytes.
    """
    rules = "".join(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" />'
        for v in labelled
        if v != axis
    )
    labels = "".join(
        f'<text x="{LEFT - 6}" y="{y(v) + 4:.0f}">{escape(number(v))}</text>' for v in labelled
    )
    return [
        f'<g stroke="{GRID}">{rules}</g>',
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(axis):.1f}" y2="{y(axis):.1f}" '
        f'stroke="{INK}" />',
        f'<g text-anchor="end" font-size="11" fill="{INK}">{labels}</g>',
    ]


def _axis(y, low: float, high: float) -> list[str]:
    return _rules(y, [low, (low + high) / 2, high], 0.0)


def _marker(y: float, colour: str, dash: str) -> str:
    """A median drawn across the plot (the page's key says which line is which)."""
    return (
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" '
        f'stroke-width="2" stroke-dasharray="{dash}" />'
    )


def bars_svg(
    *,
    name: str,
    bars: list[tuple[str, float, bool]],
    national_median: float | None,
    peer_median: float | None,
    this_trust: str,
) -> SafeString:
    """Every trust's value as a sorted bar, this trust in blue, the medians as lines.

    NOTE: the grey bars are one stepped outline (a path of "V y h 1" steps) rather than a
    rectangle each: with 230 trusts and 17 metrics, rectangles made the metrics pack 1.9 MB.
    """
    values = [value for _, value, _ in bars] or [0.0]
    y, low, high = _scale(min(values), max(values))
    step = (WIDTH - LEFT - RIGHT) / max(len(bars), 1)
    base = y(0)
    body = _axis(y, low, high)
    # Drawn one unit wide a bar and stretched by the transform: "V123h1" a bar.
    outline = [f"M0 {base:.0f}"]
    rank = None
    for index, (_, value, is_this) in enumerate(bars):
        outline.append(f"V{y(value):.0f}h1")
        if is_this:
            rank = index + 1
            top, bottom = sorted((y(value), base))
            highlight = (
                f'<rect x="{LEFT + index * step:.1f}" y="{top:.1f}" '
                f'width="{max(step, 2):.1f}" height="{max(bottom - top, 0.5):.1f}" '
                f'fill="{HIGHLIGHT}" />'
            )
    if bars:
        body.append(
            f'<path transform="translate({LEFT} 0) scale({step:.4f} 1)" '
            f'd="{"".join(outline)}V{base:.0f}Z" fill="{BAR}" />'
        )
    if rank is not None:
        body.append(highlight)
    if national_median is not None:
        body.append(_marker(y(national_median), INK, "6 3"))
    if peer_median is not None:
        body.append(_marker(y(peer_median), PEER, "2 2"))
    position = f"ranked {rank} of {len(bars)} from the lowest value" if rank else "no value"
    label = (
        f"{name}: every trust's value as a bar, lowest to highest. {this_trust} is {position}; "
        f"national median {number(national_median)}, peer median {number(peer_median)}."
    )
    return _frame(label, f"{name}: all trusts", body)


def _baseline_scale(low: float, high: float):
    """A scale fitted to the values with a margin, not stretched to zero.

    NOTE: a line chart of, say, readmission rates between 11% and 13% drawn from zero is a
    flat line; fitting the axis to the values shows the change, and the axis labels say
    where it starts.
    """
    margin = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    low, high = low - margin, high + margin
    plot = HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot

    return y, low, high


def _grid(y, low: float, high: float) -> list[str]:
    """Four labelled grid lines across the plot, the lowest being the axis."""
    return _rules(y, [low + (high - low) * step / 3 for step in range(4)], low)


TREND_SERIES = (  # (index in a point, colour, dash) drawn in this order
    (2, INK, "6 3"),  # national median
    (3, PEER, "2 2"),  # peer median
    (1, HIGHLIGHT, ""),  # the trust
)


@dataclass(frozen=True)
class ChartImage:
    """A chart as an image source and its text alternative, for an <img> in a PDF."""

    src: str
    alt: str


def trend_image(
    *,
    name: str,
    points: list[tuple[str, float | None, float | None, float | None]],
    this_trust: str,
) -> ChartImage:
    """`trend_svg` as a data: URI with its words as the alternative text.

    NOTE: WeasyPrint reads an inline <svg> with its pure-Python HTML parser and then rebuilds
    it as an image; the same markup given as an image is read once, by ElementTree. For the
    report's thirty charts that is about a seventh of the render (docs/benchmarks.md).
    """
    svg = trend_svg(name=name, points=points, this_trust=this_trust, printed=True)
    encoded = base64.b64encode(svg.encode()).decode("ascii")
    return ChartImage(
        f"data:image/svg+xml;base64,{encoded}", _trend_label(name, points, this_trust)
    )


def _trend_label(name: str, points, this_trust: str) -> str:
    first = next(((m, v) for m, v, *_ in points if v is not None), None)
    last = next(((m, v) for m, v, *_ in reversed(points) if v is not None), None)
    summary = (
        f"from {number(first[1])} in {first[0]} to {number(last[1])} in {last[0]}"
        if first and last
        else "no values"
    )
    return (
        f"{name}, {this_trust}, month by month: {summary}; dashed lines: the national and "
        "peer medians."
    )


def trend_svg(
    *,
    name: str,
    points: list[tuple[str, float | None, float | None, float | None]],
    this_trust: str,
    printed: bool = False,
) -> SafeString:
    """The trust's value month by month (blue, with its values) against the national and peer
    medians (dashed), on an axis fitted to the values, with every other month named.

    The key is in words beside the chart (the pack's key, the report's caption). `printed` is
    the report's version: its caption gives the latest value, and every third month is named.
    NOTE: each SVG text costs WeasyPrint a text layout, the largest part of drawing thirty
    charts (docs/benchmarks.md).
    """
    known = [v for point in points for v in point[1:] if v is not None] or [0.0]
    y, low, high = _baseline_scale(min(known), max(known))
    step = (WIDTH - LEFT - RIGHT - 24) / max(len(points) - 1, 1)
    body = _grid(y, low, high)
    for series, colour, dash in TREND_SERIES:
        coordinates = [
            f"{LEFT + 12 + index * step:.1f},{y(point[series]):.1f}"
            for index, point in enumerate(points)
            if point[series] is not None
        ]
        if coordinates:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            body.append(
                f'<polyline points="{" ".join(coordinates)}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dash_attr} />'
            )
    last_index = max((i for i, point in enumerate(points) if point[1] is not None), default=None)
    every = 3 if printed else 2
    dots = [
        f'<circle cx="{LEFT + 12 + index * step:.0f}" cy="{y(own):.0f}" r="3" />'
        for index, (_, own, *_medians) in enumerate(points)
        if own is not None
    ]
    body.append(f'<g fill="{HIGHLIGHT}">{"".join(dots)}</g>')
    months = []
    for index, (month, own, *_medians) in enumerate(points):
        x = LEFT + 12 + index * step
        if index == last_index and not printed:
            body.append(
                f'<text x="{x:.1f}" y="{y(own) - 8:.1f}" text-anchor="end" font-size="11" '
                f'font-weight="bold" fill="{HIGHLIGHT}">{escape(number(own))}</text>'
            )
        if index % every == (len(points) - 1) % every:  # always the last month
            months.append(f'<text x="{x:.0f}" y="{HEIGHT - BOTTOM + 14}">{escape(month)}</text>')
    body.append(f'<g font-size="10" text-anchor="middle" fill="{INK}">{"".join(months)}</g>')
    label = _trend_label(name, points, this_trust)
    return _frame(label, f"{name}: monthly trend", body)
