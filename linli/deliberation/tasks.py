"""Background run of the daily follow-up task reminder (Celery beat at 07:10, see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def matters_remind() -> str:
    from linli.deliberation.services import remind_tasks

    tasks, sent = remind_tasks()
    return f"提醒落实任务 {tasks} 项，发送消息 {sent} 条"
