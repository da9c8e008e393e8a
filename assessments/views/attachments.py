"""Files are served only to people who may see the item they belong to, never inline."""

from django.http import FileResponse
from django.views.generic import View

from assessments.selectors import attachment_for_user

from .mixins import AssessmentPageMixin


class AttachmentDownloadView(AssessmentPageMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        attachment = attachment_for_user(
            user=request.user, assessment=self.assessment, pk=self.kwargs["attachment_pk"]
        )
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        # NOTE: never let a browser guess the type: an upload must not run as a page.
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
