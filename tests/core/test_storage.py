"""Uploaded files live in the database: saved and rolled back with their rows, none on disk."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError

from assessments.models import Attachment
from core.models import StoredFile
from core.storage import DatabaseStorage
from core.uploads import upload_store
from tests.factories import PDF_BYTES, AssessmentFactory, CommentaryFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def test_an_uploaded_file_is_kept_in_the_database_and_nothing_on_disk(assessor, settings):
    assessment = AssessmentFactory()
    attachment = upload_store(
        attachment=Attachment(
            assessment=assessment, evidence=EvidenceFactory(assessment=assessment)
        ),
        name="minutes.pdf",
        content=PDF_BYTES,
        actor=assessor,
    )
    stored = StoredFile.objects.get(name=attachment.file.name)
    assert (bytes(stored.content), stored.size) == (PDF_BYTES, len(PDF_BYTES))
    assert list(settings.MEDIA_ROOT.rglob("*")) == []
    fresh = Attachment.objects.get(pk=attachment.pk)
    with fresh.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES


def test_a_failure_after_the_file_is_saved_leaves_neither_row_nor_bytes(assessor):
    """The file is written in the row's transaction, so a row refused later takes it along."""
    assessment = AssessmentFactory()
    # NOTE: an attachment may belong to one item only; the database refuses this row only
    # after upload_store has written the file.
    both = Attachment(
        assessment=assessment,
        evidence=EvidenceFactory(assessment=assessment),
        commentary=CommentaryFactory(assessment=assessment, updated_by=assessor),
    )
    with pytest.raises(IntegrityError):
        upload_store(attachment=both, name="minutes.pdf", content=PDF_BYTES, actor=assessor)
    assert not Attachment.objects.exists()
    assert not StoredFile.objects.exists()


def test_the_default_storage_reads_writes_and_deletes_database_files():
    assert isinstance(default_storage, DatabaseStorage)
    name = default_storage.save("notes/a.csv", ContentFile(b"a,b\n1,2\n"))
    assert default_storage.exists(name)
    assert default_storage.size(name) == len(b"a,b\n1,2\n")
    assert default_storage.listdir("notes") == ([], ["a.csv"])
    assert default_storage.listdir("") == (["notes"], [])
    # A second file under a taken name gets a name of its own; the first is untouched.
    other = default_storage.save("notes/a.csv", ContentFile(b"other"))
    assert other != name
    with default_storage.open(name) as handle:
        assert handle.read() == b"a,b\n1,2\n"
    assert default_storage.get_modified_time(name).tzinfo is not None
    default_storage.delete(name)
    assert not default_storage.exists(name)
    with pytest.raises(FileNotFoundError):
        default_storage.open(name)


def test_a_stored_file_has_no_url_and_cannot_be_opened_for_writing():
    name = default_storage.save("notes/b.csv", ContentFile(b"x"))
    with pytest.raises(NotImplementedError, match="download view"):
        default_storage.url(name)
    with pytest.raises(ValueError, match="read-only"):
        default_storage.open(name, "wb")
