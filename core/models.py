"""Abstract models for what several apps store the same way: uploaded files and PDFs.

Each app keeps its own table (a concrete model that inherits from these and adds what ties
the row to its owner), so no app's data moves. `core` has one table of its own, `StoredFile`:
the bytes of every uploaded file, which `core.storage.DatabaseStorage` reads and writes.
"""

import uuid

from django.conf import settings
from django.db import models


def upload_path(instance, filename):
    # Stored under a generated name; the original name is kept only as data.
    return f"{instance.upload_folder()}/{instance.stored_name}"


class AbstractAttachment(models.Model):
    """A file checked by `core.uploads` (type, size, content) and kept with its checksum.

    A concrete model adds the foreign keys to what the file belongs to and says, in
    `upload_folder`, where its files go.
    """

    original_name = models.CharField("file name", max_length=255)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    file = models.FileField(upload_to=upload_path, max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    def upload_folder(self) -> str:
        """The folder part of this row's file name in the storage."""
        raise NotImplementedError

    @staticmethod
    def new_stored_name(extension: str) -> str:
        return f"{uuid.uuid4().hex}{extension}"


class StoredFile(models.Model):
    """The bytes of one uploaded file, under the name its FileField holds.

    NOTE: kept in the database beside the rows that name it, so a file is saved and rolled
    back with its row, backed up with the data, and read alike by every web and worker process.
    """

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveIntegerField("size in bytes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AbstractRenderedDocument(models.Model):
    """One rendering of a PDF. Once ready, its bytes and their SHA-256 never change.

    A new render is a new row with the next number; a failed row stays failed with its
    error. `core.documents` moves a row through its states and `core.tasks` retries it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    number = models.PositiveIntegerField("version")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    pdf = models.BinaryField(default=b"", editable=False)
    size = models.PositiveIntegerField("size in bytes", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when rendered from the command line.",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        # NOTE: a concrete model that lists its own constraints must list these too
        # (`[*AbstractRenderedDocument.Meta.constraints, ...]`): Meta replaces, not merges.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "rendering", "ready", "failed"]),
                name="%(app_label)s_%(class)s_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(sha256=""),
                name="%(app_label)s_%(class)s_ready_has_checksum",
            ),
        ]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def progress(self) -> int:
        """A rough percentage for the page's status line (a render has no finer steps)."""
        return {"queued": 0, "rendering": 50}.get(self.status, 100)


class AbstractFramework(models.Model):
    """One version of a framework loaded from a fixture file (UoR or well-led).

    A version in use is never changed; a new version is a new row with its own code.
    """

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=20)
    published = models.CharField(max_length=20, blank=True)
    notes = models.TextField(blank=True)
    sources = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True
        ordering = ["-version", "code"]

    def __str__(self):
        return f"{self.name} ({self.version})"

    @classmethod
    def fields_from(cls, data: dict) -> dict:
        """The header fields of a framework fixture file, as the model stores them."""
        return {
            "code": data["code"],
            "name": data["name"],
            "version": str(data["version"]),
            "published": str(data.get("published") or ""),
            "notes": data.get("notes") or "",
            "sources": data.get("sources") or [],
        }


class AbstractKloe(models.Model):
    """A key line of enquiry of one framework version; the concrete model names its framework."""

    code = models.SlugField(max_length=50)
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    question = models.TextField()

    class Meta:
        abstract = True
        ordering = ["framework", "number"]

    @classmethod
    def fields_from(cls, entry: dict) -> dict:
        return {key: entry[key] for key in ("code", "number", "title", "question")}
