"""What every page about one assessment does first: find it for this user, then check."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from assessments.models import Assessment, Kloe
from core.policies import ALLOW, Decision
from metrics.models import User

from .assessment import AssessmentObjectMixin


class AssessmentPageMixin(AssessmentObjectMixin):
    """404 when the user may not see the assessment (the selector); then 403 with the
    message of the page's policy (`assessment_policy`, or `assessment_decision` where the
    answer depends on the request)."""

    assessment_policy: Callable[[User, Assessment], Decision] | None = None

    def assessment_decision(self, user: User, assessment: Assessment) -> Decision:
        # NOTE: read through the class, so a plain function set as the policy is not
        # bound to the view as a method.
        policy = type(self).assessment_policy
        return ALLOW if policy is None else policy(user, assessment)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assessment = self.get_assessment()
        self.assessment_decision(request.user, self.assessment).enforce()
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
