"""Short-lived signed check-in codes: what the QR code on the leader's phone encodes.

A token names the activity and whether it checks in or out, and carries its signing time; it is
valid for TOKEN_SECONDS. The leader's page shows a fresh one every REFRESH_SECONDS, so a photo of
the code passed round a chat group stops working within minutes. Nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from linli.volunteers.choices import ScanKind

SALT = "linli.volunteers.scan"
TOKEN_SECONDS = 120
REFRESH_SECONDS = 30


class TokenError(Exception):
    """The code is forged, expired or for another activity; the message is for the volunteer."""


@dataclass(frozen=True)
class ScanToken:
    activity_id: int
    kind: str


def make_token(activity_id: int, kind: str) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"a": activity_id, "k": kind}, compress=False)


def read_token(token: str, activity_id: int, *, max_age: int = TOKEN_SECONDS) -> ScanToken:
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenError("二维码已过期，请让队长刷新后重新扫码。")
    except signing.BadSignature:
        raise TokenError("二维码无效，请扫描队长手机上的签到码。")
    if not isinstance(data, dict) or data.get("a") != activity_id or data.get("k") not in ScanKind.values:
        raise TokenError("这个二维码不是本次活动的签到码。")
    return ScanToken(activity_id=data["a"], kind=data["k"])
