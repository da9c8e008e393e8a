"""Checked uploads: the one service every app stores files through."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Attachment
from core.uploads import FILE_CONTENT, FILE_EMPTY, FILE_TYPE, upload_check, upload_store
from tests.factories import PDF_BYTES, AssessmentFactory


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", FILE_TYPE),
        ("renamed.pdf", b"MZ\x90\x00", FILE_CONTENT.format(kind="PDF", extension=".pdf")),
        ("empty.pdf", b"", FILE_EMPTY),
    ],
)
def test_a_file_is_refused_unless_its_name_and_content_agree(name, content, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(".", r"\.")):
        upload_check(name=name, content=content)


@pytest.mark.django_db
def test_a_stored_file_gets_a_generated_name_and_its_checksum(assessor):
    assessment = AssessmentFactory()
    attachment = upload_store(
        attachment=Attachment(assessment=assessment),
        name="../../Board minutes.PDF",
        content=PDF_BYTES,
        actor=assessor,
    )
    attachment.refresh_from_db()
    assert attachment.original_name == "Board minutes.PDF"
    assert attachment.stored_name.endswith(".pdf")
    assert attachment.file.name == f"attachments/{assessment.pk}/{attachment.stored_name}"
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert (attachment.size, attachment.uploaded_by) == (len(PDF_BYTES), assessor)
