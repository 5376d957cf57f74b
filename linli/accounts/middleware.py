import time

from django.conf import settings
from django.contrib.auth import logout


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
