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
from django.utils import timezone
from django.utils.html import escape

from assessments.models import (
    Assessment,
    Challenge,
    DiscussionMessage,
    Evidence,
    KloeRating,
    ReportVersion,
    ReviewRequest,
    Status,
)

README = Path(__file__).resolve().parents[1] / "README.md"
HOME_TEXT = {
    "admin": "Keep the trust registry up to date",
    "assessor": "Schedule an assessment",
    "qa": "Nothing awaits QA",
    "cqc": "Nothing awaits CQC review",
}


# The stages of fixtures/demo/assessments.yaml and the status each leaves its assessment at.
STAGE_STATUS = {
    "scheduled": Status.SCHEDULED,
    "trust_submission": Status.SCHEDULED,
    "evidence": Status.EVIDENCE,
    "qa_review": Status.QA_REVIEW,
    "factual_accuracy": Status.FACTUAL_ACCURACY,
    "dispute": Status.DISPUTE,
    "finalised": Status.FINALISED,
    "published": Status.PUBLISHED,
}
AFTER_VISIT = set(STAGE_STATUS.values()) - {Status.SCHEDULED}
WITH_DRAFT = {Status.FACTUAL_ACCURACY, Status.DISPUTE, Status.FINALISED, Status.PUBLISHED}
WITH_FINAL = {Status.FINALISED, Status.PUBLISHED}


def demo_stages_are_full():
    """Each demo assessment has the commentary, evidence, ratings and reports of its stage."""
    today = timezone.localdate()
    scheduled = Assessment.objects.filter(status=Status.SCHEDULED)
    # Scheduled: one untouched, one with the trust's commentary under way.
    assert sorted(a.commentaries.count() for a in scheduled) == [0, 3]
    for assessment in Assessment.objects.exclude(status=Status.SCHEDULED):
        name = f"{assessment} at {assessment.status}"
        kloes = assessment.framework.kloes.count()
        assert assessment.site_visit_date < today, name
        assert assessment.commentary_submitted_at is not None, name
        assert assessment.commentaries.exclude(text="").count() == kloes, name
        with_evidence = Evidence.objects.filter(assessment=assessment).values("kloe").distinct()
        assert with_evidence.count() == kloes, name
        ratings = KloeRating.objects.filter(assessment=assessment).exclude(rationale="")
        assert ratings.count() == (kloes + 1 if assessment.status != Status.EVIDENCE else 3), name
        kinds = set(
            assessment.reports.filter(status=ReportVersion.Status.READY).values_list(
                "kind", flat=True
            )
        )
        assert ("draft" in kinds) == (assessment.status in WITH_DRAFT), name
        assert ("final" in kinds) == (assessment.status in WITH_FINAL), name
    challenged = Assessment.objects.get(status=Status.FACTUAL_ACCURACY)
    challenges = Challenge.objects.filter(assessment=challenged)
    assert challenges.count() == 3
    assert challenges.filter(resolution=Challenge.Resolution.CHANGED).count() == 1
    disputed = Assessment.objects.get(status=Status.DISPUTE)
    assert DiscussionMessage.objects.filter(assessment=disputed).count() == 3
    returned = Assessment.objects.get(status=Status.QA_REVIEW)
    assert returned.transitions.filter(action="return").exists()


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

    # One assessment at each stage, with what its stage has reached (demo_stages_are_full).
    by_status = {assessment.status: assessment for assessment in Assessment.objects.all()}
    assert set(STAGE_STATUS.values()) <= set(by_status), sorted(by_status)
    demo_stages_are_full()
    # The published one has its draft and final reports rendered and a review request.
    published = by_status[Status.PUBLISHED]
    assert published.trust.ods_code == "ZZ2"
    ready = published.reports.filter(status=ReportVersion.Status.READY)
    assert sorted(ready.values_list("kind", flat=True)) == ["draft", "final"]
    assert ReviewRequest.objects.filter(assessment=published).exists()
    # Running the loader again adds nothing.
    count = Assessment.objects.count()
    call_command("load_demo_assessments", stdout=StringIO(), stderr=StringIO())
    assert Assessment.objects.count() == count == len(STAGE_STATUS)
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
