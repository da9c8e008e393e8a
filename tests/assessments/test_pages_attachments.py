"""Attachments are downloaded only by people who may see the item they belong to."""

from http import HTTPStatus

import pytest

from assessments.models import Status
from assessments.workflow import assessment_transition
from tests.assessments.page_helpers import set_status, signed_in, url
from tests.factories import PDF_BYTES, AttachmentFactory, CommentaryFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def download(attachment):
    return url("attachment_download", attachment.assessment, attachment_pk=attachment.pk)


@pytest.fixture
def evidence_file(assessment):
    return AttachmentFactory(evidence=EvidenceFactory(assessment=assessment))


@pytest.fixture
def commentary_file(assessment, people):
    commentary = CommentaryFactory(assessment=assessment, updated_by=people["trust"])
    return AttachmentFactory(commentary=commentary, evidence=None, original_name="board paper.pdf")


def test_the_team_downloads_an_evidence_file_as_an_attachment(evidence_file, people):
    response = signed_in(people["member"]).get(download(evidence_file))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="finance-report.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize(
    ("status", "who", "expected"),
    [
        (Status.EVIDENCE, "trust", HTTPStatus.NOT_FOUND),
        (Status.QA_REVIEW, "trust", HTTPStatus.NOT_FOUND),
        (Status.FACTUAL_ACCURACY, "trust", HTTPStatus.OK),
        (Status.FACTUAL_ACCURACY, "other_trust", HTTPStatus.NOT_FOUND),
        (Status.EVIDENCE, "outsider", HTTPStatus.NOT_FOUND),
        (Status.EVIDENCE, "qa", HTTPStatus.NOT_FOUND),
        (Status.QA_REVIEW, "qa", HTTPStatus.OK),
    ],
)
def test_who_downloads_an_evidence_file(assessment, evidence_file, people, status, who, expected):
    set_status(assessment, status)
    assert signed_in(people[who]).get(download(evidence_file)).status_code == expected


def test_a_commentary_file_reaches_the_team_only_once_submitted(
    assessment, commentary_file, people
):
    lead, trust = signed_in(people["lead"]), signed_in(people["trust"])
    assert trust.get(download(commentary_file)).status_code == HTTPStatus.OK
    assert lead.get(download(commentary_file)).status_code == HTTPStatus.NOT_FOUND
    CommentaryFactory(
        assessment=assessment,
        kloe=assessment.framework.kloes.get(code="people"),
        updated_by=people["trust"],
    )
    assessment_transition(assessment=assessment, action="submit_commentary", actor=people["trust"])
    response = lead.get(download(commentary_file))
    assert response.status_code == HTTPStatus.OK
    assert 'filename="board paper.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["other_trust", "outsider"])
def test_another_trust_or_assessor_never_gets_a_commentary_file(
    assessment, commentary_file, people, who
):
    set_status(assessment, Status.EVIDENCE)
    assert signed_in(people[who]).get(download(commentary_file)).status_code == (
        HTTPStatus.NOT_FOUND
    )


def test_an_attachment_is_found_only_under_its_own_assessment(assessment, people):
    elsewhere = AttachmentFactory()
    response = signed_in(people["admin"]).get(
        url("attachment_download", assessment, attachment_pk=elsewhere.pk)
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_signed_out_people_are_sent_to_sign_in(evidence_file, client):
    response = client.get(download(evidence_file))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")
