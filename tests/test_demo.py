"""The demo data of `make run`: every demo user signs in with the README's password."""

import re
import subprocess
from http import HTTPStatus
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Assessment, ReportVersion, Status

README = Path(__file__).resolve().parents[1] / "README.md"
HOME_TEXT = {
    "admin": "Keep the trust registry up to date",
    "assessor": "Schedule an assessment",
    "qa": "Nothing awaits QA",
    "cqc": "Nothing awaits CQC review",
}


def readme_demo_users():
    rows = re.findall(r"^\| `(\w+)` \| `([^`]+)` \| ([^|]+) \|", README.read_text(), flags=re.M)
    assert len(rows) >= 5
    return rows


@pytest.mark.django_db
def test_every_demo_user_signs_in_and_sees_their_home_page():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # running it twice is harmless
    for username, password, _role in readme_demo_users():
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": username, "password": password}
        )
        assert response.status_code == HTTPStatus.FOUND, username
        home = client.get(reverse("home"))
        assert home.status_code == HTTPStatus.OK
        user = home.wsgi_request.user
        expected = (
            f"Check {escape(user.trust.name)}&#x27;s details"
            if user.role == "trust"
            else HOME_TEXT[user.role]
        )
        assert expected in home.content.decode(), username


@pytest.mark.django_db
def test_demo_trusts_are_plainly_synthetic():
    from metrics.models import Trust

    call_command("load_demo", stdout=StringIO())
    names = list(Trust.objects.values_list("name", flat=True))
    assert names
    assert all(name.startswith("Demo ") and name.endswith("(synthetic)") for name in names)


@pytest.mark.django_db
def test_every_demo_step_of_make_run_succeeds(django_capture_on_commit_callbacks, tmp_path):
    """Run the Makefile's `run` recipe, command by command (not migrate or runserver)."""
    makefile = (README.parent / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    commands = re.findall(r"manage\.py (\w+)", recipe)
    assert commands[0] == "migrate"
    assert commands[-1] == "runserver"
    for command in commands[1:-1]:
        with django_capture_on_commit_callbacks(execute=True):
            call_command(command, stdout=StringIO(), stderr=StringIO())

    assert Assessment.objects.filter(trust__ods_code="ZZ1").exists()
    # A published assessment to look at, with its draft and final reports rendered.
    published = Assessment.objects.get(trust__ods_code="ZZ2")
    assert published.status == Status.PUBLISHED
    ready = published.reports.filter(status=ReportVersion.Status.READY)
    assert sorted(ready.values_list("kind", flat=True)) == ["draft", "final"]
    # The command that draws docs/report-pages from them.
    out = tmp_path / "pages"
    call_command("report_page_images", out=str(out), pages=2, stdout=StringIO())
    assert sorted(page.name for page in out.iterdir()) == [
        "draft-1.png",
        "draft-2.png",
        "final-1.png",
        "final-2.png",
    ]


def test_make_run_serves_on_the_port_asked_for():
    """`make run PORT=8123` starts the server on that port (8000 when none is given)."""
    asked = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=README.parent, capture_output=True, text=True
    )
    default = subprocess.run(
        ["make", "-n", "run"], cwd=README.parent, capture_output=True, text=True
    )
    assert "runserver 127.0.0.1:8123" in asked.stdout
    assert "runserver 127.0.0.1:8000" in default.stdout
