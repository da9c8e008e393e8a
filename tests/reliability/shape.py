"""Drive the production shape (scripts/production_shape.sh) as its users and its operator would.

`Shape` starts and stops it, reads its database, runs `manage.py shell` in its environment
and kills or restarts its parts; `Browser` talks HTTP to its gunicorn as a signed-in user,
with the headers the HTTPS proxy in front of it would add.
"""

import contextlib
import http.client
import os
import re
import shlex
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg2
from celery import Celery
from django_otp.oath import totp

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "production_shape.sh"
HOST = "127.0.0.1"


class Shape:
    """One running production shape, its settings read from DIR/env.sh."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.env: dict[str, str] = {}

    def start(self, *, fast_sweep: bool = True) -> None:
        extra = {"FAST_SWEEP": "1"} if fast_sweep else {}
        self._script("start", env=extra, timeout=900)
        self.reload_env()

    def stop(self) -> None:
        self._script("stop", timeout=120)

    def reload_env(self) -> None:
        """Read DIR/env.sh again (a restarted worker has a new PID)."""
        self.env = {}
        for line in (self.folder / "env.sh").read_text().splitlines():
            key, _, value = line.removeprefix("export ").partition("=")
            self.env[key] = shlex.split(value)[0] if value else ""

    def _script(self, *args: str, env: dict | None = None, timeout: int = 120) -> str:
        result = subprocess.run(
            ["bash", str(SCRIPT), args[0], str(self.folder), *args[1:]],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"production_shape.sh {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    # The operator's hands ----------------------------------------------------------------

    def kill_worker(self, n: int) -> None:
        self._script("kill-worker", str(n))

    def kill_workers_now(self) -> None:
        """`kill -9` both workers and their pool children at once, from this process: the
        script takes long enough to start that a short job may finish first."""
        for n in (1, 2):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(int(self.env[f"WORKER{n}_PID"]), signal.SIGKILL)

    def restart_worker(self, n: int) -> None:
        self._script("restart-worker", str(n))
        self.reload_env()

    def stop_redis(self) -> None:
        self._script("stop-redis")

    def start_redis(self) -> None:
        self._script("start-redis")

    def restart_postgres(self) -> None:
        self._script("restart-postgres")

    def shell(self, code: str) -> str:
        """Run `code` in `manage.py shell` with the shape's settings; return what it printed."""
        return self._script("run", "--", ".venv/bin/python", "manage.py", "shell", "-c", code)

    # What is in its database -------------------------------------------------------------

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of one read; a fresh connection each time, so a restart cannot trip it."""
        connection = psycopg2.connect(self.env["DATABASE_URL"])
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def value(self, sql: str, params: tuple = ()):
        return self.query(sql, params)[0][0]

    def worker_running(self, task_arg: int) -> int | None:
        """The number (1 or 2) of the worker running a task whose first argument is
        `task_arg`, from the workers' own answer to `inspect active`."""
        # NOTE: not made the current app, or the suite's own tasks would be sent to this Redis.
        app = Celery(broker=self.env["CELERY_BROKER_URL"], set_as_current=False)
        try:
            active = app.control.inspect(timeout=1.0).active() or {}
        finally:
            app.close()
        for name, tasks in active.items():
            if any(list(task.get("args") or [])[:1] == [task_arg] for task in tasks):
                return 1 if name == self.env["WORKER1_NAME"] else 2
        return None

    def user_with_authenticator(self, username: str) -> bytes:
        """Give demo user `username` a confirmed authenticator; return its secret key."""
        output = self.shell(
            "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
            "from metrics.models import User\n"
            f"user = User.objects.get(username={username!r})\n"
            "device = TOTPDevice.objects.filter(user=user, confirmed=True).first()\n"
            "device = device or TOTPDevice.objects.create("
            "user=user, name='Authenticator app', confirmed=True)\n"
            "print('KEY', device.key)\n"
        )
        return bytes.fromhex(re.search(r"KEY ([0-9a-f]+)", output).group(1))


def wait_until(predicate, *, timeout: float, interval: float = 0.5, what: str = "it"):
    """Poll `predicate` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(interval)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Browser:
    """A user's browser behind the HTTPS proxy: cookies kept, X-Forwarded-Proto: https.

    The cookies are Secure; this client sends them back itself (the proxy's leg is plain
    HTTP), as a browser does over HTTPS.
    """

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, *, form=None, files=None, timeout=60) -> Response:
        parts = urlsplit(self.base_url)
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            if files:
                body, headers["Content-Type"] = _multipart(form or {}, files)
            else:
                body = urlencode(form or {}).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
            for name, value in answer.getheaders():
                if name.lower() == "set-cookie":
                    for morsel in SimpleCookie(value).values():
                        if morsel["max-age"] == "0" or not morsel.value:
                            self.cookies.pop(morsel.key, None)
                        else:
                            self.cookies[morsel.key] = morsel.value
            headers_out = {name.lower(): value for name, value in answer.getheaders()}
            return Response(answer.status, headers_out, text)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form=None, files=None) -> Response:
        return self.request("POST", path, form=form, files=files)

    def follow(self, response: Response) -> Response:
        """The page a redirect leads to (same site only)."""
        assert response.status in (HTTPStatus.FOUND, HTTPStatus.SEE_OTHER), response.status
        return self.get(urlsplit(response.location).path or "/")

    def sign_in(self, username: str, password: str, key: bytes) -> None:
        """Password, then a code from the authenticator whose secret is `key`."""
        self.get("/accounts/login/")
        answer = self.post("/accounts/login/", {"username": username, "password": password})
        assert answer.status == HTTPStatus.FOUND, answer.text[:2000]
        if "/accounts/login/code/" in answer.location:
            answer = self.post("/accounts/login/code/", {"token": _code(key)})
            if answer.status == HTTPStatus.OK:
                # A code is good once: this step's was used (a sign-in moments ago).
                time.sleep(30.5 - time.time() % 30)
                answer = self.post("/accounts/login/code/", {"token": _code(key)})
        assert answer.status == HTTPStatus.FOUND, answer.text[:2000]
        assert "sessionid" in self.cookies


def _code(key: bytes) -> str:
    """The authenticator's code now (django-otp's defaults: 30 s steps, six digits)."""
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def _multipart(form: dict, files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in form.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        chunks.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    for name, (file_name, content, content_type) in files.items():
        chunks.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{file_name}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
