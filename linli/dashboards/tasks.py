"""The nightly rollup of the dashboards' figures (Celery beat after midnight, see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def dashboards_rollup() -> list[str]:
    from linli.dashboards.rollup import nightly

    return nightly().lines()
