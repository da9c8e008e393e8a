"""Work that survives its queue (core.jobs): with the broker down a request still answers
"queued", and the sweep sends the job once the broker is back; a dead worker's rows are
re-queued or failed with the reason shown; a job delivered twice runs once.

The tests about workers use the real Celery worker on the real Redis (celery_worker_process);
"the broker is down" is Celery pointed at a loopback port where nothing listens.
"""

import datetime
import socket
import time
from contextlib import contextmanager
from http import HTTPStatus
from io import StringIO

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.models import ReportVersion
from assessments.reports.services import report_fail, report_version_create
from assessments.tasks import report_render_task
from core.jobs import JOB_MAX_ATTEMPTS, WORKER_GAVE_UP, WORKERS_AWAY, job_kinds, jobs_sweep
from core.models import AbstractRenderedDocument
from metrics.models import DataLoad, MetricValue, Notification, PeerRecompute
from metrics.services.load_outcome import LOAD_STOPPED
from metrics.services.metric_values import metric_values_load_run
from metrics.tasks import data_load_task
from tests.assessments.test_reports import report_assessment  # noqa: F401 (a fixture)
from tests.conftest import _forget_celery_connections
from uor_site.celery import app

VALUES = (
    b"ods_code,metric_code,period,value\nRAA,ie_margin,2024-01,-1.2\nRAA,liquidity_days,2024-01,3\n"
)
LONG_AGO = datetime.timedelta(days=1)


@pytest.fixture
def assessment(report_assessment):  # noqa: F811 (the fixture imported above)
    """An assessment whose draft report renders (tests/assessments/test_reports.py)."""
    return report_assessment


def later() -> datetime.datetime:
    """A moment after the grace the sweep gives a queued row before sending it again."""
    return timezone.now() + datetime.timedelta(seconds=settings.UOR_QUEUED_GRACE_SECONDS + 1)


@contextmanager
def broker_down():
    """Point this process's Celery at a loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    previous = {key: app.conf[key] for key in ("broker_url", "result_backend")}
    dead = f"redis://127.0.0.1:{port}/0"
    app.conf.update(broker_url=dead, result_backend=dead)
    _forget_celery_connections(app)
    try:
        yield
    finally:
        app.conf.update(previous)
        _forget_celery_connections(app)


def wait_until_finished(model, pk: int, seconds: int = 90):
    deadline = time.monotonic() + seconds
    while True:
        row = model.objects.defer("content" if model is DataLoad else "pdf").get(pk=pk)
        if row.status in ("ready", "done", "failed"):
            return row
        assert time.monotonic() < deadline, f"{model.__name__} {pk} still {row.status}"
        time.sleep(0.3)


def stuck(row, attempts: int):
    """Leave `row` as a worker killed mid-job leaves it: running since long ago."""
    running = "rendering" if isinstance(row, ReportVersion) else "running"
    type(row).objects.filter(pk=row.pk).update(
        status=running, started_at=timezone.now() - LONG_AGO, attempts=attempts
    )


# The broker is down -----------------------------------------------------------------------


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_report_asked_for_while_redis_is_down_is_queued_then_rendered_once(
    client, assessment, assessor, celery_worker_process
):
    client.force_login(assessor)
    page_url = reverse("assessments:report_list", kwargs={"pk": assessment.pk})
    api_url = f"/api/v1/assessments/{assessment.pk}/reports/"
    with broker_down():
        page = client.post(page_url, follow=True)
        api = client.post(api_url)
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    assert "Draft report version 1 is queued" in text
    assert escape(WORKERS_AWAY) in text
    assert api.status_code == HTTPStatus.CREATED
    assert (api.json()["status"], api.json()["notice"]) == ("queued", WORKERS_AWAY)
    assert list(ReportVersion.objects.values_list("status", flat=True)) == ["queued"] * 2

    done = jobs_sweep(now=later())
    assert len(done["redispatched"]) == 2
    for report in ReportVersion.objects.all():
        report = wait_until_finished(ReportVersion, report.pk)
        assert (report.status, report.attempts) == ("ready", 1)
    assert ReportVersion.objects.count() == 2
    # Nothing is left for a later sweep: each version was rendered once.
    assert jobs_sweep(now=later())["redispatched"] == []


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_metric_upload_while_redis_is_down_is_queued_then_loaded_once(
    client, admin_user, trust, metric_definitions, celery_worker_process
):
    client.force_login(admin_user)
    with broker_down():
        page = client.post(
            reverse("metrics:metric_load"),
            {"file": SimpleUploadedFile("values.csv", VALUES)},
            follow=True,
        )
    assert page.status_code == HTTPStatus.OK
    assert "values.csv is queued for loading." in page.content.decode()
    assert escape(WORKERS_AWAY) in page.content.decode()
    load = DataLoad.objects.get()
    assert load.status == "queued"

    assert jobs_sweep(now=later())["redispatched"] == [f"metrics.dataload#{load.pk}"]
    load = wait_until_finished(DataLoad, load.pk)
    assert (load.status, load.attempts, load.created_count) == ("done", 1, 2)
    assert MetricValue.objects.count() == 2


# A worker that stopped ---------------------------------------------------------------------


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_render_left_by_a_dead_worker_is_queued_again_and_completes(
    assessment, celery_worker_process
):
    report = report_version_create(assessment=assessment, kind="draft", requested_by=None)
    stuck(report, attempts=1)

    done = jobs_sweep()
    assert done["requeued"] == done["redispatched"] == [f"assessments.reportversion#{report.pk}"]
    report = wait_until_finished(ReportVersion, report.pk)
    assert (report.status, report.attempts, report.error) == ("ready", 2, "")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_load_left_by_a_dead_worker_is_queued_again_and_saves_once(
    admin_user, trust, metric_definitions, celery_worker_process
):
    load = DataLoad.objects.create(
        kind="metrics", file_name="values.csv", content=VALUES, uploaded_by=admin_user
    )
    stuck(load, attempts=1)

    assert jobs_sweep()["requeued"] == [f"metrics.dataload#{load.pk}"]
    load = wait_until_finished(DataLoad, load.pk)
    assert (load.status, load.attempts, load.created_count) == ("done", 2, 2)
    assert MetricValue.objects.count() == 2


@pytest.mark.django_db
def test_a_load_whose_worker_stopped_after_saving_is_done_not_loaded_again(admin_user):
    load = DataLoad.objects.create(
        kind="metrics", file_name="values.csv", content=VALUES, uploaded_by=admin_user
    )
    # Its values committed with these counts; the worker stopped refreshing the scores.
    DataLoad.objects.filter(pk=load.pk).update(created_count=2, finished_at=timezone.now())
    stuck(load, attempts=1)

    assert jobs_sweep()["requeued"] == [f"metrics.dataload#{load.pk}"]  # run here, in-process
    load.refresh_from_db()
    assert (load.status, load.created_count, load.attempts) == ("done", 2, 2)
    assert not MetricValue.objects.exists()  # nothing was loaded a second time


@pytest.mark.django_db
def test_a_render_stopped_too_often_fails_with_the_reason_on_the_page(client, assessment, assessor):
    report = report_version_create(assessment=assessment, kind="draft", requested_by=None)
    stuck(report, attempts=JOB_MAX_ATTEMPTS)

    assert jobs_sweep()["failed"] == [f"assessments.reportversion#{report.pk}"]
    reason = WORKER_GAVE_UP.format(doing="rendering", attempts=JOB_MAX_ATTEMPTS)
    report.refresh_from_db()
    assert (report.status, report.error) == ("failed", reason)
    client.force_login(assessor)
    page = client.get(reverse("assessments:report_list", kwargs={"pk": assessment.pk}))
    assert reason in page.content.decode()


@pytest.mark.django_db
def test_a_load_stopped_too_often_fails_without_blaming_the_file(client, admin_user):
    load = DataLoad.objects.create(
        kind="metrics", file_name="values.csv", content=VALUES, uploaded_by=admin_user
    )
    stuck(load, attempts=JOB_MAX_ATTEMPTS)

    assert jobs_sweep()["failed"] == [f"metrics.dataload#{load.pk}"]
    client.force_login(admin_user)
    page = client.get(reverse("metrics:data_load_detail", kwargs={"pk": load.pk}))
    text = " ".join(page.content.decode().split())
    assert "Nothing was loaded </h2>" in text
    assert WORKER_GAVE_UP.format(doing="loading", attempts=JOB_MAX_ATTEMPTS) in text


@pytest.mark.django_db
def test_the_sweep_leaves_fresh_rows_and_command_line_loads_alone(assessment):
    report = report_version_create(assessment=assessment, kind="draft", requested_by=None)
    ReportVersion.objects.filter(pk=report.pk).update(
        status="rendering", started_at=timezone.now(), attempts=1
    )
    DataLoad.objects.create(kind="metrics", file_name="big.csv", content=b"", status="running")
    assert jobs_sweep() == {"redispatched": [], "not_sent": [], "requeued": [], "failed": []}
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("rendering", 1)


# Delivered twice, run once -----------------------------------------------------------------


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_render_delivered_twice_renders_once(assessment, celery_worker_process):
    report = report_version_create(assessment=assessment, kind="draft", requested_by=None)
    first = report_render_task.delay(report.pk)
    second = report_render_task.delay(report.pk)
    assert first.get(timeout=90)["status"] == second.get(timeout=90)["status"] == "ready"
    report.refresh_from_db()
    rendered = (report.sha256, report.finished_at, report.attempts)
    assert rendered[2] == 1

    report_render_task.delay(report.pk).get(timeout=60)
    report.refresh_from_db()
    assert (report.sha256, report.finished_at, report.attempts) == rendered
    assert ReportVersion.objects.count() == 1


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_row_a_live_worker_holds_is_not_taken_by_a_second_delivery(
    assessment, admin_user, celery_worker_process
):
    report = report_version_create(assessment=assessment, kind="draft", requested_by=None)
    ReportVersion.objects.filter(pk=report.pk).update(
        status="rendering", started_at=timezone.now(), attempts=1
    )
    values = MetricValue.objects.count()
    assert report_render_task.delay(report.pk).get(timeout=60)["status"] == "rendering"
    load = DataLoad.objects.create(
        kind="metrics", file_name="values.csv", content=VALUES, uploaded_by=admin_user
    )
    DataLoad.objects.filter(pk=load.pk).update(
        status="running", started_at=timezone.now(), attempts=1
    )
    assert data_load_task.delay(load.pk).get(timeout=60)["status"] == "running"
    assert ReportVersion.objects.get().attempts == DataLoad.objects.get().attempts == 1
    assert MetricValue.objects.count() == values


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_load_delivered_twice_saves_once(
    admin_user, trust, metric_definitions, celery_worker_process
):
    load = DataLoad.objects.create(
        kind="metrics", file_name="values.csv", content=VALUES, uploaded_by=admin_user
    )
    first = data_load_task.delay(load.pk)
    second = data_load_task.delay(load.pk)
    results = [first.get(timeout=60), second.get(timeout=60)]
    assert results == [{"status": "done", "created": 2, "updated": 0}] * 2
    load.refresh_from_db()
    assert load.attempts == 1
    assert MetricValue.objects.count() == 2


def test_every_kind_of_job_row_is_known_to_the_sweep():
    rendered = {model for model in apps.get_models() if issubclass(model, AbstractRenderedDocument)}
    assert len(rendered) >= 2
    assert {kind.model for kind in job_kinds()} == rendered | {DataLoad, PeerRecompute}


# Time limits --------------------------------------------------------------------------------


def test_the_visibility_timeout_outlasts_every_task_and_the_sweep_margin():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    limits = {
        name: task.time_limit or app.conf.task_time_limit
        for name, task in app.tasks.items()
        if not name.startswith("celery.")
    }
    assert limits["assessments.tasks.report_render_task"]
    assert limits["wellled.tasks.self_review_render_task"]
    assert limits["metrics.tasks.data_load_task"]
    for name, limit in limits.items():
        if limit:
            assert visibility > limit + settings.UOR_JOB_MARGIN_SECONDS, name
        soft = app.tasks[name].soft_time_limit
        assert soft is None or soft < limit, name


@pytest.mark.django_db
def test_a_load_out_of_time_fails_naming_its_step_and_saves_nothing(
    admin_user, trust, metric_definitions
):
    load = DataLoad.objects.create(
        kind="metrics", file_name="values.csv", content=VALUES, uploaded_by=admin_user
    )

    def soft_limit_at_saving(percent: int, stage: str) -> None:
        # Where Celery's soft limit lands in a load that is too big: inside the write.
        if stage == "Saving":
            raise SoftTimeLimitExceeded

    load, result = metric_values_load_run(load=load, progress=soft_limit_at_saving)
    load.refresh_from_db()
    minutes = settings.UOR_LOAD_TIME_LIMIT // 60
    assert (load.status, result) == ("failed", None)
    assert load.errors == [LOAD_STOPPED.format(step="Saving", duration=f"{minutes} minutes")]
    assert not MetricValue.objects.exists()


# The command --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sweep_jobs_prints_what_it_did(assessment):
    out = StringIO()
    call_command("sweep_jobs", stdout=out)
    assert out.getvalue() == "Nothing to do: no job is stuck or waiting.\n"

    report = report_version_create(assessment=assessment, kind="draft", requested_by=None)
    stuck(report, attempts=JOB_MAX_ATTEMPTS)
    out = StringIO()
    call_command("sweep_jobs", stdout=out)
    assert out.getvalue() == (
        f"Worker stopped too often; marked failed: 1 (assessments.reportversion#{report.pk})\n"
    )


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_people_are_told_of_a_hand_over_made_while_redis_is_down(assessment, celery_worker_process):
    # A hand-over's notifications have no row for the sweep to send later, so they are
    # delivered in the request's process when the broker cannot be reached.
    report = ReportVersion.objects.create(
        assessment=assessment, kind="draft", number=1, requested_by=assessment.lead
    )
    with broker_down():
        report_fail(report_id=report.pk, error="The renderer ran out of memory")
    told = Notification.objects.filter(event="report_failed", user=assessment.lead)
    assert told.count() == 1
    assert any(assessment.lead.email in message.to for message in mail.outbox)
