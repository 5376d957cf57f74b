"""Text messages to a reporter about their own appeal (issue 14): the tracking code when the appeal is
registered, and a short notice when the community has answered it.

Who gets them: an appeal with `sms_notify` (a resident who submitted with a verified phone and did not tick
“不需要短信通知”, or a reporter who agreed when staff registered the appeal), not anonymous, with a mobile number.

What they say: the appeal's number, the tracking code (the first message only) and where to look. Never the
reporter's name, phone, address or the appeal's text: a text message may be read by anyone holding the phone.

When: after the transaction that registered or answered the appeal commits (a rolled-back action texts
nobody), through the Celery task linli.tracking.tasks.send_reporter_sms (inline without Redis). Whatever fails
(the gateway, the broker) is logged and never undoes or breaks the appeal action.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from linli.core.phone import mask_phone
from linli.tracking import codes

logger = logging.getLogger("linli.sms")

CODE_TEXT = "【邻里】您反映的事已登记，编号{number}，查询码{code}。凭查询码可随时查看办理进度{where}。"
ANSWER_TEXT = "【邻里】您反映的事（编号{number}）社区已答复，请凭查询码或本手机号查看答复并评价{where}。"


def _where() -> str:
    """Where to look: the tracking page's address when LINLI_SITE_URL is set, else the self-service page."""
    site = (getattr(settings, "LINLI_SITE_URL", "") or "").rstrip("/")
    return f"：{site}{reverse('tracking:lookup')}" if site else "（社区公告栏二维码页面的“查看办理进度”）"


def is_mobile(phone: str) -> bool:
    return len(phone or "") == 11 and phone.isascii() and phone.isdigit() and phone.startswith("1")


def wants_sms(appeal) -> bool:
    return bool(appeal.sms_notify) and not appeal.anonymous and is_mobile(appeal.reporter_phone)


def _send_after_commit(phone: str, text: str, *, what: str, appeal_id: int) -> None:
    def enqueue():
        from linli.tracking.tasks import send_reporter_sms

        try:
            send_reporter_sms.delay(phone, text, what, appeal_id)
        except Exception:  # the broker is down: the appeal action already committed and stays done
            logger.exception("SMS (%s) for appeal %s to %s could not be queued", what, appeal_id, mask_phone(phone))

    transaction.on_commit(enqueue, robust=True)


def tracking_code_registered(appeal, code: str) -> None:
    """Text the reporter the tracking code of their newly registered appeal (after commit)."""
    if not wants_sms(appeal):
        return
    text = CODE_TEXT.format(number=appeal.number, code=codes.display(code), where=_where())
    _send_after_commit(appeal.reporter_phone, text, what="code", appeal_id=appeal.pk)


def appeal_answered(appeal) -> None:
    """Tell the reporter that the community has answered (回访结案, or the main appeal's reply for a merged one)."""
    if not wants_sms(appeal):
        return
    text = ANSWER_TEXT.format(number=appeal.number, where=_where())
    _send_after_commit(appeal.reporter_phone, text, what="answer", appeal_id=appeal.pk)
