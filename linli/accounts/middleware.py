import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty


class ResolvedUserMiddleware:
    """request.user as the user object itself, not behind the lazy proxies AuthenticationMiddleware and django-otp
    put there (one inside the other). Every page reads the user (the idle timeout below does first, so this loads
    nothing more), and each attribute read through the two proxies cost ~2 µs: a queue page read some 450 (the
    menu's role checks above all), ~1 ms of its CPU (issue 20). django-otp's fields (is_verified) are on the user
    object itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if isinstance(user, LazyObject):
            while isinstance(user, LazyObject):
                if user._wrapped is empty:
                    user._setup()
                user = user._wrapped
            request.user = user
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Log out a user who has been idle longer than LINLI_IDLE_TIMEOUT_SECONDS.

    SESSION_COOKIE_AGE already expires the cookie, but an explicit server-side check also
    covers sessions whose cookie is replayed and makes the rule testable.
    """

    KEY = "_linli_last_seen"
    #: the last-seen stamp (and so the session row) is rewritten at most this often
    RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - last > settings.LINLI_IDLE_TIMEOUT_SECONDS:
                logout(request)
            elif last is None or now - last >= self.RESOLUTION:
                # Marks the session modified, which also renews its cookie: a sliding 30-minute window.
                request.session[self.KEY] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A user whose password an administrator set (User.must_change_password) reaches nothing but the
    password change page (and logout) until they choose their own.

    Bearer-token API requests are not session logins and pass (the token's owner chose to issue it);
    static files pass. Pages redirect to the change page; htmx and session API calls get a refusal.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            if not self._exempt(request):
                return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        path = request.path_info
        if path in (reverse("accounts:password_change"), reverse("accounts:logout")):
            return True
        if path in (
            reverse("accounts:twofactor_verify"),
            reverse("accounts:twofactor_setup"),
            reverse("accounts:twofactor_codes"),
        ):
            return True  # the second step comes first (TwoFactorMiddleware), then the new password
        if path.startswith(settings.STATIC_URL):
            return True
        return request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer ")

    @staticmethod
    def _refuse(request):
        url = reverse("accounts:password_change")
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": "请先在网页上修改密码（管理员设置的密码须本人修改）。"}, status=403)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)


class TwoFactorMiddleware:
    """两步验证 (linli.accounts.twofactor): a session whose login still needs the second step reaches nothing but
    the code page (an account with an authenticator) or the setup page (an account that must have one and has none,
    under LINLI_2FA_ENFORCE), and logout and static files.

    What the login needs was decided when the user logged in and kept in the session (no query per page);
    django-otp's OTPMiddleware, earlier in MIDDLEWARE, says whether this session passed the step. Bearer-token API
    requests pass: a token is its own factor, issued from a session that passed. Pages redirect (keeping where the
    user was going); htmx and session API calls get a refusal.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._exempt(request):
            from linli.accounts import twofactor

            state = twofactor.session_state(request)
            if state != twofactor.OK and not getattr(user, "is_verified", bool)():
                return self._refuse(request, state)
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        path = request.path_info
        if path.startswith(settings.STATIC_URL):
            return True
        if path in (
            reverse("accounts:twofactor_verify"),
            reverse("accounts:twofactor_setup"),
            reverse("accounts:logout"),
        ):
            return True
        return request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer ")

    @staticmethod
    def _refuse(request, state):
        from urllib.parse import urlencode

        from linli.accounts import twofactor

        url = reverse("accounts:twofactor_setup" if state == twofactor.SETUP else "accounts:twofactor_verify")
        if request.path_info.startswith("/api/"):
            detail = "请先在网页上设置两步验证。" if state == twofactor.SETUP else "请先在网页上完成两步验证。"
            return JsonResponse({"detail": detail}, status=403)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        if request.method == "GET" and request.path_info != reverse("core:home"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
