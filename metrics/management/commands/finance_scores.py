"""`manage.py finance_scores --period YYYY-MM [--trust ODS] --format table|csv|json`."""

import datetime
import json
import re

from django.core.management.base import BaseCommand, CommandError

from core.csv_export import Writer
from metrics.models import FinanceScore, ModerationStatus
from metrics.models.scores import SOF_METRIC_CODES
from metrics.services.finance_scores import (
    CSV_COLUMNS,
    MISSING_NOTE,
    finance_score_row,
    finance_scores_refresh,
)

BAD_PERIOD = "--period must be a month written YYYY-MM, not {value!r}"
NO_SCORES = "No finance scores for {period}{trust}: load the SOF metric values first."


class Command(BaseCommand):
    help = (
        "Print the SOF finance score of every trust (or one) for a month. The five metric "
        "columns hold each metric's 1-4 score; a trust missing a metric has no overall score "
        "and the output names the missing metric. The score is NHS Improvement's decision "
        "where it has decided, else the rules' proposed moderation (the status column says "
        "which). --refresh recomputes the month first, keeping the decisions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the month, YYYY-MM")
        parser.add_argument("--trust", default="", help="one trust's ODS code")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--refresh", action="store_true", help="recompute the month first")

    def handle(self, *args, period: str, trust: str, format: str, refresh: bool, **options):
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
            raise CommandError(BAD_PERIOD.format(value=period))
        month = datetime.date.fromisoformat(f"{period}-01")
        if refresh:
            finance_scores_refresh(periods=[month])
        scores = FinanceScore.objects.filter(period=month).select_related("trust", "decision")
        if trust:
            scores = scores.filter(trust__ods_code=trust)
        scores = list(scores.order_by("trust__ods_code"))
        if not scores:
            raise CommandError(
                NO_SCORES.format(period=period, trust=f" for {trust}" if trust else "")
            )
        rows = [finance_score_row(score=score) for score in scores]
        notes = [
            MISSING_NOTE.format(ods_code=s.trust.ods_code, period=period, metrics=s.missing_metrics)
            for s in scores
            if s.missing_metrics
        ]
        if format == "csv":
            writer = Writer(self.stdout, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            writer.writerows([row[column] for column in CSV_COLUMNS] for row in rows)
            for note in notes:  # the CSV keeps its exact columns; the notes go to stderr
                self.stderr.write(note)
        elif format == "json":
            data = [
                {
                    **{key: (None if value == "" else value) for key, value in row.items()},
                    "average": None if s.average is None else float(s.average),
                    "period": period,
                    "missing_metrics": s.missing_metrics.split(", ") if s.missing_metrics else [],
                    "moderation": s.moderation,
                }
                for row, s in zip(rows, scores, strict=True)
            ]
            self.stdout.write(json.dumps(data, indent=2))
        else:
            self._table(rows, scores)

    def _table(self, rows, scores):
        headings = ["ODS", "CSC", "Liq", "I&E", "Plan", "Agency", "Avg", "Overall", "Score"]
        widths = [8, 4, 4, 4, 5, 7, 5, 8, 6]
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(headings, widths, strict=True)))
        for row, score in zip(rows, scores, strict=True):
            cells = [row["ods_code"], *(row[c] for c in SOF_METRIC_CODES)]
            cells += [row["average"], row["overall"], row["moderated"]]
            line = "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))
            if score.missing_metrics:
                line += f"  no score: missing {score.missing_metrics}"
            elif score.moderation_status != ModerationStatus.NONE:
                line += f"  {score.moderation_status.label}"
                line += f": {score.moderation}" if score.moderation else ""
            self.stdout.write(line.rstrip())
