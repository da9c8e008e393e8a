"""Moving uploaded files from MEDIA_ROOT, where they were kept before, into the database.

Used by the data migrations that brought `core.StoredFile` in and by the command
`manage.py move_files_to_database` (for files copied in later, say from an old volume).
Safe to run again: a file already in the database is counted, not copied twice.
"""

from dataclasses import dataclass
from pathlib import Path

from django.apps import apps

from .models import AbstractAttachment

MISSING = (
    "Missing: {path} ({model} {pk}) is not on disk; its row is kept, but its file cannot be "
    "downloaded until the file is put there and `manage.py move_files_to_database` is run."
)
OUTSIDE = "Skipped: {name} ({model} {pk}) names a place outside {root}."


@dataclass
class MoveCounts:
    moved: int = 0
    already: int = 0
    missing: int = 0
    deleted: int = 0


def attachment_models() -> list[type[AbstractAttachment]]:
    """Every app's concrete attachment model (core imports no app: it asks the registry)."""
    return [model for model in apps.get_models() if issubclass(model, AbstractAttachment)]


def files_move_to_database(
    *, attachments, stored_files, media_root: Path, delete: bool = False, warn=print
) -> MoveCounts:
    """Copy the file of each row of `attachments` from `media_root` into `stored_files`.

    `stored_files` is the StoredFile model (a migration passes its historical one). With
    `delete`, a file is removed from disk once its copy is in the database; the caller must
    run outside a transaction then, so that copy is committed before the file goes.
    """
    counts = MoveCounts()
    root = media_root.resolve()
    label = attachments.model._meta.label
    for pk, name in attachments.exclude(file="").values_list("pk", "file").iterator():
        path = (root / name).resolve()
        if not path.is_relative_to(root):
            warn(OUTSIDE.format(name=name, model=label, pk=pk, root=root))
            counts.missing += 1
            continue
        if stored_files.objects.filter(name=name).exists():
            counts.already += 1
        elif path.is_file():
            content = path.read_bytes()
            stored_files.objects.create(name=name, content=content, size=len(content))
            counts.moved += 1
        else:
            warn(MISSING.format(path=path, model=label, pk=pk))
            counts.missing += 1
            continue
        if delete and path.is_file():
            path.unlink()
            counts.deleted += 1
    return counts
