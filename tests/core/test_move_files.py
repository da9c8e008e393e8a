"""`move_files_to_database` copies files kept on disk before into the database, once."""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command

from assessments.models import Attachment
from core.models import StoredFile
from tests.factories import PDF_BYTES, AttachmentFactory, SelfReviewAttachmentFactory

pytestmark = pytest.mark.django_db

OLD_BYTES = b"%PDF-1.4\nan old file\n%%EOF\n"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("move_files_to_database", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def old_files(settings):
    """Two attachments whose bytes are on disk under MEDIA_ROOT only, as before the move, and
    one whose file was lost from disk."""
    disk = FileSystemStorage(location=settings.MEDIA_ROOT)
    rows = [AttachmentFactory(), SelfReviewAttachmentFactory(), AttachmentFactory()]
    for row in rows:
        StoredFile.objects.filter(name=row.file.name).delete()
    for row in rows[:2]:
        disk.save(row.file.name, io.BytesIO(OLD_BYTES + row.file.name.encode()))
    return disk, rows


def test_the_command_moves_every_file_on_disk_and_names_the_missing_one(old_files):
    disk, (evidence_file, wellled_file, lost) = old_files
    out, err = run()
    assert "Moved 2 files" in out
    assert "missing from disk: 1" in out
    assert lost.file.name in err
    for row in (evidence_file, wellled_file):
        fresh = type(row).objects.get(pk=row.pk)
        with fresh.file.open("rb") as handle:
            assert handle.read() == OLD_BYTES + row.file.name.encode()
        assert disk.exists(row.file.name)  # kept on disk unless asked
    assert not StoredFile.objects.filter(name=lost.file.name).exists()


def test_running_it_again_copies_nothing_twice_and_delete_clears_the_disk(old_files):
    disk, (evidence_file, wellled_file, _lost) = old_files
    run()
    out, _err = run("--delete")
    assert "Moved 0 files" in out
    assert "already there: 2" in out
    assert "Deleted 2 moved files" in out
    assert (
        StoredFile.objects.filter(
            name__in=[evidence_file.file.name, wellled_file.file.name]
        ).count()
        == 2
    )
    assert not disk.exists(evidence_file.file.name)
    assert not disk.exists(wellled_file.file.name)
    # The file still downloads: it is in the database now.
    with Attachment.objects.get(pk=evidence_file.pk).file.open("rb") as handle:
        assert handle.read().startswith(OLD_BYTES)


def test_a_file_already_in_the_database_is_left_alone(settings):
    attachment = AttachmentFactory()
    (settings.MEDIA_ROOT / attachment.file.name).parent.mkdir(parents=True)
    (settings.MEDIA_ROOT / attachment.file.name).write_bytes(b"a stale copy")
    out, _err = run()
    assert "Moved 0 files" in out
    with Attachment.objects.get(pk=attachment.pk).file.open("rb") as handle:
        assert handle.read() == PDF_BYTES


@pytest.mark.parametrize(
    ("migration", "moved", "lost"),
    [
        ("assessments.migrations.0013_attachment_files_to_database", [0], [2]),
        ("wellled.migrations.0003_attachment_files_to_database", [1], []),
    ],
)
def test_the_data_migrations_move_the_files_kept_on_disk(old_files, migration, moved, lost, capsys):
    """What `migrate` ran when StoredFile came in, given the registry it would get."""
    disk, rows = old_files
    files_to_database = importlib.import_module(migration).files_to_database
    files_to_database(django_apps, None)
    files_to_database(django_apps, None)  # a second run copies nothing twice
    names = [row.file.name for row in rows]
    in_database = set(StoredFile.objects.filter(name__in=names).values_list("name", flat=True))
    assert in_database == {names[i] for i in moved}
    assert all(disk.exists(names[i]) for i in moved)  # a migration never deletes
    out = capsys.readouterr().out
    assert [name for name in names if name in out] == [names[i] for i in lost]
