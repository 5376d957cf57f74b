"""Background run of the 三会一课 reminder (Celery beat daily at 07:40, see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def party_remind() -> str:
    from linli.party.services_life import remind_due

    due, sent = remind_due()
    return f"即将到期未开展 {due} 项，发送提醒 {sent} 条"
