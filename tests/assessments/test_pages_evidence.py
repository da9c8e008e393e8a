"""The team records and changes evidence; history, edit conflicts, and who may see it."""

from http import HTTPStatus

import pytest

from assessments.models import Attachment, Evidence, EvidenceRevision, Status
from core import uploads
from tests.assessments.page_helpers import set_status, signed_in, upload, url
from tests.factories import PDF_BYTES, EvidenceFactory, visit_held

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering(assessment):
    """Gathering evidence, the site visit held yesterday."""
    return visit_held(set_status(assessment, Status.EVIDENCE))


def evidence_url(evidence):
    return url("evidence_detail", evidence.assessment, evidence_pk=evidence.pk)


def test_team_adds_evidence_against_a_prompt_with_a_file(gathering, people):
    prompt = gathering.framework.kloes.get(code="finance").prompts.get(code="F2")
    response = signed_in(people["member"]).post(
        url("evidence_create", gathering, code="finance"),
        {
            "prompt": prompt.pk,
            "source": "site_visit",
            "finding": "positive",
            "text": "The finance director showed a credible savings plan.",
            "file": upload("notes.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url("kloe_workspace", gathering, code="finance")
    evidence = Evidence.objects.get()
    assert (evidence.prompt, evidence.source, evidence.finding) == (
        prompt,
        "site_visit",
        "positive",
    )
    assert evidence.created_by == people["member"]
    assert evidence.attachments.get().original_name == "notes.pdf"


def test_evidence_with_missing_fields_or_a_bad_file_saves_nothing(gathering, people):
    client = signed_in(people["lead"])
    response = client.post(url("evidence_create", gathering, code="finance"), {"text": ""})
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Choose where the evidence comes from" in page
    assert "Enter the evidence" in page
    response = client.post(
        url("evidence_create", gathering, code="finance"),
        {
            "source": "site_visit",
            "finding": "positive",
            "text": "Fine",
            "file": upload("macro.docm", b"PK\x03\x04"),
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert uploads.FILE_TYPE in response.content.decode()
    assert not Evidence.objects.exists()
    assert not Attachment.objects.exists()


def test_a_prompt_of_another_kloe_is_refused(gathering, people):
    other = gathering.framework.kloes.get(code="people").prompts.first()
    response = signed_in(people["lead"]).post(
        url("evidence_create", gathering, code="finance"),
        {"prompt": other.pk, "source": "site_visit", "finding": "positive", "text": "x"},
    )
    assert response.status_code == HTTPStatus.OK
    assert not Evidence.objects.exists()


def test_evidence_cannot_be_added_before_commentary_closes(assessment, people):
    response = signed_in(people["lead"]).get(url("evidence_create", assessment, code="finance"))
    assert response.status_code == HTTPStatus.FORBIDDEN


def edit_post(evidence, text, version):
    return {
        "source": evidence.source,
        "finding": evidence.finding,
        "text": text,
        "version": version,
    }


def test_editing_keeps_history(gathering, people):
    evidence = EvidenceFactory(assessment=gathering, text="First wording")
    client = signed_in(people["member"])
    response = client.post(evidence_url(evidence), edit_post(evidence, "Second wording", 1))
    assert response.status_code == HTTPStatus.FOUND
    evidence.refresh_from_db()
    assert (evidence.text, evidence.version, evidence.updated_by) == (
        "Second wording",
        2,
        people["member"],
    )
    revision = EvidenceRevision.objects.get()
    assert (revision.version, revision.snapshot["text"]) == (1, "First wording")
    page = client.get(evidence_url(evidence)).content.decode()
    assert 'id="evidence-history"' in page
    assert "First wording" in page
    assert "Your changes to the evidence are saved." in page


def test_two_assessors_editing_at_once_the_second_is_told_and_loses_nothing(gathering, people):
    evidence = EvidenceFactory(assessment=gathering, text="Original")
    lead, member = signed_in(people["lead"]), signed_in(people["member"])
    assert lead.post(evidence_url(evidence), edit_post(evidence, "Lead's text", 1)).status_code == (
        HTTPStatus.FOUND
    )
    response = member.post(evidence_url(evidence), edit_post(evidence, "Member's careful text", 1))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Someone else changed this evidence while you were editing it." in page
    assert "Member&#x27;s careful text" in page  # kept in the form
    assert "Lead&#x27;s text" in page  # the saved version is shown
    evidence.refresh_from_db()
    assert (evidence.text, evidence.version) == ("Lead's text", 2)
    assert 'name="version" value="2"' in page
    member.post(evidence_url(evidence), edit_post(evidence, "Member's careful text", 2))
    evidence.refresh_from_db()
    assert evidence.text == "Member's careful text"


@pytest.mark.parametrize(
    ("status", "who", "expected"),
    [
        (Status.EVIDENCE, "trust", HTTPStatus.NOT_FOUND),
        (Status.DRAFT_REPORT, "trust", HTTPStatus.NOT_FOUND),
        (Status.FACTUAL_ACCURACY, "trust", HTTPStatus.OK),
        (Status.FACTUAL_ACCURACY, "other_trust", HTTPStatus.NOT_FOUND),
        (Status.EVIDENCE, "other_trust", HTTPStatus.NOT_FOUND),
        (Status.EVIDENCE, "outsider", HTTPStatus.NOT_FOUND),
        (Status.EVIDENCE, "qa", HTTPStatus.NOT_FOUND),
        (Status.QA_REVIEW, "qa", HTTPStatus.OK),
        (Status.EVIDENCE, "admin", HTTPStatus.OK),
    ],
)
def test_who_sees_a_piece_of_evidence(assessment, people, status, who, expected):
    evidence = EvidenceFactory(assessment=assessment, text="Internal finding")
    set_status(assessment, status)
    response = signed_in(people[who]).get(evidence_url(evidence))
    assert response.status_code == expected
    if expected == HTTPStatus.NOT_FOUND:
        assert "Internal finding" not in response.content.decode()


@pytest.mark.parametrize("who", ["trust", "other_trust"])
def test_a_trust_cannot_change_evidence(gathering, people, who):
    evidence = EvidenceFactory(assessment=gathering, text="Internal finding")
    response = signed_in(people[who]).post(evidence_url(evidence), edit_post(evidence, "x", 1))
    assert response.status_code == HTTPStatus.NOT_FOUND
    evidence.refresh_from_db()
    assert evidence.text == "Internal finding"


def test_evidence_is_read_only_after_the_rating_is_proposed(assessment, people):
    evidence = EvidenceFactory(assessment=assessment)
    set_status(assessment, Status.QA_REVIEW)
    client = signed_in(people["lead"])
    assert 'name="text"' not in client.get(evidence_url(evidence)).content.decode()
    response = client.post(evidence_url(evidence), edit_post(evidence, "Changed", 1))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_evidence_of_another_assessment_is_not_found_here(assessment, people):
    elsewhere = EvidenceFactory()
    response = signed_in(people["admin"]).get(
        url("evidence_detail", assessment, evidence_pk=elsewhere.pk)
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
