"""Request, render and serve report versions: each rendered once and served intact.

Which final version is published is kept here too: publishing marks the latest ready one,
and a review that changes the rating makes a new one that supersedes it.

A request makes a queued ReportVersion and queues `report_render_task` after the commit.
The task calls `report_render`, which is safe to run twice: it never makes a version (only
`report_version_create` does) and never changes a ready one.
"""

import datetime

from django.db import transaction
from django.db.models import Max

from assessments import policies
from assessments.models import Assessment
from assessments.notifications import notify_on_commit
from core.documents import document_download, document_fail, document_render
from core.tasks import queue_on_commit
from metrics.models import User

from .content import report_pdf
from .models import ReportVersion
from .record import record_pdf
from .selectors import report_kind_requestable

REPORT_KIND_UNKNOWN = "There is no report kind called {kind!r}."
REPORT_CHECKSUM_MISMATCH = (
    "Report {report} does not match its SHA-256 checksum; it was not served. Request a new version."
)
REPORT_NOT_READY = "Report {report} is not ready to download."


class ReportRefused(Exception):
    """There is no such kind of report; the message says so."""


# Writes --------------------------------------------------------------------------------


@transaction.atomic
def report_version_create(
    *, assessment: Assessment, kind: str, requested_by: User | None
) -> ReportVersion:
    """A queued version with the next number for this assessment and kind."""
    if kind not in ReportVersion.Kind.values:
        raise ReportRefused(REPORT_KIND_UNKNOWN.format(kind=kind))
    # Lock the assessment so two requests at once cannot take the same number.
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    last = assessment.reports.filter(kind=kind).aggregate(last=Max("number"))["last"] or 0
    report = ReportVersion(
        assessment=assessment, kind=kind, number=last + 1, requested_by=requested_by
    )
    report.full_clean()
    report.save()
    return report


def report_request(*, assessment: Assessment, user: User) -> ReportVersion:
    """Queue the report `user` may request now; the worker starts once this commits."""
    policies.may_request_report(user, assessment).enforce()
    kind = report_kind_requestable(user=user, assessment=assessment)
    with transaction.atomic():
        report = report_version_create(assessment=assessment, kind=kind, requested_by=user)
        # The page warns if the send fails (core.jobs.workers_away); the sweep sends it later.
        report.job_dispatch = queue_on_commit("assessments.tasks.report_render_task", report.pk)
    return report


def record_request(*, assessment: Assessment, user: User) -> ReportVersion:
    """Queue a PDF of the internal decision record, for staff who may read it."""
    policies.may_read_record(user, assessment).enforce()
    with transaction.atomic():
        report = report_version_create(
            assessment=assessment, kind=ReportVersion.Kind.RECORD, requested_by=user
        )
        report.job_dispatch = queue_on_commit("assessments.tasks.report_render_task", report.pk)
    return report


@transaction.atomic
def final_report_publish(*, assessment: Assessment, now: datetime.datetime) -> ReportVersion | None:
    """Mark the latest ready final version as the one published (none if none is ready)."""
    latest = (
        assessment.reports.filter(kind=ReportVersion.Kind.FINAL, status=ReportVersion.Status.READY)
        .order_by("-number")
        .first()
    )
    if latest is not None:
        latest.published_at = now
        latest.save(update_fields=["published_at"])
    return latest


@transaction.atomic
def final_report_supersede(
    *, assessment: Assessment, actor: User, now: datetime.datetime
) -> ReportVersion:
    """A new final version after a review request changed the rating: it becomes the
    published one; the one it replaces keeps its published_at and is marked superseded.

    NOTE: the new version is marked published while it is still queued: the register must
    never show the old rating's report as current, and the render follows within seconds.
    """
    assessment.reports.filter(published_at__isnull=False, superseded_at__isnull=True).update(
        superseded_at=now
    )
    report = report_version_create(
        assessment=assessment, kind=ReportVersion.Kind.FINAL, requested_by=actor
    )
    report.published_at = now
    report.save(update_fields=["published_at"])
    queue_on_commit("assessments.tasks.report_render_task", report.pk)
    return report


def report_render(*, report_id: int) -> ReportVersion:
    """Render version `report_id` unless it is already ready (see core.documents), then
    tell the requester and the team (the key makes a second run tell nobody again)."""
    report = document_render(model=ReportVersion, pk=report_id, render=_pdf)
    if report.status == ReportVersion.Status.READY:
        event = "final_report_ready" if report.kind == ReportVersion.Kind.FINAL else "report_ready"
        _report_notify(report, event)
    return report


def _report_notify(report: ReportVersion, event: str) -> None:
    # NOTE: the internal decision record is asked for by one person; only they are told.
    named = [report.requested_by] if report.requested_by else []
    if report.kind == ReportVersion.Kind.RECORD and event == "report_ready":
        event = "record_ready"
    notify_on_commit(
        event, report.assessment, users=named, key=f"{event}:{report.pk}", note=str(report)
    )


def _pdf(report: ReportVersion) -> bytes:
    # The internal decision record has its own template and content (reports/record.py).
    if report.kind == ReportVersion.Kind.RECORD:
        return record_pdf(assessment=report.assessment)
    return report_pdf(assessment=report.assessment, kind=report.kind, version=report.number)


def report_fail(*, report_id: int, error: BaseException | str) -> None:
    """Mark the version failed with its error, once the retries are spent."""
    document_fail(model=ReportVersion, pk=report_id, error=error)
    report = ReportVersion.objects.select_related("assessment").filter(pk=report_id).first()
    if report is not None and report.status == ReportVersion.Status.FAILED:
        _report_notify(report, "report_failed")


# Reads ---------------------------------------------------------------------------------


def report_download(*, report: ReportVersion) -> bytes:
    """The version's bytes, after checking them against the SHA-256 stored with them."""
    return document_download(
        document=report,
        not_ready=REPORT_NOT_READY.format(report=report),
        mismatch=REPORT_CHECKSUM_MISMATCH.format(report=report),
    )
