"""Real web processes for the tests that need more than one: gunicorn on loopback, pointed at a
database of our choosing, and a small HTTP client that signs in and posts forms as a browser.

Only the standard library on the client side (urllib with a cookie jar).
"""

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from django.db import connection

from tests.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def database_url(name: str | None = None) -> str:
    """A URL for the test PostgreSQL server: this test database, or another on it."""
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{name or s['NAME']}"


@contextlib.contextmanager
def gunicorn(*, database: str, media_root: Path, log: Path):
    """One sync gunicorn worker with the test settings on `database`; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "uor_site.settings.test",
        "DATABASE_URL": database,
        "MEDIA_ROOT": str(media_root),
    }
    command = [sys.executable, "-m", "gunicorn", "uor_site.wsgi", "--workers", "1"]
    command += ["--bind", f"127.0.0.1:{port}", "--no-control-socket"]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/health/", timeout=5):  # noqa: S310
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: see {log}") from None
                time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=20)


class Browser:
    """Cookies kept across requests, redirects not followed, forms posted with their token.

    One browser may talk to several servers on 127.0.0.1: the cookies are per host, not port,
    so a session started on one process is sent to the other, as behind a load balancer.
    """

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, url: str, data: bytes | None = None, headers=None):
        """Return (status, headers, body)."""
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def csrf_token(self, page: bytes) -> str:
        return CSRF_FIELD.search(page.decode()).group(1)

    def sign_in(self, base_url: str, username: str, password: str = TEST_PASSWORD) -> None:
        status, _headers, page = self.request(f"{base_url}/accounts/login/")
        assert status == 200, status
        form = {"username": username, "password": password}
        form["csrfmiddlewaretoken"] = self.csrf_token(page)
        status, _headers, _body = self.request(
            f"{base_url}/accounts/login/", urllib.parse.urlencode(form).encode()
        )
        assert status == 302, f"sign-in as {username} answered {status}"

    def post_form(self, url: str, fields: dict, files: dict[str, tuple[str, bytes]]):
        """GET the page for its token, then POST `fields` and `files` as multipart/form-data."""
        status, _headers, page = self.request(url)
        assert status == 200, status
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {**fields, "csrfmiddlewaretoken": self.csrf_token(page)}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}"
        return self.request(url, body, {"Content-Type": content_type})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
