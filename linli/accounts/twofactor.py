"""两步验证: a second login step with an authenticator app (TOTP, django-otp), recovery codes, its own lockout.

Who must (`two_factor_required`): street administrators, community secretaries, any role that can reveal ID numbers
(resident.reveal_id) and superusers; never a resident. With LINLI_2FA_ENFORCE (on by default in production, off in
development and tests) such a user who has no authenticator yet is sent to the setup page after the password and can
do nothing else; without it they see a reminder on the home page. Anyone who has set an authenticator up is asked
for a code after the password either way (TwoFactorMiddleware, linli.accounts.middleware).

Devices are django-otp's: one confirmed TOTPDevice per user (the authenticator app) and one StaticDevice holding
RECOVERY_CODES single-use recovery codes. A TOTP code is accepted once (django-otp keeps the last time step used,
`last_t`, so a replayed code is refused).

Lockout: LINLI_2FA_FAILURE_LIMIT (5) wrong codes in a row, authenticator and recovery codes together, lock the
account's second step for LINLI_2FA_LOCK_MINUTES (15), whatever the code and wherever it comes from. The count is
django-otp's own throttling state on the TOTP device row (ThrottlingMixin: throttling_failure_count and
throttling_failure_timestamp), so every worker and machine sees the same count; the row is locked
(select_for_update) while a code is checked, so concurrent guesses cannot slip past the limit. django-otp's doubling
delays are switched off (OTP_TOTP_THROTTLE_FACTOR = 0): a fixed window is what people are told. The lock is recorded
(a ChangeRecord on the account) and lifted when it runs out or by a manager's 解除锁定.

Login state: the session remembers what the login still needs (SESSION_KEY: "ok", "verify" or "setup"), set when
the user logs in, so no page costs a query to know it; django-otp's OTPMiddleware tells whether this session
passed the second step (user.is_verified()).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.utils import timezone

from linli.accounts.choices import Role
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction

#: What the login of this session still needs.
SESSION_KEY = "_linli_2fa"
OK, VERIFY, SETUP = "ok", "verify", "setup"
#: The secret of an authenticator being set up (hex), kept in the session until it is confirmed with a code.
SETUP_KEY_SESSION = "_linli_2fa_setup_key"
#: Freshly made recovery codes, shown (and downloadable) until the user says they have kept them.
NEW_CODES_SESSION = "_linli_2fa_new_codes"

RECOVERY_CODES = 10
DEVICE_NAME = "验证器"
RECOVERY_NAME = "恢复码"


def enforced() -> bool:
    return bool(getattr(settings, "LINLI_2FA_ENFORCE", False))


def failure_limit() -> int:
    return int(getattr(settings, "LINLI_2FA_FAILURE_LIMIT", 5))


def lock_minutes() -> int:
    return int(getattr(settings, "LINLI_2FA_LOCK_MINUTES", 15))


def two_factor_required(user) -> bool:
    """Must this account use a second factor? Street administrators, secretaries, whoever may reveal ID numbers,
    superusers; never a resident. No query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if user.role == Role.RESIDENT:
        return False
    return user.role in (Role.STREET_ADMIN, Role.SECRETARY) or user.has_role_perm("resident.reveal_id")


def may_use(user) -> bool:
    """Who may set up a second factor at all: every account but a resident's (a superuser always)."""
    return bool(getattr(user, "is_authenticated", False)) and (user.is_superuser or user.role != Role.RESIDENT)


def totp_device(user, *, for_update: bool = False):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    qs = TOTPDevice.objects.filter(user=user, confirmed=True)
    if for_update:
        qs = qs.select_for_update()
    return qs.order_by("pk").first()


def has_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def users_with_device(user_ids) -> set[int]:
    """Of these accounts, those with an authenticator (one query, for a page of the user list)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return set(TOTPDevice.objects.filter(user_id__in=list(user_ids), confirmed=True).values_list("user_id", flat=True))


def status_label(user, has: bool) -> str:
    """两步验证 as the user list shows it."""
    if has:
        return "已开启"
    if two_factor_required(user):
        return "必须但未开启"
    return "不需要" if not may_use(user) else "未开启"


def login_state(user) -> str:
    """What a fresh login of `user` still needs: VERIFY (has an authenticator), SETUP (must have one and has none,
    under enforcement) or OK."""
    if not may_use(user):
        return OK
    if has_device(user):
        return VERIFY
    if enforced() and two_factor_required(user):
        return SETUP
    return OK


def _remember_state(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = login_state(user)


user_logged_in.connect(_remember_state, dispatch_uid="linli.accounts.twofactor.login_state")


def session_state(request) -> str:
    """The session's state; computed once for a session that predates two-step login."""
    state = request.session.get(SESSION_KEY)
    if state not in (OK, VERIFY, SETUP):
        state = request.session[SESSION_KEY] = login_state(request.user)
    return state


def mark_verified(request, device) -> None:
    """This session passed the second step with `device` (a new session key: the session's rights grew)."""
    import django_otp

    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[SESSION_KEY] = VERIFY


def _account(user):
    """The account row itself: request.user is a lazy wrapper (django-otp's OTPMiddleware adds one), and a change
    record names its object's model."""
    from linli.accounts.models import User

    return User.objects.get(pk=user.pk)


# --- codes --------------------------------------------------------------------------------------------------


class TwoFactorError(Exception):
    """A Chinese message for the person logging in."""


class Locked(TwoFactorError):
    def __init__(self, until: datetime.datetime):
        self.until = until
        local = timezone.localtime(until)
        super().__init__(
            f"验证码连续输错{failure_limit()}次，两步验证已锁定，请在 {local:%H:%M} 之后再试；"
            "急需登录请联系社区书记或街道管理员解除锁定。"
        )


DIGITS = re.compile(r"^[0-9]{6}$")


def normalize(code: str) -> str:
    """What a person typed, without spaces and dashes, lower case (recovery codes are shown as abcd-efgh); a Chinese
    keyboard's full-width digits (１２３４５６) read as digits."""
    return re.sub(r"[\s\-—_]", "", unicodedata.normalize("NFKC", str(code or ""))).lower()[:32]


def locked_until(device) -> datetime.datetime | None:
    """When the lock on this authenticator's second step ends, or None when it is not locked."""
    if device.throttling_failure_count < failure_limit() or device.throttling_failure_timestamp is None:
        return None
    until = device.throttling_failure_timestamp + datetime.timedelta(minutes=lock_minutes())
    return until if until > timezone.now() else None


@dataclass
class Checked:
    device: object  # the device that accepted the code (the authenticator, or the recovery codes)
    recovery: bool
    codes_left: int = 0


def check_code(user, code: str, *, ip: str | None = None) -> Checked:
    """Check a code from the authenticator (6 digits) or a recovery code; count a wrong one toward the lock.

    Raises Locked (the second step is locked) or TwoFactorError (a wrong, used or replayed code)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    code = normalize(code)
    # Decided inside the transaction, raised after it: a wrong code's count must be committed, not rolled back.
    with transaction.atomic():
        device = totp_device(user, for_update=True)
        if device is None:
            error = TwoFactorError("这个账号还没有设置两步验证。")
        elif (until := locked_until(device)) is not None:
            error = Locked(until)
        else:
            if device.throttling_failure_count >= failure_limit():
                device.throttle_reset()  # an earlier lock has run out: a fresh set of tries
            if DIGITS.match(code):
                if device.verify_token(code):  # refuses a replay (last_t); counts a failure itself
                    return Checked(device, recovery=False)
            else:
                recovery = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
                if recovery is not None and code and recovery.verify_token(code):  # deleted: it works once
                    device.throttle_reset()
                    return Checked(recovery, recovery=True, codes_left=recovery.token_set.count())
                device.throttle_increment()
            error = _wrong(user, device, ip)
    raise error


def _wrong(user, device, ip) -> TwoFactorError:
    """The error for a wrong code; the one that reaches the limit locks the second step, recorded."""
    if device.throttling_failure_count < failure_limit():
        left = failure_limit() - device.throttling_failure_count
        return TwoFactorError(
            f"验证码不正确或已经用过，请输入验证器上最新的6位数字。再错{left}次将锁定{lock_minutes()}分钟。"
        )
    until = device.throttling_failure_timestamp + datetime.timedelta(minutes=lock_minutes())
    audit.record(
        _account(user),
        ChangeAction.UPDATE,
        {"两步验证": "正常"},
        {"两步验证": f"连续输错{failure_limit()}次，锁定至{timezone.localtime(until):%Y-%m-%d %H:%M}"},
        Actor.system("两步验证锁定"),
        note=f"来自 {ip}" if ip else "",
    )
    return Locked(until)


# --- setting up, recovery codes, removing, resetting ----------------------------------------------------------


def new_setup_key() -> str:
    from django_otp.util import random_hex

    return random_hex(20)


def provisioning(user, key_hex: str) -> dict:
    """What the setup page shows for a secret: the otpauth:// address as a QR code (inline SVG) and the secret in
    groups of 4 letters for typing by hand."""
    import segno
    from django.utils.safestring import mark_safe
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice(user=user, key=key_hex, name=DEVICE_NAME)
    url = device.config_url
    svg = segno.make(url, error="m").svg_inline(
        border=2, omitsize=True, svgclass="twofactor-qr", title="用验证器扫描", dark="#000", light="#fff"
    )
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return {
        "qr_svg": mark_safe(svg),  # segno's own markup of our own address
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "otpauth_url": url,
    }


def _make_recovery_codes(user) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=static, token=t) for t in codes)
    return [f"{c[:4]}-{c[4:]}" for c in codes]


@transaction.atomic
def confirm_setup(user, key_hex: str, code: str, *, actor: Actor):
    """The first code from the newly added authenticator: the device is saved (any earlier one replaced), ten
    recovery codes are made. Returns (device, recovery codes as shown). Raises TwoFactorError on a wrong code."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not may_use(user):
        raise TwoFactorError("居民账号不需要两步验证。")
    code = normalize(code)
    if not DIGITS.match(code):
        raise TwoFactorError("请输入验证器上显示的6位数字。")
    try:
        totp = TOTP(bytes.fromhex(key_hex))
    except (TypeError, ValueError):
        raise TwoFactorError("设置已过期，请重新扫描二维码。") from None
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        raise TwoFactorError("验证码不正确：请确认手机时间准确，输入验证器上“邻里”一项最新的6位数字。")
    had = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    # The code just used cannot log in again (last_t is its time step, as after any verification).
    device = TOTPDevice.objects.create(
        user=user, key=key_hex, name=DEVICE_NAME, confirmed=True, last_t=totp.t(), drift=totp.drift
    )
    codes = _make_recovery_codes(user)
    audit.record(
        _account(user),
        ChangeAction.UPDATE,
        {"两步验证": "已开启" if had else "未开启"},
        {"两步验证": "已开启（更换了验证器）" if had else "已开启"},
        actor,
    )
    return device, codes


def regenerate_codes(user, code: str, *, actor: Actor, ip: str | None = None) -> list[str]:
    """New recovery codes (the old ones stop working), with a current code as proof (checked outside the
    transaction that makes them: a wrong code's count stays)."""
    check_code(user, code, ip=ip)
    with transaction.atomic():
        codes = _make_recovery_codes(user)
        audit.record(
            _account(user), ChangeAction.UPDATE, {"恢复码": "（旧恢复码）"}, {"恢复码": "（已重新生成）"}, actor
        )
    return codes


def _delete_devices(user) -> bool:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    had = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return had


def remove_own(user, code: str, *, actor: Actor, ip: str | None = None) -> None:
    """The owner turns two-step login off (with a current code); refused when their account must have it."""
    if two_factor_required(user):
        raise TwoFactorError("您的角色必须使用两步验证，不能关闭。换了手机可以重新设置验证器。")
    check_code(user, code, ip=ip)
    with transaction.atomic():
        _delete_devices(user)
        audit.record(_account(user), ChangeAction.UPDATE, {"两步验证": "已开启"}, {"两步验证": "本人已关闭"}, actor)


@transaction.atomic
def reset(user, *, actor: Actor) -> bool:
    """A manager (or the superuser's command) removes an account's authenticator and recovery codes (a lost
    phone): the owner sets up a new one at their next login. Recorded; the owner is told in their inbox.
    Returns False when there was nothing to reset."""
    from django.urls import reverse

    from linli.accounts.models import User
    from linli.accounts.querysets import check_manageable
    from linli.notifications.choices import Kind
    from linli.notifications.services import notify

    target = User.objects.select_for_update().get(pk=user.pk)
    check_manageable(actor.user, target)
    if not _delete_devices(target):
        return False
    audit.record(target, ChangeAction.UPDATE, {"两步验证": "已开启"}, {"两步验证": "已由管理员重置"}, actor)
    who = str(actor.user) if actor.account else (actor.label or "系统管理员")
    notify(
        [target],
        kind=Kind.SYSTEM,
        title="您的两步验证已被重置",
        body=f"{who}重置了您账号的两步验证（验证器和恢复码已作废）。下次登录时请用手机验证器重新设置。"
        "如果这不是您请求的，请立即联系社区书记或街道管理员。",
        url=reverse("accounts:twofactor"),
    )
    return True


def lift_lock(user) -> None:
    """Lift the lock of the second step (a manager's 解除锁定)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def check_enforced(app_configs=None, **kwargs):
    """`linli check --deploy`: production without enforced two-step login is a choice to be made on purpose."""
    from django.core import checks

    if getattr(settings, "PRODUCTION", False) and not enforced():
        return [
            checks.Warning(
                "LINLI_2FA_ENFORCE is off in production: street administrators, secretaries and whoever may reveal "
                "ID numbers can log in with a password alone.",
                hint="Unset LINLI_2FA_ENFORCE (or set it to 1); see docs/login.md.",
                id="linli.accounts.W002",
            )
        ]
    return []
