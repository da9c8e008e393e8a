"""Time rendering the assessment report against a plain WeasyPrint document, in one run.

(a) the same text as the report (every paragraph, heading, list item and table cell of the
    report's HTML, charts left out) as plain paragraphs with no stylesheet, through
    WeasyPrint's defaults;
(b) the report itself, through `report_render` (the Celery task's service): queries, the
    template, 30 SVG charts, tagged PDF/UA-1 output, SHA-256 and the database write.

Targets (issue 7, item 3): (b) under 10 s on one core, and under 3x (a). Run it through
tests/bench/run_report_bench.sh (a throwaway PostgreSQL, pinned to one core). Not a pytest
file, so `make test` never collects it. Prints a Markdown block for docs/benchmarks.md.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uor_site.settings.test")
django.setup()

from django.utils.html import escape  # noqa: E402
from weasyprint import HTML  # noqa: E402

from assessments.models import (  # noqa: E402
    Assessment,
    Evidence,
    Framework,
    Kloe,
    KloeRating,
    Prompt,
    ReportVersion,
    Status,
)
from assessments.reports.content import report_html  # noqa: E402
from assessments.reports.services import report_render, report_version_create  # noqa: E402
from metrics.models import MetricDefinition, MetricValue, Role, Trust, User  # noqa: E402

KLOES, PROMPTS, EVIDENCE, CHARTS, MONTHS = 5, 3, 100, 30, 12
SENTENCE = (
    "The trust's agency spend was above its cap in eight of the last twelve months, "
    "driven by nursing vacancies on the surgical wards; the board has a recovery plan. "
)


def build_world() -> Assessment:
    trust = Trust.objects.create(
        ods_code="BEN", name="Benchmark Hospitals NHS Trust", trust_type="acute", region="London"
    )
    lead = User.objects.create(username="bench-lead", role=Role.ASSESSOR)
    framework = Framework.objects.create(code="bench", name="Benchmark framework", version="2017")
    kloes = []
    for number in range(1, KLOES + 1):
        kloe = Kloe.objects.create(
            framework=framework,
            code=f"k{number}",
            number=number,
            title=f"Key line of enquiry {number}",
            question=f"How well does the trust use its resources, question {number}?",
        )
        for p in range(1, PROMPTS + 1):
            Prompt.objects.create(kloe=kloe, code=f"K{number}.{p}", number=p, text=SENTENCE)
        kloes.append(kloe)
    assessment = Assessment.objects.create(
        trust=trust,
        framework=framework,
        site_visit_date=datetime.date(2018, 6, 1),
        commentary_deadline=datetime.date(2018, 5, 1),
        status=Status.DRAFT_REPORT,
        lead=lead,
        created_by=lead,
    )
    prompts = list(Prompt.objects.filter(kloe__framework=framework).order_by("kloe", "number"))
    for index in range(EVIDENCE):
        prompt = prompts[index % len(prompts)]
        Evidence.objects.create(
            assessment=assessment,
            kloe_id=prompt.kloe_id,
            prompt=prompt,
            source="site_visit",
            finding="negative",
            text=f"Finding {index + 1}. " + SENTENCE * 3,
            created_by=lead,
            updated_by=lead,
        )
    for kloe in [*kloes, None]:
        KloeRating.objects.create(
            assessment=assessment, kloe=kloe, rating=3, rationale=SENTENCE * 4, updated_by=lead
        )
    for index in range(CHARTS):
        definition = MetricDefinition.objects.create(
            code=f"bench_{index}",
            name=f"Benchmark metric {index + 1}",
            area="finance",
            unit="percent",
            lower_is_better=False,
            frequency="monthly",
            source="Benchmark",
            rationale="Benchmark",
        )
        kloes[index % KLOES].metrics.add(definition)
        MetricValue.objects.bulk_create(
            MetricValue(
                trust=trust,
                metric=definition,
                period=datetime.date(2017 + (m // 12), m % 12 + 1, 1),
                value=(m * 7 + index) % 23 - 6.5,
            )
            for m in range(MONTHS)
        )
    return assessment


class _TextOnly(HTMLParser):
    """Collect the text of a page, one paragraph per block, leaving out charts and <head>."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "td", "th", "dt", "dd", "caption", "figcaption"}
    SKIPPED = {"svg", "head", "style"}

    def __init__(self):
        super().__init__()
        self.paragraphs, self.current, self.skipping = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in self.SKIPPED

    def handle_endtag(self, tag):
        self.skipping -= tag in self.SKIPPED
        if tag in self.BLOCKS and (text := " ".join("".join(self.current).split())):
            self.paragraphs.append(text)
        if tag in self.BLOCKS:
            self.current = []

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)


def plain_html(report_html: str) -> str:
    """The report's own words, as plain paragraphs: no stylesheet, no charts, no tables."""
    parser = _TextOnly()
    parser.feed(report_html)
    body = "".join(f"<p>{escape(text)}</p>" for text in parser.paragraphs)
    return f"<html lang='en-GB'><head><title>Plain</title></head><body>{body}</body></html>"


def time_plain(html: str) -> float:
    started = time.perf_counter()
    HTML(string=html).write_pdf()
    return time.perf_counter() - started


def time_report(assessment: Assessment) -> tuple[float, ReportVersion]:
    report = report_version_create(assessment=assessment, kind="draft", requested_by=None)
    started = time.perf_counter()
    report = report_render(report_id=report.pk)
    return time.perf_counter() - started, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    assessment = build_world()
    html = plain_html(report_html(assessment=assessment, kind="draft", version=1))
    HTML(string="<p>warm up</p>").write_pdf()  # fontconfig's first scan is not the report's
    plain_times, report_times, report = [], [], None
    for _ in range(args.repeat):  # alternating, so drift on the machine hits both alike
        plain_times.append(time_plain(html))
        seconds, report = time_report(assessment)
        report_times.append(seconds)
    plain, full = statistics.median(plain_times), statistics.median(report_times)
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    affinity = len(os.sched_getaffinity(0))
    now = datetime.datetime.now(datetime.UTC)
    print(f"## Rendering the assessment report (issue 7, item 3), {now:%Y-%m-%d %H:%M} UTC")
    print()
    print(
        f"Report: {KLOES} KLOEs x {PROMPTS} prompts, {EVIDENCE} evidence items, {CHARTS} metric "
        f"charts of {MONTHS} months; PDF {report.size:,} bytes."
    )
    print()
    print("| | what | median s | runs (s) | vs (a) |")
    print("| --- | --- | ---: | --- | ---: |")
    print(
        f"| (a) | plain WeasyPrint document, same text, no charts | {plain:.2f} | "
        f"{', '.join(f'{t:.2f}' for t in plain_times)} | 1.0x |"
    )
    print(
        f"| (b) | `report_render`: the report (PDF/UA-1, 30 SVG charts) | {full:.2f} | "
        f"{', '.join(f'{t:.2f}' for t in report_times)} | {full / plain:.2f}x |"
    )
    print()
    verdict = "met" if full < 10 and full < 3 * plain else "NOT met"
    print(f"Targets (b) < 10 s and (b) < 3x (a): **{verdict}**.")
    print()
    print(
        f'- Machine: nproc = {os.cpu_count()}, run on {affinity} core(s); CPU "{cpu}"; '
        f"Python {platform.python_version()}, WeasyPrint 70.0."
    )
    print(flush=True)


if __name__ == "__main__":
    main()
