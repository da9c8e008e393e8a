"""Middleware: hold back anyone who has not passed a second factor, log every refusal on a
resolved route, and keep the idle timeout without a session write on every request."""

import time

from django.conf import settings
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from metrics.models import SecurityEvent
from metrics.policies import must_enrol_second_factor, must_verify_second_factor
from metrics.services.security import security_event_record
from metrics.views.accounts import ENROL_NEXT_KEY, code_step_begin

# What someone who must enrol may still reach: the enrolment pages and the way out.
ENROLMENT_OPEN = {
    "accounts:two_factor",
    "accounts:two_factor_enrol",
    "accounts:logout",
    "health",
}
# What an enrolled session that never gave a code may still reach.
CODE_STEP_OPEN = {"accounts:login_code", "accounts:logout", "health"}
ENROL_FIRST = "Set up a second factor (an authenticator app) before using the service."
CODE_FIRST = "Sign in again with the code from your authenticator app."


class TwoFactorEnrolmentMiddleware:
    """With second factors on, a session reaches nothing until it has passed one.

    Someone without a factor is sent to enrol (the API answers 403 saying so); an enrolled
    person whose session never gave a code is sent back to the code step. Static files are
    served before this runs, and routes that do not exist answer 404 as for anyone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        match = request.resolver_match
        name = match.view_name if match else ""
        is_api = request.path.startswith("/api/")
        if must_enrol_second_factor(user):
            if name in ENROLMENT_OPEN:
                return None
            if is_api:
                return JsonResponse({"detail": ENROL_FIRST}, status=403)
            if request.method == "GET":
                # Where they were going, offered once enrolment is done.
                request.session[ENROL_NEXT_KEY] = request.get_full_path()
            return redirect(reverse("accounts:two_factor_enrol"))
        if must_verify_second_factor(user):
            if name in CODE_STEP_OPEN:
                return None
            if is_api:
                return JsonResponse({"detail": CODE_FIRST}, status=403)
            next_url = (
                request.get_full_path()
                if request.method == "GET"
                else reverse(settings.LOGIN_REDIRECT_URL)
            )
            return code_step_begin(request, user=user, next_url=next_url)
        return None


class SecurityLogMiddleware:
    """Record every 403 and 404 given on a route that exists (a private object was asked for)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404) and getattr(request, "resolver_match", None):
            kind = (
                SecurityEvent.Kind.FORBIDDEN
                if response.status_code == 403
                else SecurityEvent.Kind.NOT_FOUND
            )
            security_event_record(kind=kind, request=request, user=request.user)
        return response


class PageMethodsMiddleware:
    """Pages answer GET, HEAD and POST only; PUT, PATCH and DELETE belong to the API.

    Django's form views treat PUT like POST, so without this a form could be submitted by a
    method no page offers.
    """

    PAGE_METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.PAGE_METHODS and not request.path.startswith("/api/"):
            return HttpResponseNotAllowed(sorted(self.PAGE_METHODS - {"OPTIONS"}))
        return self.get_response(request)


class SessionIdleMiddleware:
    """Push a signed-in session's expiry back at most once a minute, not on every request.

    The session ends `SESSION_COOKIE_AGE` (30 minutes) after its last save. Saving it on every
    request (SESSION_SAVE_EVERY_REQUEST) cost an UPDATE of django_session per page view; here a
    request saves it only when the last refresh is older than REFRESH_SECONDS (or when the view
    changed the session anyway).
    """

    # NOTE: so someone idle ends up signed out 29 to 30 minutes after their last request, never
    # later than the configured idle time.
    REFRESH_SECONDS = 60
    REFRESHED_AT_KEY = "uor_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # Only a session this request read and that still exists: not a signed-out visitor's,
        # one that expired, or one the view flushed at sign-out.
        if not session.accessed or session.session_key is None:
            return response
        refreshed_at = session.get(self.REFRESHED_AT_KEY, 0)
        if session.modified or time.time() - refreshed_at >= self.REFRESH_SECONDS:
            self.mark_refreshed(session)
        return response

    @classmethod
    def mark_refreshed(cls, session) -> None:
        """Note that this session's expiry is being pushed back now (it is saved with it)."""
        session[cls.REFRESHED_AT_KEY] = int(time.time())
