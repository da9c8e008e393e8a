"""The internal decision record: staff read it and download it as a PDF; the trust never
sees it (404) and its report list never lists it; anonymous people are sent to sign in."""

import re
import subprocess
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    AssessmentTransition,
    Challenge,
    DiscussionMessage,
    ReportVersion,
    Status,
)
from assessments.reports.services import record_request
from metrics.models import Role
from tests.assessments.page_helpers import set_status, signed_in, url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QA_NOTE = "Zebra-crossing evidence on estates is thin"
DISCUSSION = "Finance looks marooned between good and requires improvement"


@pytest.fixture
def recorded(assessment, people):
    """A published assessment with QA's return, a discussion message and a challenge."""
    people["lead"].full_name = "Ada Lovelace"
    people["lead"].save()
    cqc = UserFactory(username="u-cqc-42", full_name="Grace Hopper", role=Role.CQC)
    people["cqc"] = cqc
    now = timezone.now()
    for action, source, target, actor, note in [
        ("return_to_team", "qa_review", "evidence", people["qa"], QA_NOTE),
        ("dispute_rating", "cqc_review", "dispute", cqc, "CQC disputes finance."),
        ("publish", "finalised", "published", cqc, ""),
    ]:
        AssessmentTransition.objects.create(
            assessment=assessment,
            action=action,
            from_status=source,
            to_status=target,
            actor=actor,
            note=note,
            at=now,
        )
    DiscussionMessage.objects.create(assessment=assessment, author=cqc, text=DISCUSSION)
    Challenge.objects.create(
        assessment=assessment,
        number=1,
        kind=Challenge.Kind.TYPING,
        section="Finance",
        passage="12%",
        correction="2%",
        reason="A typing error",
        raised_by=people["trust"],
        outcome=Challenge.Outcome.ACCEPTED,
        response="Corrected.",
        answered_by=people["lead"],
        answered_at=now,
        signed_off_by=people["qa"],
        signed_off_at=now,
    )
    return set_status(assessment, Status.PUBLISHED)


@pytest.mark.parametrize("who", ["lead", "qa", "admin", "cqc"])
def test_staff_read_every_step_the_discussion_and_each_challenge(recorded, people, who):
    response = signed_in(people[who]).get(url("record", recorded))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert QA_NOTE in page
    assert DISCUSSION in page
    assert "Return to team: QA review → Gathering evidence" in page
    assert "Grace Hopper (u-cqc-42)" in page  # full name and login name
    assert "Ada Lovelace (lead)" in page  # answered the challenge; leads the team
    assert "Internal: for NHS Improvement and CQC staff only" in page


@pytest.mark.parametrize("status", [Status.FACTUAL_ACCURACY, Status.PUBLISHED])
def test_the_trust_gets_404_for_the_record(recorded, people, status):
    set_status(recorded, status)
    client = signed_in(people["trust"])

    assert client.get(url("record", recorded)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(url("record", recorded)).status_code == HTTPStatus.NOT_FOUND
    assert not ReportVersion.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client, recorded):
    response = client.get(url("record", recorded))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("accounts:login"))


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["/usr/bin/pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return re.sub(r"\s+", " ", result.stdout.decode())


def test_staff_download_the_record_as_a_pdf_the_trust_never_sees_it(
    recorded, people, django_capture_on_commit_callbacks
):
    staff = signed_in(people["qa"])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url("record", recorded))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url("report_list", recorded)
    record = ReportVersion.objects.get(kind=ReportVersion.Kind.RECORD)
    assert record.status == ReportVersion.Status.READY

    listing = staff.get(url("report_list", recorded)).content.decode()
    assert "Internal decision record, version 1" in listing
    download = staff.get(url("report_download", recorded, report_pk=record.pk))
    assert download.status_code == HTTPStatus.OK
    text = pdf_text(
        b"".join(download.streaming_content) if download.streaming else download.content
    )
    assert QA_NOTE in text
    assert DISCUSSION in text
    assert "u-cqc-42" in text

    trust = signed_in(people["trust"])
    trust_listing = trust.get(url("report_list", recorded)).content.decode()
    assert "Internal decision record" not in trust_listing
    assert (
        trust.get(url("report_download", recorded, report_pk=record.pk)).status_code
        == HTTPStatus.NOT_FOUND
    )


def test_the_record_is_refused_to_the_trust_in_the_service(recorded, people):
    with pytest.raises(PermissionDenied, match="internal decision record is for NHS Improvement"):
        record_request(assessment=recorded, user=people["trust"])
