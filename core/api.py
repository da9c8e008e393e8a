"""The API's one error handler: a service's refusal reaches the client with its message.

Services raise Django's ValidationError (bad input, a step not possible now) and
PermissionDenied (a policy said no); selectors raise Http404 for what the caller may not
know exists. API views let them propagate, and this handler, set as DRF's
`EXCEPTION_HANDLER`, answers 400 (409 for an edit conflict), 403 and 404.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback


class EditConflict(ValidationError):
    """Two people edited the same item: the second is told and loses nothing (409)."""


def api_exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        # A field's errors under its name; errors of the whole request under "errors".
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"errors": exc.messages}
        conflict = isinstance(exc, EditConflict)
        set_rollback()
        return Response(
            detail, status=status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, PermissionDenied):
        # DRF's own handler would drop the policy's message.
        exc = exceptions.PermissionDenied(str(exc) or None)
    return exception_handler(exc, context)
