"""Page-only middleware, skipped for bearer-token calls of the JSON API.

A request to /api/ that presents `Authorization: Bearer …` is judged by that token alone
(linli.accounts.api_auth.BearerToken: a bad one is a 401 at once, never a fall-through to the session), so what
only a browser's page needs does not apply to it: the session (and the login read from it: the user is anonymous
until the token's user takes its place), the page's language, django-otp's second-step details, the flash
messages, htmx's request details and the page's Content-Security-Policy (a JSON answer is not rendered). Each is
listed in settings.MIDDLEWARE at its usual place as a subclass from here that passes such a request straight
through: 5,932 → 5,270 Python calls per API create (docs/benchmarks.md, "API create").

Still applied to every request: the request log, the metrics, the probes, SecurityMiddleware's headers and
redirect, static files, CommonMiddleware (host check, slashes), CsrfViewMiddleware (ninja's operations are exempt
and check CSRF themselves for a session; kept by name for Django's deploy check, and it costs a bearer call ~20
calls), Linli's idle timeout, password-change and second-step gates (they pass an anonymous or bearer request),
X-Frame-Options, the Chinese JSON error pages, the login lockout's answer (django-axes' check looks for it by name)
and the read replica's routing. The token's scope, rate limits and change records are the API's own (linli.api,
the services).

A request to /api/ without a bearer token (the browser's session calling the API, the docs page) and every page
(whatever headers it sends) get every middleware.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware as _CSPMiddleware
from django.contrib.auth.middleware import AuthenticationMiddleware as _AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware as _MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as _SessionMiddleware
from django.middleware.locale import LocaleMiddleware as _LocaleMiddleware
from django_htmx.middleware import HtmxMiddleware as _HtmxMiddleware
from django_otp.middleware import OTPMiddleware as _OTPMiddleware

API_PREFIX = "/api/"
_FLAG = "_linli_bearer_api"


def bearer_api(request) -> bool:
    """A call of the JSON API that presents a bearer token (decided once per request)."""
    found = request.__dict__.get(_FLAG)
    if found is None:
        found = request.path_info.startswith(API_PREFIX) and (
            request.META.get("HTTP_AUTHORIZATION", "").partition(" ")[0].lower() == "bearer"
        )
        request.__dict__[_FLAG] = found
    return found


class PageOnly:
    """Mixin: pass a bearer API call straight to the next middleware (no request or response hook of this one)."""

    def __call__(self, request):
        if bearer_api(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(PageOnly, _SessionMiddleware):
    pass


class LocaleMiddleware(PageOnly, _LocaleMiddleware):
    pass


class OTPMiddleware(PageOnly, _OTPMiddleware):
    pass


class MessageMiddleware(PageOnly, _MessageMiddleware):
    pass


class HtmxMiddleware(PageOnly, _HtmxMiddleware):
    pass


class CSPMiddleware(PageOnly, _CSPMiddleware):
    pass


class AuthenticationMiddleware(_AuthenticationMiddleware):
    """A bearer API call has no session to read a login from: its user is anonymous until the token's user
    (linli.accounts.api_auth.BearerToken) takes its place. Every other request: Django's own."""

    def process_request(self, request):
        if bearer_api(request):
            user = AnonymousUser()
            request.user = user

            async def auser():
                return request.user

            request.auser = auser
            return
        super().process_request(request)
