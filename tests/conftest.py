"""Shared fixtures: users of each role, a real Celery worker on the test Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from metrics.models import Role
from tests.factories import TrustFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# the database calls the tests make beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """An empty throwaway MEDIA_ROOT: uploads go to the database, so nothing may land here,
    and the tests of `move_files_to_database` put their old files here, never in media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def trust():
    return TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust")


@pytest.fixture
def other_trust():
    return TrustFactory(ods_code="RBB", name="Beta Hospitals NHS Trust")


@pytest.fixture
def admin_user():
    return UserFactory(username="admin1", role=Role.ADMIN)


@pytest.fixture
def assessor():
    return UserFactory(username="assessor1", role=Role.ASSESSOR)


@pytest.fixture
def qa_user():
    return UserFactory(username="qa1", role=Role.QA)


@pytest.fixture
def cqc_user():
    return UserFactory(username="cqc1", role=Role.CQC)


@pytest.fixture
def trust_user(trust):
    return UserFactory(username="trustuser1", role=Role.TRUST, trust=trust)


@pytest.fixture
def other_trust_user(other_trust):
    return UserFactory(username="trustuser2", role=Role.TRUST, trust=other_trust)


@pytest.fixture
def metric_definitions(db):
    """The metric definitions of fixtures/metric_definitions.yaml, by code."""
    from metrics.models import MetricDefinition
    from metrics.services import metric_definitions_load

    metric_definitions_load()
    return {definition.code: definition for definition in MetricDefinition.objects.all()}


def _redis_url_for_this_worker() -> str:
    base = os.environ.get("UOR_TEST_REDIS_URL")
    if not base:
        pytest.skip("UOR_TEST_REDIS_URL is not set: run the suite with `make test`")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw") or 0) + 1  # one Redis database per xdist worker
    return f"{base}/{index}"


def _forget_celery_connections(app) -> None:
    """Drop Celery's cached broker pool and result backend so a changed URL takes effect."""
    app._after_fork()  # the same reset Celery does in a forked child
    app._local.__dict__.pop("backend", None)
    app.__dict__.pop("backend", None)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker process on the real Redis, using this worker's test database."""
    from django.db import connection

    from uor_site.celery import app

    redis_url = _redis_url_for_this_worker()
    queue = f"uor-test-{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}"
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        f"/{settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "uor_site.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    log = open(ROOT / f".tmp-celery-{queue}.log", "w")  # noqa: SIM115 (closed at teardown)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "uor_site",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = {
        key: app.conf[key]
        for key in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    app.conf.update(
        broker_url=redis_url,
        result_backend=redis_url,
        task_always_eager=False,
        task_default_queue=queue,
    )
    _forget_celery_connections(app)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5, destination=None)
        if replies:
            break
        if process.poll() is not None:
            pytest.fail(f"Celery worker exited: see {log.name}")
    else:
        pytest.fail("Celery worker did not answer a ping within 60 s")
    yield process
    app.conf.update(previous)
    _forget_celery_connections(app)
    process.terminate()
    process.wait(timeout=20)
    log.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the compact table of what the access-matrix test checked."""
    if hasattr(config, "workerinput"):
        return  # only the controller prints
    report_dir = Path(os.environ.get("UOR_MATRIX_REPORT_DIR") or ROOT / ".tmp-access-matrix")
    files = sorted(report_dir.glob("*.txt")) if report_dir.exists() else []
    if not files:
        return
    lines = [line for path in files for line in path.read_text().splitlines()]
    routes = {line.split()[0].split("[")[0] for line in lines}  # "[state]" marks a state
    terminalreporter.section("access matrix checked")
    terminalreporter.write_line(
        f"{len(routes)} routes x 8 actors: {len(lines)} requests as the matrix lists them "
        "(by method, and by workflow state where the answer depends on it); every other "
        "method of GET, POST, PUT, PATCH and DELETE was also tried and refused"
    )
    from core.access import Actor

    short = ["anon", "admin", "team", "!team", "qa", "cqc", "trust", "!trust"]
    assert len(short) == len(Actor)
    terminalreporter.write_line(
        "  columns: "
        + ", ".join(f"{s} = {actor.value}" for s, actor in zip(short, Actor, strict=True))
    )
    header = " ".join(f"{label:>6}" for label in short)
    terminalreporter.write_line(f"  {'route method':52} {header}")
    for path in files:
        rows: dict[str, list[str]] = {}
        for line in path.read_text().splitlines():
            route, method, *_actor, answer = line.split()
            rows.setdefault(f"{route} {method}", []).append(answer)
        for key, answers in rows.items():
            terminalreporter.write_line(f"  {key:52} {' '.join(f'{a:>6}' for a in answers)}")
    for path in files:
        path.unlink()


def pytest_collection_modifyitems(config, items):
    """Keep each `xdist_group` on one worker under `--dist loadgroup` (scripts/test.sh).

    NOTE: pytest-xdist 3.8 marks a test's group by renaming `item._nodeid`, which pytest 9
    no longer reads, so groups were spread over the workers; this names the group in the id
    pytest 9 reads, as xdist means to.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted(
            {
                str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                for mark in item.iter_markers("xdist_group")
            }
        )
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)
