import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse


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
