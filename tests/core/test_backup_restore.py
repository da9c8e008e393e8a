"""A backup restored into a fresh database brings back every assessment, file and report:
scripts/backup.sh (pg_dump) and scripts/restore.sh (createdb + pg_restore), then a web process
on the restored database serves them as before."""

import hashlib
import os
import subprocess
from html import escape
from http import HTTPStatus
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Attachment, ReportVersion
from core.uploads import upload_store
from tests.core.live import ROOT, Browser, database_url, gunicorn
from tests.factories import PDF_BYTES, AssessmentFactory, EvidenceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def pg_tool(name: str) -> str:
    folders = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return str(folders[-1] / name) if folders else name


def script(*args: str) -> None:
    subprocess.run(["bash", *args], cwd=ROOT, env=os.environ, check=True, capture_output=True)


@pytest.fixture
def restored_database():
    """The name of a database that does not exist yet; dropped after the test."""
    name = f"{connection.settings_dict['NAME']}_restored"
    dropdb = [pg_tool("dropdb"), "--if-exists", "--force", "--maintenance-db", database_url()]
    subprocess.run([*dropdb, name], check=True, capture_output=True)
    yield name
    subprocess.run([*dropdb, name], check=True, capture_output=True)


def test_a_restored_backup_serves_every_assessment_file_and_report(tmp_path, restored_database):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with scripts/test.sh")
    assessment = AssessmentFactory()
    evidence = EvidenceFactory(assessment=assessment)
    file_bytes = PDF_BYTES + os.urandom(64 * 1024)  # not compressible: a real payload
    attachment = upload_store(
        attachment=Attachment(assessment=assessment, evidence=evidence),
        name="Annual accounts.pdf",
        content=file_bytes,
        actor=assessment.lead,
    )
    pdf = PDF_BYTES + os.urandom(32 * 1024)
    report = ReportVersion.objects.create(
        assessment=assessment,
        kind=ReportVersion.Kind.DRAFT,
        number=1,
        status=ReportVersion.Status.READY,
        pdf=pdf,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
    )

    backup = tmp_path / "uor.dump"
    script("scripts/backup.sh", database_url(), str(backup))
    script("scripts/restore.sh", str(backup), database_url(restored_database))

    media = tmp_path / "media"
    media.mkdir()
    browser = Browser()
    urls = {
        "list": reverse("assessments:assessment_list"),
        "file": reverse(
            "assessments:attachment_download",
            kwargs={"pk": assessment.pk, "attachment_pk": attachment.pk},
        ),
        "report": reverse(
            "assessments:report_download", kwargs={"pk": assessment.pk, "report_pk": report.pk}
        ),
    }
    restored = database_url(restored_database)
    with gunicorn(database=restored, media_root=media, log=tmp_path / "web.log") as web:
        browser.sign_in(web, assessment.lead.username)
        answers = {key: browser.request(f"{web}{path}") for key, path in urls.items()}
    assert {key: answer[0] for key, answer in answers.items()} == dict.fromkeys(urls, HTTPStatus.OK)
    assert escape(assessment.trust.name) in answers["list"][2].decode()
    assert hashlib.sha256(answers["file"][2]).hexdigest() == attachment.sha256
    assert 'filename="Annual accounts.pdf"' in answers["file"][1]["Content-Disposition"]
    assert hashlib.sha256(answers["report"][2]).hexdigest() == report.sha256
