"""A Django file storage that keeps each file's bytes in the database (`core.StoredFile`).

The default storage everywhere (settings STORAGES): an uploaded file is written through the
default connection, so it commits or rolls back with the row that names it, is in every
backup of the database, and every web and worker process reads the same file.
Files have no URL: they go out only through the download views, which check who may see them.
https://docs.djangoproject.com/en/5.2/howto/custom-file-storage/
"""

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible

from .models import StoredFile

READ_ONLY = "A stored file is read-only: save a new file under a new name instead."


@deconstructible(path="core.storage.DatabaseStorage")
class DatabaseStorage(Storage):
    """Files as rows of `core.StoredFile`; names are the FileField's names, unchanged.

    NOTE: a file is read whole into memory when opened. Uploads are at most 20 MB
    (core.uploads.MAX_ATTACHMENT_BYTES), so one download holds at most that much.
    """

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wa+"):
            raise ValueError(READ_ONLY)
        content = StoredFile.objects.filter(name=name).values_list("content", flat=True).first()
        if content is None:
            raise FileNotFoundError(f"No stored file named {name!r}.")
        return ContentFile(bytes(content), name=name)

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks())
        StoredFile.objects.create(name=name, content=data, size=len(data))
        return name

    def exists(self, name):
        return StoredFile.objects.filter(name=name).exists()

    def delete(self, name):
        StoredFile.objects.filter(name=name).delete()

    def size(self, name):
        size = StoredFile.objects.filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(f"No stored file named {name!r}.")
        return size

    def get_created_time(self, name):
        created = StoredFile.objects.filter(name=name).values_list("created_at", flat=True).first()
        if created is None:
            raise FileNotFoundError(f"No stored file named {name!r}.")
        return created

    # A stored file never changes, so it was last modified when it was created.
    get_modified_time = get_created_time
    get_accessed_time = get_created_time

    def listdir(self, path):
        """The folders and files directly under `path` (a prefix of the names)."""
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        folders, files = set(), []
        names = StoredFile.objects.filter(name__startswith=prefix).values_list("name", flat=True)
        for name in names:
            first, slash, _rest = name.removeprefix(prefix).partition("/")
            if slash:
                folders.add(first)
            else:
                files.append(first)
        return sorted(folders), sorted(files)

    def url(self, name):
        raise NotImplementedError("Stored files have no URL: serve them through a download view.")
