"""One-time codes (验证码) that prove a resident holds a mobile phone.

- 6 digits from `secrets`, valid OTP_TTL (10 minutes); only a keyed hash of phone + code is kept,
  in the cache, never the code itself.
- OTP_MAX_TRIES wrong entries burn the code: the resident must ask for a new one.
- Sending is limited per phone (1 a minute, 5 a day: a script cannot flood a stranger's phone), per client
  (10 an hour; the client address believes a forwarded header only from a trusted proxy) and for everyone
  together (a per-minute cap and a daily budget: what the SMS contract can bear). See linli.tracking.limits.
- Wrong codes are also limited per client, across phones, so one client cannot spray guesses.

`send_code` and `check_code` raise OtpError with the message to show the resident.
"""

from __future__ import annotations

import hmac
import secrets
import time

from django.core.cache import cache

from linli.core.crypto import blind_index
from linli.tracking import limits
from linli.tracking.sms import SmsError, send_sms

OTP_DIGITS = 6
OTP_TTL = 10 * 60
OTP_MAX_TRIES = 5
#: The default thresholds (count, seconds); the settings may change them (limits.rules).
SEND_PER_PHONE = limits.DEFAULTS["sms_phone"]
SEND_PER_IP = limits.DEFAULTS["sms_client"]
SEND_GLOBAL = limits.DEFAULTS["sms_global"]
WRONG_PER_IP = limits.DEFAULTS["otp_wrong_client"]

SMS_TEXT = "【邻里】您的验证码是{code}，10分钟内有效。请勿把验证码告诉任何人（包括自称工作人员的人）。"

_KEY = "linli:trk:otp:"
#: wrong tries of the code now valid for a phone: a counter of its own, incremented atomically (limits.increment)
_TRIES = "linli:trk:otp-tries:"


class OtpError(Exception):
    """A message for the resident (too many requests, wrong or expired code)."""


def phone_key(phone: str) -> str:
    return blind_index(phone, purpose="tracking_phone")


def _digest(phone: str, code: str) -> str:
    return blind_index(f"{phone}:{code}", purpose="tracking_otp")


def send_code(phone: str, *, ip: str | None) -> None:
    """Text a fresh code to `phone` (a normalised mobile). Replaces any code sent before.
    `ip` is the client address (linli.core.net.client_ip); a request without one counts as the client "-"."""
    who, client = phone_key(phone), ip or "-"
    per_phone = limits.rules("sms_phone")
    claims = (
        ("send-phone", who, per_phone),
        ("send-ip", client, limits.rules("sms_client")),
        ("send-all", limits.EVERYONE, limits.rules("sms_global")),
    )
    # Checked and counted in one step (limits.take): two requests at once, on two workers, cannot both send
    # the minute's one text to a phone.
    refused = limits.take(*claims)
    if refused is not None:
        index, (_count, seconds) = refused
        if index == 0 and seconds == per_phone[0][1]:
            raise OtpError("验证码刚刚发过了，请等1分钟再重新获取。")
        if index == 0:
            raise OtpError("这个手机号今天获取验证码的次数太多了，请明天再试，或打电话给社区。")
        if index == 1:
            raise OtpError("获取验证码的次数太多了，请过1小时再试，或打电话给社区。")
        raise OtpError("现在获取验证码的人太多了，请过几分钟再试，或打电话给社区。")
    code = f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"
    try:
        send_sms(phone, SMS_TEXT.format(code=code))
    except SmsError:
        limits.give_back(*claims)  # nothing was sent: it does not count
        raise OtpError("短信没有发出去，请稍后再试，或打电话给社区。") from None
    limits.clear(_TRIES + who)
    cache.set(_KEY + who, {"digest": _digest(phone, code), "expires": time.time() + OTP_TTL}, OTP_TTL)


def check_code(phone: str, code: str, *, ip: str | None) -> None:
    """Accept the code once (it is used up), or raise OtpError. Wrong tries count toward burning it."""
    code = "".join((code or "").split())
    client, wrong_rules = ip or "-", limits.rules("otp_wrong_client")
    if limits.blocked("wrong-ip", client, wrong_rules):
        raise OtpError("输错的次数太多了，请过1小时再试。")
    if not (len(code) == OTP_DIGITS and code.isascii() and code.isdigit()):
        raise OtpError("请填写短信里的6位数字验证码。")
    who = phone_key(phone)
    state = cache.get(_KEY + who)
    if not state or state["expires"] < time.time():
        cache.delete(_KEY + who)
        raise OtpError("验证码已过期或已失效，请重新获取。")
    # A try is claimed before the code is compared, atomically in the shared cache: guesses sent in parallel to
    # several workers still get OTP_MAX_TRIES comparisons per code, and the client's wrong-code limit holds.
    wrong = ("wrong-ip", client, wrong_rules)
    if limits.take(wrong) is not None:
        raise OtpError("输错的次数太多了，请过1小时再试。")
    # The counter is never reset while its code lives (only a new code clears it): a guess racing the one that
    # burns the code must not find a fresh count.
    tries = limits.increment(_TRIES + who, OTP_TTL)
    if tries > OTP_MAX_TRIES:
        cache.delete(_KEY + who)
        raise OtpError("验证码输错5次，已经失效，请重新获取。")
    if hmac.compare_digest(state["digest"], _digest(phone, code)):
        limits.give_back(wrong)  # a right code is not a wrong try
        cache.delete(_KEY + who)
        return
    left = OTP_MAX_TRIES - tries
    if left <= 0:
        cache.delete(_KEY + who)
        raise OtpError("验证码输错5次，已经失效，请重新获取。")
    raise OtpError(f"验证码不对，请再看看短信（还可以试{left}次）。")
