"""One-time codes (验证码) that prove a resident holds a mobile phone.

- 6 digits from `secrets`, valid OTP_TTL (10 minutes); only a keyed hash of phone + code is kept,
  in the cache, never the code itself.
- OTP_MAX_TRIES wrong entries burn the code: the resident must ask for a new one.
- Sending is limited per phone (1 a minute, 5 an hour: a script cannot flood a stranger's phone)
  and per IP address (a community centre or a carrier's NAT puts many neighbours behind one address,
  so its limits are looser).
- Wrong codes are also limited per IP, across phones, so one client cannot spray guesses.

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
#: (count, seconds): per phone, then per IP address.
SEND_PER_PHONE = ((1, 60), (5, 3600))
SEND_PER_IP = ((3, 60), (20, 3600))
WRONG_PER_IP = ((30, 3600),)

SMS_TEXT = "【邻里】您的验证码是{code}，10分钟内有效。请勿把验证码告诉任何人（包括自称工作人员的人）。"

_KEY = "linli:trk:otp:"


class OtpError(Exception):
    """A message for the resident (too many requests, wrong or expired code)."""


def phone_key(phone: str) -> str:
    return blind_index(phone, purpose="tracking_phone")


def _digest(phone: str, code: str) -> str:
    return blind_index(f"{phone}:{code}", purpose="tracking_otp")


def send_code(phone: str, *, ip: str | None) -> None:
    """Text a fresh code to `phone` (a normalised mobile). Replaces any code sent before."""
    who = phone_key(phone)
    if limits.blocked("send-phone", who, SEND_PER_PHONE[:1]):
        raise OtpError("验证码刚刚发过了，请等1分钟再重新获取。")
    if limits.blocked("send-phone", who, SEND_PER_PHONE) or (ip and limits.blocked("send-ip", ip, SEND_PER_IP)):
        raise OtpError("获取验证码的次数太多了，请过1小时再试，或打电话给社区。")
    code = f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"
    try:
        send_sms(phone, SMS_TEXT.format(code=code))
    except SmsError:
        raise OtpError("短信没有发出去，请稍后再试，或打电话给社区。") from None
    limits.hit("send-phone", who, SEND_PER_PHONE)
    if ip:
        limits.hit("send-ip", ip, SEND_PER_IP)
    cache.set(_KEY + who, {"digest": _digest(phone, code), "expires": time.time() + OTP_TTL, "tries": 0}, OTP_TTL)


def check_code(phone: str, code: str, *, ip: str | None) -> None:
    """Accept the code once (it is used up), or raise OtpError. Wrong tries count toward burning it."""
    code = "".join((code or "").split())
    if ip and limits.blocked("wrong-ip", ip, WRONG_PER_IP):
        raise OtpError("输错的次数太多了，请过1小时再试。")
    if not (len(code) == OTP_DIGITS and code.isascii() and code.isdigit()):
        raise OtpError("请填写短信里的6位数字验证码。")
    who = phone_key(phone)
    state = cache.get(_KEY + who)
    if not state or state["expires"] < time.time():
        cache.delete(_KEY + who)
        raise OtpError("验证码已过期或已失效，请重新获取。")
    if hmac.compare_digest(state["digest"], _digest(phone, code)):
        cache.delete(_KEY + who)
        return
    if ip:
        limits.hit("wrong-ip", ip, WRONG_PER_IP)
    state["tries"] += 1
    left = OTP_MAX_TRIES - state["tries"]
    if left <= 0:
        cache.delete(_KEY + who)
        raise OtpError("验证码输错5次，已经失效，请重新获取。")
    cache.set(_KEY + who, state, max(1, int(state["expires"] - time.time())))
    raise OtpError(f"验证码不对，请再看看短信（还可以试{left}次）。")
