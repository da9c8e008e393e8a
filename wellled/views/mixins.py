"""Load a page's subject through a selector (404 for what the user may not see), ask
wellled.policies whether the user may act (403 with the policy's message), and show a
service's refusal on the form: what every well-led page shares."""

from collections.abc import Callable

from django.core.exceptions import ValidationError

from core.policies import ALLOW, Decision
from metrics.mixins import PolicyRequiredMixin
from metrics.models import Trust, User
from metrics.selectors import trust_get_for_user

from .. import policies


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: by field where it names one, else on top."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


class SubjectMixin(PolicyRequiredMixin):
    """Load the page's subject first (404 when the user may not see it), then enforce
    `may_view` / `may_post` (403 with the policy's message). Subclasses set `load` and the
    two checks, each answering with a wellled.policies predicate."""

    policy = policies.may_see_wellled
    http_method_names = ["get", "head", "post"]

    def load(self):
        raise NotImplementedError

    def may_view(self, user, subject) -> Decision:
        return ALLOW  # the selector in `load` decided who may see the subject

    def may_post(self, user, subject) -> Decision:
        raise NotImplementedError("a page that takes posts names their policy")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.subject = self.load()
        # NOTE: a method the page does not take answers 405 from Django's dispatch, not a
        # refusal: there is no policy to ask about a post to a page without a form.
        if request.method.lower() in self.http_method_names:
            may = self.may_post if request.method == "POST" else self.may_view
            may(request.user, self.subject).enforce()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class TrustSubjectMixin(SubjectMixin):
    def load(self) -> Trust:
        self.trust = trust_get_for_user(user=self.request.user, ods_code=self.kwargs["ods_code"])
        return self.trust

    def get_context_data(self, **kwargs):
        return super().get_context_data(trust=self.trust, **kwargs)


class TrustFormMixin(TrustSubjectMixin):
    """A form about one trust, shown and taken by those `trust_policy` allows."""

    trust_policy: Callable[[User, Trust], Decision]

    def may_view(self, user, subject) -> Decision:
        # NOTE: read through the class, so the plain function is not bound as a method.
        return type(self).trust_policy(user, subject)

    may_post = may_view
