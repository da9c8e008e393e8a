"""Rendered documents: render a queued PDF once, fail it with its error, serve it intact.

Each app makes its queued rows (with the next number) and says how to turn one into PDF
bytes; the states, the locking and the checksum are the same everywhere and live here.
`render` is safe to run twice, even at once: it never makes a row and never changes a
ready one, so a redelivered Celery task is harmless.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from .models import AbstractRenderedDocument

ERROR_MAX_LENGTH = 2000

D = TypeVar("D", bound=AbstractRenderedDocument)


class ReportCorrupted(Exception):
    """The stored bytes are not ready or no longer match their checksum."""


def document_render(*, model: type[D], pk: int, render: Callable[[D], bytes]) -> D:
    """Render row `pk` of `model` with `render` unless it is ready; store bytes and SHA-256.

    The row is claimed and finished under a row lock. A failed attempt goes back to the
    queue with its error and the exception propagates, so the task can retry it.
    """
    with transaction.atomic():
        document = model.objects.select_for_update().get(pk=pk)
        if document.status == model.Status.READY:
            return document
        document.status = model.Status.RENDERING
        document.started_at = timezone.now()
        document.attempts += 1
        document.save(update_fields=["status", "started_at", "attempts"])
    # NOTE: the render runs outside any transaction: no row stays locked for its seconds.
    try:
        pdf = render(document)
    except Exception as error:
        _unfinished(model, pk).update(status=model.Status.QUEUED, error=_error_text(error))
        raise
    with transaction.atomic():
        document = model.objects.select_for_update().get(pk=pk)
        if document.status == model.Status.READY:
            return document  # a twin run finished first: its bytes stand
        document.pdf = pdf
        document.size = len(pdf)
        document.sha256 = hashlib.sha256(pdf).hexdigest()
        document.status = model.Status.READY
        document.error = ""
        document.finished_at = timezone.now()
        document.save()
    return document


def document_fail(*, model: type[AbstractRenderedDocument], pk: int, error) -> None:
    """Mark the row failed with its error (an exception or text), once retries are spent."""
    text = error if isinstance(error, str) else _error_text(error)
    _unfinished(model, pk).update(
        status=model.Status.FAILED, error=text[:ERROR_MAX_LENGTH], finished_at=timezone.now()
    )


def document_download(*, document: AbstractRenderedDocument, not_ready: str, mismatch: str):
    """The row's bytes, after checking them against the SHA-256 stored with them.

    Raise ReportCorrupted with `not_ready` or `mismatch` (each app words its own) rather
    than serve bytes that are missing or changed since they were rendered.
    """
    model = type(document)
    if document.status != model.Status.READY:
        raise ReportCorrupted(not_ready)
    pdf = bytes(model.objects.filter(pk=document.pk).values_list("pdf", flat=True).get())
    if hashlib.sha256(pdf).hexdigest() != document.sha256:
        raise ReportCorrupted(mismatch)
    return pdf


def _unfinished(model, pk):
    return model.objects.filter(pk=pk).exclude(status=model.Status.READY)


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
