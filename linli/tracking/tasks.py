"""Background sending of the reporter's text messages (linli.tracking.notices)."""

from __future__ import annotations

import logging

from celery import shared_task

from linli.core.phone import mask_phone

logger = logging.getLogger("linli.sms")


@shared_task(ignore_result=True)
def send_reporter_sms(phone: str, text: str, what: str, appeal_id: int) -> bool:
    """Send one message; a failure is logged (masked number) and swallowed: the appeal action it follows is done."""
    from linli.tracking.sms import SmsError, send_sms

    try:
        send_sms(phone, text)
    except SmsError:
        logger.warning("SMS (%s) for appeal %s to %s failed", what, appeal_id, mask_phone(phone))
        return False
    except Exception:  # a backend bug must not surface in the request that committed the appeal
        logger.exception("SMS (%s) for appeal %s to %s failed", what, appeal_id, mask_phone(phone))
        return False
    return True
