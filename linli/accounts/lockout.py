"""Login lockout: per account *and* client address, plus a looser limit per client across accounts.

Two rules (issue 13 §8):
- AXES_FAILURE_LIMIT (5) failures for one username from one client address lock that username *from that
  address* for AXES_COOLOFF_TIME. Someone elsewhere guessing a clerk's password does not lock the clerk out.
- LINLI_LOGIN_CLIENT_FAILURE_LIMIT (20) failures from one client address, whatever the usernames, lock that
  address for every username: one address cannot spray passwords across the registry's accounts.

django-axes expresses several parameter sets (AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"],
"ip_address"]) but compares the largest count with one AXES_FAILURE_LIMIT, so the per-client limit would be
5 too, and a whole office behind one NAT address would be locked by five typos. LoginLockoutHandler keeps
axes' storage, signals, reset and lockout page and replaces only the count: the pair against the account
limit, the address against its own, higher one. It also stops a successful login from wiping the address's
failures with other usernames (axes deletes every parameter set's rows on success), which would let an
attacker holding any valid account reset their own spraying counter.

A locked-out user with a phone on their account lifts the lock on their username with a texted code
(`send_unlock_code`, `unlock_with_code`, reusing linli.tracking.otp and its limits per phone and client).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction


def client_failure_limit() -> int:
    return getattr(settings, "LINLI_LOGIN_CLIENT_FAILURE_LIMIT", 20)


def _total(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginLockoutHandler(AxesDatabaseHandler):
    """axes' database handler with two thresholds (see the module docstring).

    Relies on AXES_LOCKOUT_PARAMETERS being exactly [["username", "ip_address"], "ip_address"]: the querysets
    axes builds come back in that order (a system check in linli.accounts.apps guards it).
    """

    def get_failures(self, request, credentials=None) -> int:
        pair, client = self.get_user_attempts(request, credentials)
        pair_failures = _total(pair)
        client_failures = _total(client)
        request.linli_client_locked = client_failures >= client_failure_limit()
        if request.linli_client_locked:
            # Report at least the account limit: axes then locks whatever the username.
            return max(pair_failures, get_failure_limit(request, credentials))
        return pair_failures

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On a successful login forget this username's failures from this address only."""
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair.delete()
        return count


LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]


def check_lockout_settings(app_configs=None, **kwargs):
    from django.core import checks

    if (
        getattr(settings, "AXES_LOCKOUT_PARAMETERS", None) != LOCKOUT_PARAMETERS
        or getattr(settings, "AXES_HANDLER", "") != "linli.accounts.lockout.LoginLockoutHandler"
    ):
        return [
            checks.Error(
                "Login lockout needs AXES_HANDLER = 'linli.accounts.lockout.LoginLockoutHandler' and "
                f"AXES_LOCKOUT_PARAMETERS = {LOCKOUT_PARAMETERS!r}.",
                id="linli.accounts.E001",
            )
        ]
    return []


# --- unlock by SMS code -----------------------------------------------------------------------------------


class UnlockError(Exception):
    """A Chinese message for the person unlocking."""


def _phone_of(username: str) -> str:
    from linli.accounts.models import User
    from linli.core.phone import PhoneError, normalize_phone

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not user.phone:
        return ""
    try:
        phone = normalize_phone(user.phone)
    except PhoneError:
        return ""
    return phone if len(phone) == 11 and phone.startswith("1") else ""  # only a mobile receives a text


def send_unlock_code(username: str, *, ip: str | None) -> None:
    """Text a one-time code to the account's mobile phone.

    An unknown username, or one without a mobile, gets the same answer as a real one (no text is sent), so
    the page does not tell a stranger which accounts exist; requests still count against the client's limit.
    """
    from linli.tracking import limits, otp

    phone = _phone_of(username)
    try:
        if phone:
            otp.send_code(phone, ip=ip)
            return
    except otp.OtpError as exc:
        raise UnlockError(str(exc)) from None
    if ip and limits.blocked("send-ip", ip, otp.SEND_PER_IP):
        raise UnlockError("获取验证码的次数太多了，请过1小时再试，或联系管理员解锁。")
    if ip:
        limits.hit("send-ip", ip, otp.SEND_PER_IP)


def unlock_with_code(username: str, code: str, *, ip: str | None) -> None:
    """Check the texted code; when right, lift the lockout of `username` (every address) and record it."""
    from linli.accounts.models import User
    from linli.accounts.services import unlock
    from linli.tracking import otp

    phone = _phone_of(username)
    if not phone:
        # Same answer as a wrong code; a wrong guess still counts against the client.
        from linli.tracking import limits

        if ip and limits.blocked("wrong-ip", ip, otp.WRONG_PER_IP):
            raise UnlockError("输错的次数太多了，请过1小时再试。")
        if ip:
            limits.hit("wrong-ip", ip, otp.WRONG_PER_IP)
        raise UnlockError("验证码已过期或已失效，请重新获取。")
    try:
        otp.check_code(phone, code, ip=ip)
    except otp.OtpError as exc:
        raise UnlockError(str(exc)) from None
    user = User.objects.get(username=username)
    unlock(user)
    audit.record(
        user,
        ChangeAction.UPDATE,
        {"登录锁定": "已锁定"},
        {"登录锁定": "本人用短信验证码解除"},
        Actor.system("短信验证码解锁"),
    )


#: No account's username is longer (User.username); axes stores what was typed in a 255-character column.
USERNAME_MAX = 150


def client_username(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the typed username, cut to the longest a real account can have, so a login form
    posted with a 1,000-character name is a failed attempt like any other (PostgreSQL refused it: a 500)."""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        value = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return value[:USERNAME_MAX] if isinstance(value, str) else value
