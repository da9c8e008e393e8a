"""Files handed back to the people who may see them: always a download, never a page."""

from django.http import FileResponse, HttpResponse


def _private(response: HttpResponse) -> HttpResponse:
    # NOTE: never let a browser guess the type (an upload must not run as a page), and keep
    # confidential files out of shared caches.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_response(attachment) -> FileResponse:
    """An uploaded file (a core.models.AbstractAttachment) under its original name."""
    return _private(
        FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
    )


def document_response(document, pdf: bytes) -> HttpResponse:
    """A rendered PDF (a core.models.AbstractRenderedDocument) whose checksum was verified."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.file_name}"'
    response["Content-Length"] = str(len(pdf))
    response["ETag"] = f'"{document.sha256}"'
    return _private(response)
