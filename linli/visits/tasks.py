"""Background run of the daily overdue sweep (Celery beat at 06:00, see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def visits_sweep() -> list[str]:
    from linli.visits.notify import notify_overdue
    from linli.visits.services import sweep_overdue

    report = sweep_overdue()
    sent = notify_overdue(report.today)
    return [*report.lines(), f"发送消息 {sent} 条"]
