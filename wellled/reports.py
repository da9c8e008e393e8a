"""The self-review as a PDF: queued on request, rendered by a Celery task, served checked.

The same shape as assessments.reports: a request makes a queued SelfReviewReport and queues
`self_review_render_task` after the commit; rendering, failing and the checked download are
core.documents', and WeasyPrint runs with core.pdf's locked-down URL fetcher.
"""

from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from core.documents import document_download, document_fail, document_render
from core.pdf import html_to_pdf
from core.tasks import queue_on_commit
from metrics.models import User

from .models import SelfReview, SelfReviewReport

TEMPLATE = "reports/wellled_self_review.html"
REPORT_NOT_READY = "The PDF {report} is not ready to download."
REPORT_CHECKSUM_MISMATCH = (
    "The PDF {report} does not match its SHA-256 checksum; it was not served. Request a new one."
)


def self_review_html(*, review: SelfReview, version: int | None = None) -> str:
    review = SelfReview.objects.select_related("trust", "framework", "scheme").get(pk=review.pk)
    entries = list(review.entries.select_related("kloe", "priority").order_by("kloe__number"))
    files: dict[int, list] = {}
    for attachment in review.attachments.all():
        files.setdefault(attachment.kloe_id, []).append(attachment)
    for entry in entries:
        entry.files = files.get(entry.kloe_id, [])
    return render_to_string(
        TEMPLATE,
        {
            "review": review,
            "trust": review.trust,
            "entries": entries,
            "levels": list(review.scheme.levels.all()),
            "version": version,
            "generated_at": timezone.localtime(),
            "title": f"Well-led board self-review: {review.trust.name}",
        },
    )


@transaction.atomic
def self_review_report_request(*, review: SelfReview, user: User) -> SelfReviewReport:
    """Queue a new PDF version; anyone who may see the review may ask for one."""
    SelfReview.objects.select_for_update().only("pk").get(pk=review.pk)
    last = review.reports.aggregate(last=Max("number"))["last"] or 0
    report = SelfReviewReport(review=review, number=last + 1, requested_by=user)
    report.full_clean()
    report.save()
    # The page warns if the send fails (core.jobs.workers_away); the sweep sends it later.
    report.job_dispatch = queue_on_commit("wellled.tasks.self_review_render_task", report.pk)
    return report


def self_review_report_render(*, report_id: int) -> SelfReviewReport:
    """Render version `report_id` unless it is ready (see core.documents)."""
    return document_render(model=SelfReviewReport, pk=report_id, render=_pdf)


def _pdf(report: SelfReviewReport) -> bytes:
    return html_to_pdf(self_review_html(review=report.review, version=report.number))


def self_review_report_fail(*, report_id: int, error: BaseException | str) -> None:
    document_fail(model=SelfReviewReport, pk=report_id, error=error)


def self_review_report_download(*, report: SelfReviewReport) -> bytes:
    return document_download(
        document=report,
        not_ready=REPORT_NOT_READY.format(report=report.number),
        mismatch=REPORT_CHECKSUM_MISMATCH.format(report=report.number),
    )
