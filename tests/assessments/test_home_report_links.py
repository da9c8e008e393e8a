"""The trust's home links straight to its reports: the draft to check, the published one."""

import datetime
import hashlib
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.home import home_tasks_for
from assessments.models import FactualAccuracyDeadline, PublishedRating, ReportVersion, Status
from tests.assessments.page_helpers import set_status, signed_in, url
from tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def ready(assessment, kind, number) -> ReportVersion:
    return ReportVersion.objects.create(
        assessment=assessment,
        kind=kind,
        number=number,
        status="ready",
        pdf=PDF_BYTES,
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        # Publishing marks the final version it publishes (the one the public reads).
        published_at=timezone.now() if kind == "final" else None,
    )


def task_url(user, title: str) -> str:
    return next(task.url for task in home_tasks_for(user=user) if task.title.startswith(title))


@pytest.fixture
def shared(assessment, people):
    FactualAccuracyDeadline.objects.create(
        assessment=assessment,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        reason="Ten working days",
        set_by=people["lead"],
    )
    return set_status(assessment, Status.FACTUAL_ACCURACY)


def test_check_the_draft_opens_the_newest_ready_draft(shared, people):
    trust = people["trust"]
    assert task_url(trust, "Check the draft report") == url("report_list", shared)
    ready(shared, "draft", 1)
    newest = ready(shared, "draft", 2)
    ready(shared, "record", 1)

    link = task_url(trust, "Check the draft report")

    assert link == url("report_download", shared, report_pk=newest.pk)
    assert signed_in(trust).get(link).status_code == HTTPStatus.OK
    assert task_url(trust, "Raise a factual-accuracy challenge") == url("challenge_list", shared)


def test_read_your_published_report_opens_the_published_final_version(assessment, people):
    set_status(assessment, Status.PUBLISHED)
    PublishedRating.objects.create(
        assessment=assessment,
        version=1,
        rating=2,
        published_by=people["lead"],
        published_at=timezone.now(),
    )
    trust = people["trust"]
    assert task_url(trust, "Read your published") == url("report_list", assessment)
    ready(assessment, "final", 1)

    link = task_url(trust, "Read your published")

    assert link == reverse(
        "assessments:published_report", kwargs={"ods_code": "RAA", "pk": assessment.pk}
    )
    assert signed_in(trust).get(link).status_code == HTTPStatus.OK
    assert task_url(trust, "Ask for a review") == url("review_request", assessment)
