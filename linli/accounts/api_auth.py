"""Authentication for the JSON API: a bearer token for programs, the login session for pages.

Both put the acting user on `request.auth_user` (and return it, so it is `request.auth`);
endpoints select rows with `Model.objects.restrict(request.auth_user, action)` like the pages do.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from linli.accounts.models import ApiToken
from linli.accounts.tokens import live_token, remember_last_used

#: last_used_at is written at most this often per token, so a busy client costs no extra writes.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)

BAD_TOKEN_MESSAGE = "API令牌无效、已撤销、已过期，或其用户已停用。"
READ_ONLY_MESSAGE = "这个API令牌是只读的，不能修改数据：请在“接口令牌”页面生成一个“读写”令牌。"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CSRF_MESSAGE = "CSRF校验失败：以登录会话调用修改数据的接口时，须在 X-CSRFToken 请求头里带上CSRF令牌。"


class BearerToken(HttpBearer):
    """`Authorization: Bearer <key>`: an ApiToken found by the hash of the key, not revoked, user active.

    A request that presents a bearer token is judged by that token alone: a bad one (unknown,
    revoked, expired, inactive user) is a 401 at once, never a fall-through to the session (which
    would make a revoked token look like a CSRF failure or, worse, succeed on a browser that is also
    logged in). A read-only token is refused (403) on every unsafe method of every endpoint here,
    in this one place, before any endpoint runs.

    The token and its user come from a per-process cache (linli.accounts.tokens.live_token) that every save of a
    token, a user or an area assignment invalidates in every process at once: no SELECT per request.
    """

    def __call__(self, request):
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _, key = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        user = self.authenticate(request, key.strip())
        if user is None:
            raise AuthenticationError(401, BAD_TOKEN_MESSAGE)
        if request.method not in SAFE_METHODS and not request.api_token.writable:
            raise HttpError(403, READ_ONLY_MESSAGE)
        return user

    def authenticate(self, request, token: str):
        if not token:
            return None
        key_hash = ApiToken.hash_key(token)
        found = live_token(key_hash)  # per process, checked against the shared version on every request
        now = timezone.now()
        if found is None or found.expires_at <= now:
            return None
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            # Conditional update: concurrent requests of one client write once, not once each. A queryset update
            # sends no signal, so the cached tokens stay; the cached copy learns the time.
            ApiToken.objects.filter(pk=found.pk).exclude(last_used_at__gt=now - LAST_USED_RESOLUTION).update(
                last_used_at=now
            )
            remember_last_used(key_hash, now)
        user = found.user
        request.user = user
        request.auth_user = user
        request.api_token = found
        return user


class SessionAuth(NinjaSessionAuth):
    """The page login, reused. Unsafe methods need the CSRF token, exactly as on the pages.

    The CSRF check runs only once a session user is found, so an anonymous request gets
    401 (log in) rather than a misleading 403 (CSRF).
    """

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, CSRF_MESSAGE)
        request.auth_user = user
        return user


def full_personal_data(request) -> bool:
    """Whether this request may be answered with full phones and sensitive tags (when the role allows them).

    A login session: yes, as on the pages. A token: only one made with 完整电话和敏感标签 ticked; a token
    is what runs unattended in a script, so by default it gets what a bulk read needs least.
    """
    token = getattr(request, "api_token", None)
    return token is None or token.personal_data


bearer_token = BearerToken()
session_auth = SessionAuth(csrf=True)
