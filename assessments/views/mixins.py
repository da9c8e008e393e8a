"""What every page about one assessment does first: find it for this user, then check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from assessments.models import Kloe

from .assessment import AssessmentObjectMixin

NOT_FOR_YOUR_ROLE = "You cannot do this on this assessment."


class AssessmentPageMixin(AssessmentObjectMixin):
    """404 when the user may not see the assessment; 403 when `may_use` says no."""

    def may_use(self, user, assessment) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assessment = self.get_assessment()
        if not self.may_use(request.user, self.assessment):
            raise PermissionDenied(NOT_FOR_YOUR_ROLE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(assessment=self.assessment, **kwargs)


class KloeMixin:
    """The KLOE named in the URL, from the assessment's own framework version."""

    def get_kloe(self) -> Kloe:
        if not hasattr(self, "_kloe"):
            self._kloe = get_object_or_404(
                self.assessment.framework.kloes.prefetch_related("prompts"),
                code=self.kwargs["code"],
            )
        return self._kloe


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: by field where it names one, else on top."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
