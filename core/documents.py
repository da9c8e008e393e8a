"""Rendered documents: render a queued PDF once, fail it with its error, serve it intact.

Each app makes its queued rows (with the next number) and says how to turn one into PDF
bytes; the states, the locking and the checksum are the same everywhere and live here.
`render` is safe to run twice, even at once: it claims the row first (core.jobs.job_claim),
never makes a row and never changes a ready one, so a redelivered Celery task is harmless.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .jobs import JobKind, job_claim, job_kind_for
from .models import AbstractRenderedDocument

ERROR_MAX_LENGTH = 2000

D = TypeVar("D", bound=AbstractRenderedDocument)


class ReportCorrupted(Exception):
    """The stored bytes are not ready or no longer match their checksum."""


def document_job_kind(*, model: type[AbstractRenderedDocument], task_name: str, fail) -> JobKind:
    """The job kind of a rendered-document model, for `core.jobs.job_kind_register`.

    `fail(report_id=..., error=...)` is the app's own service (it may notify people).
    """
    return JobKind(
        model=model,
        task_name=task_name,
        time_limit=settings.UOR_RENDER_TIME_LIMIT + settings.UOR_TIME_LIMIT_GRACE,
        running=model.Status.RENDERING,
        doing="rendering",
        requested_field="requested_at",
        fail=lambda pk, reason: fail(report_id=pk, error=reason),
        requeue_fields=lambda reason: {"error": reason},
    )


def document_render(*, model: type[D], pk: int, render: Callable[[D], bytes]) -> D:
    """Render row `pk` of `model` with `render` if this run claims it; store bytes, SHA-256.

    A row that is ready, failed or being rendered by a live worker is returned as it is.
    A failed attempt goes back to the queue with its error and the exception propagates,
    so the task can retry it.
    """
    if not job_claim(job_kind_for(model), pk):
        return model.objects.defer("pdf").get(pk=pk)
    document = model.objects.get(pk=pk)
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
