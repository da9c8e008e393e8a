"""API authentication: the browser session, answering 401 (not 403) to the signed-out."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate_header(self, request):
        # NOTE: DRF answers 403 when no scheme names a challenge; naming one makes it 401,
        # which tells a client to sign in rather than that it lacks rights.
        return 'Session realm="UoR"'


class SessionScheme(OpenApiAuthenticationExtension):
    """Describe our session authentication in the OpenAPI schema (a cookie, as DRF's is)."""

    target_class = "metrics.api_auth.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
