"""Background run of the daily reminder of must-confirm notices due tomorrow (Celery beat at 07:30, see
CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def notices_remind() -> str:
    from linli.notices.reminders import remind_confirmations

    notices, sent = remind_confirmations()
    return f"明天截止的通知 {notices} 条，发送提醒 {sent} 条"
