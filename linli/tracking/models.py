"""The tracking code (查询码) of an appeal a resident submitted themselves.

The code is a bearer secret: whoever holds it sees the appeal's progress. Only its keyed hash
(HMAC, LINLI_HASH_KEY) is stored, like a password; the resident is shown the code once, on the
done page of the session that submitted it. `phone_hash` (keyed hash of the verified mobile) finds a
phone's submissions without a scan.
"""

from __future__ import annotations

from django.db import models


class TrackingCode(models.Model):
    """One resident-submitted appeal's 查询码 (hashed) and the verified phone it came from (hashed)."""

    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="tracking", verbose_name="诉求"
    )
    code_hash = models.CharField("查询码（密文）", max_length=64, unique=True, editable=False)
    phone_hash = models.CharField("手机号（密文）", max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "查询码"

    def __str__(self):
        return f"{self.appeal_id} 查询码"
