"""The self-review as a PDF: queued on request, rendered by a Celery task, served checked.

The same shape as assessments.reports: a request makes a queued SelfReviewReport and queues
`self_review_render_task` after the commit; `self_review_report_render` is safe to run twice
and never changes a ready version. WeasyPrint runs with the assessments app's locked-down
URL fetcher (our static files and data: URIs only).
"""

import hashlib

from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.report_pdf import html_to_pdf
from metrics.models import User

from .models import SelfReview, SelfReviewReport

TEMPLATE = "reports/wellled_self_review.html"
REPORT_NOT_READY = "The PDF {report} is not ready to download."
REPORT_CHECKSUM_MISMATCH = (
    "The PDF {report} does not match its SHA-256 checksum; it was not served. Request a new one."
)
ERROR_MAX_LENGTH = 2000


class ReportCorrupted(Exception):
    """The stored bytes are not ready or no longer match their checksum."""


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
    from .tasks import self_review_render_task

    SelfReview.objects.select_for_update().only("pk").get(pk=review.pk)
    last = review.reports.aggregate(last=Max("number"))["last"] or 0
    report = SelfReviewReport(review=review, number=last + 1, requested_by=user)
    report.full_clean()
    report.save()
    transaction.on_commit(lambda: self_review_render_task.delay(report.pk))
    return report


def self_review_report_render(*, report_id: int) -> SelfReviewReport:
    """Render version `report_id` unless it is ready; store the bytes and their SHA-256."""
    with transaction.atomic():
        report = SelfReviewReport.objects.select_for_update().get(pk=report_id)
        if report.status == SelfReviewReport.Status.READY:
            return report
        report.status = SelfReviewReport.Status.RENDERING
        report.started_at = timezone.now()
        report.attempts += 1
        report.save(update_fields=["status", "started_at", "attempts"])
    # NOTE: rendered outside any transaction, so no row stays locked while WeasyPrint works.
    try:
        pdf = html_to_pdf(self_review_html(review=report.review, version=report.number))
    except Exception as error:
        SelfReviewReport.objects.filter(pk=report_id).exclude(status="ready").update(
            status=SelfReviewReport.Status.QUEUED, error=_error_text(error)
        )
        raise
    with transaction.atomic():
        report = SelfReviewReport.objects.select_for_update().get(pk=report_id)
        if report.status == SelfReviewReport.Status.READY:
            return report
        report.pdf = pdf
        report.size = len(pdf)
        report.sha256 = hashlib.sha256(pdf).hexdigest()
        report.status = SelfReviewReport.Status.READY
        report.error = ""
        report.finished_at = timezone.now()
        report.save()
    return report


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]


def self_review_report_fail(*, report_id: int, error: BaseException) -> None:
    SelfReviewReport.objects.filter(pk=report_id).exclude(status="ready").update(
        status=SelfReviewReport.Status.FAILED,
        error=_error_text(error),
        finished_at=timezone.now(),
    )


def self_review_report_download(*, report: SelfReviewReport) -> bytes:
    if report.status != SelfReviewReport.Status.READY:
        raise ReportCorrupted(REPORT_NOT_READY.format(report=report.number))
    pdf = bytes(SelfReviewReport.objects.filter(pk=report.pk).values_list("pdf", flat=True).get())
    if hashlib.sha256(pdf).hexdigest() != report.sha256:
        raise ReportCorrupted(REPORT_CHECKSUM_MISMATCH.format(report=report.number))
    return pdf
