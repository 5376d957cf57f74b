"""Background run of the daily follow-up reminder (Celery beat at 07:10, see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def mediation_remind() -> str:
    from linli.mediation.services import remind_follow_ups

    due, sent = remind_follow_ups()
    return f"到期回访 {due} 个，发送消息 {sent} 条"
