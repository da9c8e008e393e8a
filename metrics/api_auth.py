"""API authentication: the browser session, answering 401 (not 403) to the signed-out."""

from rest_framework import authentication


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate_header(self, request):
        # NOTE: DRF answers 403 when no scheme names a challenge; naming one makes it 401,
        # which tells a client to sign in rather than that it lacks rights.
        return 'Session realm="UoR"'
