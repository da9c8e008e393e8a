"""Say which report versions a user may see and which kind they may request now."""

from django.db.models import QuerySet
from django.http import Http404

from assessments import policies
from assessments.models import Assessment, Status
from metrics.models import User

from .models import ReportVersion


def report_kind_requestable(*, user: User, assessment: Assessment) -> str | None:
    """The kind of report `user` may request now, if any (policies.may_request_report says
    who): the draft at draft_report, the final report once finalised."""
    if not policies.may_request_report(user, assessment):
        return None
    if assessment.status == Status.DRAFT_REPORT:
        return ReportVersion.Kind.DRAFT
    return ReportVersion.Kind.FINAL


def report_versions_for_user(*, user: User, assessment: Assessment) -> QuerySet[ReportVersion]:
    """The versions `user` may see of an assessment they can see (the caller checked that).

    Staff who see the assessment see every version; a trust user sees ready drafts once the
    draft is shared (factual accuracy on) and ready final reports once finalised (before
    publication, embargoed until the publication date); never the internal decision record.
    """
    versions = assessment.reports.defer("pdf").select_related("requested_by")
    if policies.sees_every_report_version(user):
        return versions
    ready = versions.filter(status=ReportVersion.Status.READY).exclude(
        kind=ReportVersion.Kind.RECORD
    )
    if assessment.is_at_or_after(Status.FINALISED):
        return ready
    if policies.may_see_internal(user, assessment):  # the draft has been shared with the trust
        return ready.filter(kind=ReportVersion.Kind.DRAFT)
    return versions.none()


def report_version_get_for_user(*, user: User, assessment: Assessment, pk: int) -> ReportVersion:
    """One version the user may see, or 404 (a trust must not learn an unshared one exists)."""
    report = report_versions_for_user(user=user, assessment=assessment).filter(pk=pk).first()
    if report is None:
        raise Http404("No such report")
    return report


def published_reports(*, assessment_ids) -> dict[int, ReportVersion]:
    """The published final report of each of these assessments, by assessment id: public.

    The one place that says which version is the published one (the register, the trust's
    public page, the public download and the trust's home all ask here): the final version
    publishing marked and no later version has superseded. A superseding version that is
    still rendering has no PDF yet, so that assessment has none to offer until it is ready.
    """
    current = ReportVersion.objects.defer("pdf").filter(
        assessment_id__in=assessment_ids,
        assessment__status=Status.PUBLISHED,
        kind=ReportVersion.Kind.FINAL,
        status=ReportVersion.Status.READY,
        published_at__isnull=False,
        superseded_at__isnull=True,
    )
    return {version.assessment_id: version for version in current}


def published_report_get(*, assessment: Assessment) -> ReportVersion | None:
    """The published final report of `assessment`, or None (see published_reports)."""
    return published_reports(assessment_ids=[assessment.pk]).get(assessment.pk)
