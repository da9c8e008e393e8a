"""Files are served only to people who may see the item they belong to, never inline."""

from django.views.generic import View

from assessments.selectors import attachment_for_user
from core.downloads import attachment_response

from .mixins import AssessmentPageMixin


class AttachmentDownloadView(AssessmentPageMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        attachment = attachment_for_user(
            user=request.user, assessment=self.assessment, pk=self.kwargs["attachment_pk"]
        )
        return attachment_response(attachment)
