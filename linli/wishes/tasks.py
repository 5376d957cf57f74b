"""Background run of the daily claim reminder (Celery beat at 07:00, see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def wishes_remind() -> str:
    from linli.wishes.notify import remind_overdue_claims

    claims, sent = remind_overdue_claims()
    return f"新提醒 {claims} 个心愿，发送消息 {sent} 条"
