"""Faults an unlucky operator meets, against the production shape (scripts/production_shape.sh):
gunicorn with the production settings, two Celery workers and beat, on their own PostgreSQL
and Redis, so stopping those cannot disturb the rest of the suite.

Users act over HTTP as a browser behind the HTTPS proxy would (a second factor is forced in
production: each user gets an authenticator through `manage.py shell` and signs in with a
code from it); what was saved is read from the shape's database. The job sweep runs every
2 s here and gives a render or load 30 s (FAST_SWEEP=1) instead of production's minutes.
docs/reliability.md lists what each test shows.
"""

import html
import os
import random
from http import HTTPStatus
from pathlib import Path

import pytest

from core.jobs import WORKERS_AWAY

from .shape import Browser, Shape, wait_until

pytestmark = [pytest.mark.xdist_group("faults"), pytest.mark.faults]

FINALISED = 7  # the demo assessment that is finalised: CQC may ask for its final report
REPORTS = f"/assessments/{FINALISED}/reports/"
# Time for the sweep to notice a job that lost its worker (the 30 s limit of FAST_SWEEP, the
# settings' grace and margin, a 2 s sweep) and for the job to run again on a busy machine.
RECOVERY_SECONDS = 300


@pytest.fixture(scope="module")
def shape(tmp_path_factory):
    if os.environ.get("UOR_SHAPE_DIR"):  # one already started by hand, left running after
        running = Shape(Path(os.environ["UOR_SHAPE_DIR"]))
        running.reload_env()
        yield running
        return
    running = Shape(tmp_path_factory.mktemp("production-shape"))
    try:
        running.start(fast_sweep=True)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def cqc(shape):
    """The demo CQC reviewer, signed in with password and authenticator code."""
    key = shape.user_with_authenticator("cqc")
    browser = Browser(shape.env["WEB_URL"])
    browser.sign_in("cqc", "demo-cqc-pass-2026", key)
    return browser


@pytest.fixture(scope="module")
def admin(shape):
    key = shape.user_with_authenticator("admin")
    browser = Browser(shape.env["WEB_URL"])
    browser.sign_in("admin", "demo-admin-pass-2026", key)
    return browser


def _reports(shape) -> list[tuple[int, int, str, int]]:
    """(id, number, status, attempts) of the final reports of the finalised assessment."""
    return shape.query(
        "SELECT id, number, status, attempts FROM assessments_reportversion "
        "WHERE assessment_id = %s AND kind = 'final' ORDER BY number",
        (FINALISED,),
    )


def _request_report(browser) -> str:
    """Ask for the final report as CQC does on the reports page; return the page after."""
    answer = browser.post(REPORTS)
    assert answer.status == HTTPStatus.FOUND, answer.text[:3000]
    page = browser.follow(answer)
    assert page.status == HTTPStatus.OK
    return page.text


def _all_ready(shape, ids: set[int]):
    rows = [row for row in _reports(shape) if row[0] in ids]
    return rows if all(row[2] == "ready" for row in rows) else None


def _assert_each_once(shape, before, new_ids: set[int]) -> None:
    """Every request made one version, each ready, numbered one after the other."""
    after = _reports(shape)
    assert len(after) == len(before) + len(new_ids)
    assert {row[0] for row in after} - {row[0] for row in before} == new_ids
    numbers = [row[1] for row in after]
    assert numbers == list(range(1, len(after) + 1))  # no version twice, none skipped
    assert all(row[2] == "ready" for row in after)


def test_postgresql_restart_costs_no_request(shape, cqc):
    assert cqc.get(REPORTS).status == HTTPStatus.OK

    shape.restart_postgres()

    # Both gunicorn workers kept a connection to the old server: every one of these requests
    # lands on one of them, and each must reconnect rather than answer 500.
    for _ in range(6):
        page = cqc.get(REPORTS)
        assert page.status == HTTPStatus.OK
        assert "Final report" in page.text
    assert cqc.get("/health/").status == HTTPStatus.OK


def test_redis_outage_queues_the_report_and_it_renders_once_when_redis_is_back(shape, cqc):
    before = _reports(shape)
    shape.stop_redis()
    try:
        page = _request_report(cqc)  # no 500: the page says the report is queued
        assert html.escape(WORKERS_AWAY) in page
        new = [row for row in _reports(shape) if row not in before]
        assert [row[2] for row in new] == ["queued"]  # saved, waiting for the workers
    finally:
        shape.start_redis()

    wait_until(
        lambda: _all_ready(shape, {new[0][0]}),
        timeout=RECOVERY_SECONDS,
        what="the report queued while Redis was down rendering",
    )
    _assert_each_once(shape, before, {new[0][0]})


def test_reports_rendered_in_production_find_their_stylesheet(shape):
    # Under the production settings `{% static %}` gives hashed names that only the
    # collected folder holds; the PDF fetcher once looked for them among the sources only.
    logs = "".join(path.read_text() for path in (shape.folder / "log").glob("*.log"))
    assert "Failed to load stylesheet" not in logs
    assert shape.value("SELECT count(*) FROM assessments_reportversion WHERE status = 'ready'")


def test_worker_killed_mid_render_the_report_completes_once(shape, cqc):
    before = _reports(shape)
    for _ in range(4):
        _request_report(cqc)
    new_ids = {row[0] for row in _reports(shape)} - {row[0] for row in before}
    assert len(new_ids) == 4

    killed = None
    for _ in range(8):  # catch one of them mid-render: a render takes about a second
        wait_until(
            lambda: [r for r in _reports(shape) if r[0] in new_ids and r[2] == "rendering"],
            timeout=60,
            interval=0.05,
            what="a requested report rendering",
        )
        # NOTE: both workers die at once, as when their host goes: asking which one holds the
        # render takes a second, by which time the render is often done.
        shape.kill_workers_now()
        killed = [r[0] for r in _reports(shape) if r[0] in new_ids and r[2] == "rendering"]
        for worker in (1, 2):
            shape.restart_worker(worker)
        if killed:
            break
    assert killed, "could not catch a report mid-render"

    wait_until(
        lambda: _all_ready(shape, new_ids),
        timeout=RECOVERY_SECONDS,
        what="every requested report ready after the workers were killed",
    )
    _assert_each_once(shape, before, new_ids)
    attempts = shape.value(
        "SELECT attempts FROM assessments_reportversion WHERE id = %s", (killed[0],)
    )
    assert attempts >= 2  # it was taken again after its worker died
    print(f"report {killed[0]} killed mid-render, ready after {attempts} attempts")
    page = cqc.get(REPORTS)
    assert page.status == HTTPStatus.OK
    assert "Rendering" not in page.text


def _values_file(shape, rows: int) -> tuple[bytes, int]:
    """A valid metric values CSV of about `rows` rows for trusts made for it (0/1 values
    suit every metric, flags too), none of which the database holds yet."""
    shape.shell(
        "from metrics.models import Trust\n"
        "Trust.objects.bulk_create([Trust(ods_code=f'F{n:03d}', name=f'Fault Trust {n} NHS Trust',"
        " trust_type='acute', region='London') for n in range(230)], ignore_conflicts=True)\n"
    )
    codes = [row[0] for row in shape.query("SELECT code FROM metrics_metricdefinition")]
    trusts = [f"F{n:03d}" for n in range(230)]
    months = -(-rows // (len(trusts) * len(codes)))
    rng = random.Random(15)
    lines = ["ods_code,metric_code,period,value"]
    for month in range(months):
        period = f"{1900 + month // 12}-{month % 12 + 1:02d}"
        lines.extend(
            f"{trust},{code},{period},{rng.randint(0, 1)}" for trust in trusts for code in codes
        )
    return ("\n".join(lines) + "\n").encode(), len(lines) - 1


def _load(shape, load_id: int) -> tuple[str, int, int, str]:
    return shape.query(
        "SELECT status, progress, created_count, errors::text FROM metrics_dataload WHERE id = %s",
        (load_id,),
    )[0]


def test_metric_load_killed_half_way_saves_nothing_and_says_so(shape, admin):
    content, rows = _values_file(shape, 400_000)
    count = "SELECT count(*) FROM metrics_metricvalue"
    before = shape.value(count)

    answer = admin.post(
        "/metric-values/load/", files={"file": ("interrupted.csv", content, "text/csv")}
    )
    assert answer.status == HTTPStatus.FOUND, answer.text[:3000]
    load_id = int(answer.location.rstrip("/").rsplit("/", 1)[1])

    wait_until(
        # NOTE: while reading, checking and comparing (below 50 %) nothing is written yet; once
        # saving starts the copy and commit can finish in the moment a kill takes to land.
        lambda: (lambda row: row[0] == "running" and 10 <= row[1] < 50)(_load(shape, load_id)),
        timeout=90,
        interval=0.05,
        what="the load running half-way",
    )
    # Both workers die at once, as when their host goes (asking which one holds the load
    # takes a second, by which time it may have committed).
    shape.kill_workers_now()
    status, progress, *_ = _load(shape, load_id)
    assert status == "running", "the load finished before the kill: make the file larger"
    assert shape.value(count) == before  # nothing of the file's rows is saved
    for worker in (1, 2):
        shape.restart_worker(worker)

    def finished():
        assert shape.value(count) in (before, before + rows)  # never part of the file
        return _load(shape, load_id)[0] in ("done", "failed")

    wait_until(finished, timeout=RECOVERY_SECONDS, what="the interrupted load finishing")
    status, _, created, errors = _load(shape, load_id)
    page = admin.get(f"/loads/{load_id}/")
    assert page.status == HTTPStatus.OK
    print(f"load {load_id} of {rows} rows, killed at {progress}%: {status} {created} {errors}")
    if status == "failed":  # given up: nothing saved, and the page says why
        assert shape.value(count) == before
        assert errors != "[]"
        assert "Nothing was loaded" in page.text
    else:  # run again from the start: every row once
        assert shape.value(count) == before + rows
        assert created == rows
        assert f"{rows} created" in page.text
