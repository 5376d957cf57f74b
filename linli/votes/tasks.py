"""Background closing of votes past their deadline (Celery beat every 10 minutes, see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def votes_close_due() -> str:
    from linli.votes.services import close_due_votes

    return f"结束了 {len(close_due_votes())} 个已过截止时间的表决"
