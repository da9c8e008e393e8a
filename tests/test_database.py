import os
import socket
import subprocess
import sys
import time
import urllib.request
from http import HTTPStatus
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
)
PRODUCTION_ENV = {
    "SECRET_KEY": "q8Z!v2#mN7@pL4$rT9^wX1&bC6*eH3(jK5)uY0-sD8=fG2+aZ7~oP4",
    "ALLOWED_HOSTS": "uor.example.nhs.uk",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "UOR_TWO_FACTOR": "true",
}


@pytest.mark.django_db
def test_suite_runs_on_postgresql_under_make_test():
    if not os.environ.get("UOR_REQUIRE_POSTGRES"):
        pytest.skip("only `make test` promises PostgreSQL")
    assert connection.vendor == "postgresql"


@pytest.mark.parametrize("module", ["local", "test", "production"])
def test_every_settings_module_keeps_connections_and_checks_them(module):
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": f"uor_site.settings.{module}"}
    env.pop("CONN_MAX_AGE", None)
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True"]


def _server_connections(application_name: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application_name]
        )
        return [pid for (pid,) in cursor.fetchall()]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
        return response.status


@pytest.fixture
def gunicorn_on_test_database(django_db_setup, django_db_blocker):
    """One sync gunicorn worker on this test database, its connections named for the test."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with scripts/test.sh")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    application_name = f"uor-conn-test-{os.getpid()}"
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        f"/{settings_dict['NAME']}?application_name={application_name}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "uor_site.settings.test",
        "DATABASE_URL": database_url,
    }
    env.pop("CONN_MAX_AGE", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "uor_site.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            _get(f"{base_url}/health/")
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not answer /health/ within 30 s")
            time.sleep(0.2)
    with django_db_blocker.unblock():
        yield base_url, application_name
    server.terminate()
    server.wait(timeout=20)


def test_a_request_after_postgresql_killed_the_kept_connection_still_succeeds(
    gunicorn_on_test_database,
):
    base_url, application_name = gunicorn_on_test_database
    assert _get(f"{base_url}/health/") == HTTPStatus.OK
    kept = _server_connections(application_name)
    assert len(kept) == 1  # the worker kept one connection across its requests
    assert _get(f"{base_url}/health/") == HTTPStatus.OK
    assert _server_connections(application_name) == kept

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", kept)
    assert _get(f"{base_url}/health/") == HTTPStatus.OK  # not a 500

    replaced = _server_connections(application_name)
    assert len(replaced) == 1
    assert replaced != kept
