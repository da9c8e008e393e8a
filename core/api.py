"""The API's one error handler: a service's refusal reaches the client with its message.

Services raise Django's ValidationError (bad input, a step not possible now) and
PermissionDenied (a policy said no); selectors raise Http404 for what the caller may not
know exists. API views let them propagate, and this handler, set as DRF's
`EXCEPTION_HANDLER`, answers 400 (409 for an edit conflict, 428 for an edit without the
`version` it changes), 403 and 404. core.api_schema documents each of these answers.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback


class EditConflict(ValidationError):
    """Two people edited the same item: the second is told and loses nothing (409)."""


class VersionRequired(EditConflict):
    """An edit of an item that exists named no `version`: refused (428 Precondition Required)
    rather than let it overwrite, unchecked, whatever was saved since the client read it."""


def api_exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        # A field's errors under its name; errors of the whole request under "errors".
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"errors": exc.messages}
        if isinstance(exc, VersionRequired):
            code = status.HTTP_428_PRECONDITION_REQUIRED
        elif isinstance(exc, EditConflict):
            code = status.HTTP_409_CONFLICT
        else:
            code = status.HTTP_400_BAD_REQUEST
        set_rollback()
        return Response(detail, status=code)
    if isinstance(exc, PermissionDenied):
        # DRF's own handler would drop the policy's message.
        exc = exceptions.PermissionDenied(str(exc) or None)
    return exception_handler(exc, context)


def not_found(request, exception):
    """Django's 404 for a URL no route matches (settings' handler404): under /api/ the JSON
    answer DRF gives for a missing object, so an API client always gets the documented body."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
