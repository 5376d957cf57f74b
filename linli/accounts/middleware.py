import time

from django.conf import settings
from django.contrib.auth import logout


class IdleTimeoutMiddleware:
    """Log out a user who has been idle longer than LINLI_IDLE_TIMEOUT_SECONDS.

    SESSION_COOKIE_AGE already expires the cookie, but an explicit server-side check also
    covers sessions whose cookie is replayed and makes the rule testable.
    """

    KEY = "_linli_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - last > settings.LINLI_IDLE_TIMEOUT_SECONDS:
                logout(request)
            else:
                request.session[self.KEY] = now
        return self.get_response(request)
