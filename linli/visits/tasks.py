"""Background run of the daily overdue sweep (Celery beat; eager in the embedded default)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def visits_sweep() -> list[str]:
    from linli.visits.services import sweep_overdue

    return sweep_overdue().lines()
