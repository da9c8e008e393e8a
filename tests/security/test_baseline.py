"""The security baseline: CSP, cookies and headers, sessions, passwords, throttling, CSRF."""

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.access import resolver_routes, row_for
from metrics.models import SecurityEvent
from tests.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "uor_site.settings.production",
    "SECRET_KEY": "q8Z!v2#mN7@pL4$rT9^wX1&bC6*eH3(jK5)uY0-sD8=fG2+aZ7~oP4",
    "ALLOWED_HOSTS": "uor.example.nhs.uk",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "UOR_TWO_FACTOR": "true",
}


def run_with_production_settings(code_or_args: list[str], extra_env=None):
    env = {**os.environ, **PRODUCTION_ENV, **(extra_env or {})}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = run_with_production_settings(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {"DATABASE_URL": "sqlite:////tmp/uor-deploy-check.sqlite3"},
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_switch_off_two_factor():
    result = run_with_production_settings(["manage.py", "check"], {"UOR_TWO_FACTOR": "false"})
    assert result.returncode != 0
    assert "UOR_TWO_FACTOR cannot be switched off in production" in result.stderr


def test_production_has_no_default_secret_key():
    env = {"SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in {**os.environ, **PRODUCTION_ENV, **env}.items() if k != "SECRET_KEY"},
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import override_settings
# NOTE: the manifest storage needs collectstatic; this probe is about headers, not assets.
override_settings(STORAGES={
    "default": {"BACKEND": "core.storage.DatabaseStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from metrics.services import user_create
user_create(username="probe", role="assessor", password="a-long-enough-passphrase-1")
client = Client(HTTP_HOST="uor.example.nhs.uk")
insecure = client.get("/accounts/login/")
page = client.get("/accounts/login/", secure=True)
client.post("/accounts/login/", {"username": "probe", "password": "a-long-enough-passphrase-1"},
            secure=True)
cookies = {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"])}
           for name, c in client.cookies.items()}
print(json.dumps({"insecure_status": insecure.status_code, "headers": dict(page.headers),
                  "cookies": cookies}))
"""


def test_production_sends_secure_cookies_and_strict_headers(tmp_path):
    result = run_with_production_settings(
        ["-c", PRODUCTION_PROBE], {"DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}"}
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    headers = probe["headers"]
    assert probe["insecure_status"] == HTTPStatus.MOVED_PERMANENTLY  # plain HTTP goes to HTTPS
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert probe["cookies"]["sessionid"] == {"secure": True, "httponly": True}
    assert probe["cookies"]["csrftoken"] == {"secure": True, "httponly": True}


@pytest.mark.django_db
def test_content_security_policy_forbids_inline_script_and_framing(client):
    response = client.get(reverse("accounts:login"))
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy["script-src"]
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    # Our pages carry no inline script: every <script> loads a file.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())


@pytest.mark.django_db
def test_session_ends_after_thirty_minutes_without_a_request(client, assessor):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(assessor)
        assert client.get(reverse("home")).status_code == HTTPStatus.OK
        traveller.shift(timedelta(minutes=25))
        assert client.get(reverse("home")).status_code == HTTPStatus.OK  # activity extends it
        traveller.shift(timedelta(minutes=25))
        assert client.get(reverse("home")).status_code == HTTPStatus.OK
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("home"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_password_change_refuses_a_weak_password(client, assessor):
    client.force_login(assessor)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "This password is too short. It must contain at least 12 characters." in body
    assert "This password is too common." in body
    assessor.refresh_from_db()
    assert assessor.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account_and_are_logged(client, assessor):
    url = reverse("accounts:login")
    for _ in range(5):
        response = client.post(url, {"username": assessor.username, "password": "wrong-password"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Sign-in is locked for this account" in response.content.decode()
    # Even the right password is refused while the lock lasts.
    response = client.post(url, {"username": assessor.username, "password": TEST_PASSWORD})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "_auth_user_id" not in client.session
    kinds = list(
        SecurityEvent.objects.filter(username=assessor.username).values_list("kind", flat=True)
    )
    assert kinds.count(SecurityEvent.Kind.LOGIN_FAILED) >= 4
    assert SecurityEvent.Kind.LOCKED_OUT in kinds


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(client, assessor):
    url = reverse("accounts:login")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            client.post(url, {"username": assessor.username, "password": "wrong-password"})
        traveller.shift(timedelta(minutes=16))
        response = client.post(url, {"username": assessor.username, "password": TEST_PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(assessor):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": assessor.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.django_db
def test_every_post_form_on_every_page_carries_a_csrf_token(admin_user, trust):
    """Render every page an admin can GET and look inside each form that posts."""
    client = Client()
    client.force_login(admin_user)
    checked = 0
    for route in resolver_routes():
        row = row_for(route.name)
        if route.name.startswith("admin:") or row.kwargs or "GET" not in row.methods:
            continue
        response = client.get(reverse(route.name))
        if response.status_code != HTTPStatus.OK or "html" not in response["Content-Type"]:
            continue
        for form in re.findall(r"<form\b.*?</form>", response.content.decode(), flags=re.S):
            if re.search(r'method="post"', form, flags=re.I):
                assert 'name="csrfmiddlewaretoken"' in form, route.name
                checked += 1
    assert checked >= 5
