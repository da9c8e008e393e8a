"""Read the self-reviews a user may see (their trust's, or every trust's for staff), with
their entries, files and PDFs; anything else is a 404."""

from django.db.models import QuerySet
from django.http import Http404

from metrics.models import User
from metrics.selectors import trusts_visible_to

from ..models.self_reviews import SelfReview, SelfReviewAttachment, SelfReviewReport


def self_reviews_visible_to(*, user: User) -> QuerySet[SelfReview]:
    return SelfReview.objects.filter(trust__in=trusts_visible_to(user=user)).select_related(
        "trust", "scheme", "framework"
    )


def self_review_get_for_user(*, user: User, pk: int) -> SelfReview:
    review = self_reviews_visible_to(user=user).filter(pk=pk).first()
    if review is None:
        raise Http404("No such self-review")
    return review


def self_review_entries(*, review: SelfReview):
    """The entries in KLOE order, each with its files as `files`."""
    entries = list(review.entries.select_related("kloe", "priority", "updated_by"))
    files: dict[int, list[SelfReviewAttachment]] = {}
    for attachment in review.attachments.all():
        files.setdefault(attachment.kloe_id, []).append(attachment)
    for entry in entries:
        entry.files = files.get(entry.kloe_id, [])
    return entries


def self_review_attachment_get(*, review: SelfReview, pk: int) -> SelfReviewAttachment:
    attachment = review.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404("No such file")
    return attachment


def self_review_report_get(*, review: SelfReview, pk: int) -> SelfReviewReport:
    report = review.reports.defer("pdf").filter(pk=pk).first()
    if report is None:
        raise Http404("No such PDF")
    return report
