"""The trust writes commentary per KLOE with files; drafts, conflicts, and who sees it."""

from html import escape
from http import HTTPStatus

import pytest

from assessments import services
from assessments.models import Attachment, Commentary, Status
from assessments.workflow import assessment_transition
from core import uploads
from tests.assessments.page_helpers import set_status, signed_in, upload, url
from tests.factories import PDF_BYTES, PNG_BYTES, CommentaryFactory

pytestmark = pytest.mark.django_db


def commentary_url(assessment, code="finance"):
    return url("commentary_edit", assessment, code=code)


def test_trust_saves_a_draft_with_a_file(assessment, people):
    client = signed_in(people["trust"])
    response = client.post(
        commentary_url(assessment),
        {"text": "We met our control total.", "version": 0, "file": upload("plan.pdf", PDF_BYTES)},
    )
    assert response.status_code == HTTPStatus.FOUND
    commentary = Commentary.objects.get(assessment=assessment, kloe__code="finance")
    assert commentary.text == "We met our control total."
    attachment = commentary.attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("plan.pdf", "application/pdf")
    assert attachment.file.name.startswith(f"attachments/{assessment.pk}/")
    assert "plan" not in attachment.file.name  # stored under a generated name
    page = client.get(response["Location"]).content.decode()
    assert "Your draft commentary on Finance is saved." in page
    assert "plan.pdf" in page


def test_after_saving_the_trust_goes_on_to_the_next_kloe(assessment, people):
    client = signed_in(people["trust"])
    saved = client.post(commentary_url(assessment), {"text": "Finance story", "version": 0})
    page = client.get(saved["Location"]).content.decode()
    assert f'href="{commentary_url(assessment, "people")}">Next KLOE: 2. People</a>' in page
    last = client.get(commentary_url(assessment, "people")).content.decode()
    assert "This is the last KLOE." in last
    assert "Next KLOE" not in last


def test_a_second_save_changes_the_draft(assessment, people):
    client = signed_in(people["trust"])
    client.post(commentary_url(assessment), {"text": "First", "version": 0})
    commentary = Commentary.objects.get()
    client.post(commentary_url(assessment), {"text": "Second", "version": commentary.version})
    commentary.refresh_from_db()
    assert (commentary.text, commentary.version) == ("Second", 2)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", uploads.FILE_TYPE),
        (
            "report.pdf",
            PNG_BYTES,
            uploads.FILE_CONTENT.format(kind="PDF", extension=".pdf"),
        ),
        ("empty.csv", b"", None),
    ],
)
def test_a_file_of_a_wrong_type_is_refused_and_nothing_is_saved(
    assessment, people, name, content, message
):
    response = signed_in(people["trust"]).post(
        commentary_url(assessment),
        {"text": "Commentary", "version": 0, "file": upload(name, content)},
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "There is a problem" in page
    if message:
        assert escape(message) in page
    assert not Commentary.objects.exists()
    assert not Attachment.objects.exists()


def test_a_file_too_large_is_refused_and_nothing_is_saved(assessment, people, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", 2**20)
    big = PDF_BYTES + b"0" * (2**20)
    response = signed_in(people["trust"]).post(
        commentary_url(assessment),
        {"text": "Commentary", "version": 0, "file": upload("big.pdf", big)},
    )
    assert response.status_code == HTTPStatus.OK
    assert uploads.FILE_TOO_BIG.format(mb=1) in response.content.decode()
    assert not Commentary.objects.exists()
    assert not Attachment.objects.exists()


def test_empty_commentary_is_refused(assessment, people):
    response = signed_in(people["trust"]).post(commentary_url(assessment), {"text": " "})
    assert response.status_code == HTTPStatus.OK
    assert "Enter your commentary" in response.content.decode()
    assert not Commentary.objects.exists()


def test_two_trust_users_editing_at_once_the_second_is_told_and_keeps_their_text(
    assessment, people
):
    first, second = signed_in(people["trust"]), signed_in(people["trust2"])
    CommentaryFactory(assessment=assessment, text="Original", updated_by=people["trust"])
    # Both opened the page at version 1; the first saves.
    first.post(commentary_url(assessment), {"text": "First user's text", "version": 1})
    response = second.post(commentary_url(assessment), {"text": "Second user's text", "version": 1})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert services.EDIT_CONFLICT.format(thing="commentary").split(".")[0] in page
    assert "Second user&#x27;s text" in page  # what they typed is still in the box
    assert "First user&#x27;s text" in page  # and the saved version is shown
    commentary = Commentary.objects.get()
    assert commentary.text == "First user's text"
    # Saving again from the conflict page (now based on version 2) goes through.
    assert 'name="version" value="2"' in page
    second.post(commentary_url(assessment), {"text": "Merged text", "version": 2})
    commentary.refresh_from_db()
    assert commentary.text == "Merged text"


def test_someone_creating_the_commentary_first_is_a_conflict_too(assessment, people):
    CommentaryFactory(assessment=assessment, text="Theirs", updated_by=people["trust"])
    response = signed_in(people["trust2"]).post(
        commentary_url(assessment), {"text": "Mine", "version": 0}
    )
    assert response.status_code == HTTPStatus.OK
    assert Commentary.objects.get().text == "Theirs"


def test_submitted_commentary_is_read_only(assessment, people):
    for kloe in assessment.framework.kloes.all():
        CommentaryFactory(assessment=assessment, kloe=kloe, updated_by=people["trust"])
    assessment_transition(assessment=assessment, action="submit_commentary", actor=people["trust"])
    client = signed_in(people["trust"])
    page = client.get(commentary_url(assessment)).content.decode()
    assert "can no longer be changed" in page
    assert 'name="text"' not in page
    response = client.post(commentary_url(assessment), {"text": "Late change", "version": 1})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Commentary.objects.get(kloe__code="finance").text == "Our commentary on this KLOE."


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("other_trust", HTTPStatus.NOT_FOUND),
        ("outsider", HTTPStatus.NOT_FOUND),
        ("lead", HTTPStatus.FORBIDDEN),
        ("admin", HTTPStatus.FORBIDDEN),
    ],
)
def test_only_the_trust_uses_its_commentary_page(assessment, people, who, expected):
    CommentaryFactory(assessment=assessment, text="Secret draft", updated_by=people["trust"])
    client = signed_in(people[who])
    response = client.get(commentary_url(assessment))
    assert response.status_code == expected
    assert "Secret draft" not in response.content.decode()
    response = client.post(commentary_url(assessment), {"text": "Changed", "version": 1})
    assert response.status_code == expected
    assert Commentary.objects.get().text == "Secret draft"


def test_an_unknown_kloe_is_not_found(assessment, people):
    response = signed_in(people["trust"]).get(commentary_url(assessment, code="no-such-kloe"))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_team_sees_commentary_only_once_submitted(assessment, people):
    for kloe in assessment.framework.kloes.all():
        CommentaryFactory(
            assessment=assessment,
            kloe=kloe,
            text=f"Draft on {kloe.code}",
            updated_by=people["trust"],
        )
    workspace = url("kloe_workspace", assessment, code="finance")
    lead = signed_in(people["lead"])
    assert "Draft on finance" not in lead.get(workspace).content.decode()
    assessment_transition(assessment=assessment, action="submit_commentary", actor=people["trust"])
    assert "Draft on finance" in lead.get(workspace).content.decode()


def test_the_overview_links_the_trust_to_each_kloe_commentary(assessment, people):
    page = signed_in(people["trust"]).get(assessment.get_absolute_url()).content.decode()
    for code in ("finance", "people"):
        assert commentary_url(assessment, code) in page
    assert "Submit commentary" in page


def test_commentary_is_closed_once_evidence_gathering_starts(assessment, people):
    set_status(assessment, Status.EVIDENCE)
    response = signed_in(people["trust"]).post(
        commentary_url(assessment), {"text": "Too late", "version": 0}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Commentary.objects.exists()
