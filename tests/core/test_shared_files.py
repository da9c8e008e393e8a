"""Two web processes that share nothing but the database: a file uploaded through one
downloads, byte for byte, through the other (as with `docker compose up --scale web=3`)."""

import hashlib
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Attachment
from tests.core.live import Browser, database_url, gunicorn
from tests.factories import PDF_BYTES, AssessmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_file_uploaded_through_one_web_process_downloads_through_another(
    trust, trust_user, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with scripts/test.sh")
    assessment = AssessmentFactory(trust=trust)
    content = PDF_BYTES + b"% board minutes, March\n" * 1000
    commentary = reverse(
        "assessments:commentary_edit", kwargs={"pk": assessment.pk, "code": "finance"}
    )
    media_a, media_b = tmp_path / "media-a", tmp_path / "media-b"
    media_a.mkdir()
    media_b.mkdir()
    browser = Browser()
    with (
        gunicorn(database=database_url(), media_root=media_a, log=tmp_path / "a.log") as web_a,
        gunicorn(database=database_url(), media_root=media_b, log=tmp_path / "b.log") as web_b,
    ):
        browser.sign_in(web_a, trust_user.username)
        status, headers, _body = browser.post_form(
            f"{web_a}{commentary}",
            {"text": "Our plan is attached.", "version": "0"},
            {"file": ("Board minutes.pdf", content)},
        )
        assert status == HTTPStatus.FOUND, (tmp_path / "a.log").read_text()[-2000:]
        attachment = Attachment.objects.get(assessment=assessment)
        download = reverse(
            "assessments:attachment_download",
            kwargs={"pk": assessment.pk, "attachment_pk": attachment.pk},
        )
        status, headers, body = browser.request(f"{web_b}{download}")
    assert status == HTTPStatus.OK
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(content).hexdigest()
    assert 'filename="Board minutes.pdf"' in headers["Content-Disposition"]
    # Neither process wrote the file to its own disk.
    assert list(media_a.iterdir()) == list(media_b.iterdir()) == []
