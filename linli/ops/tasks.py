"""Scheduled operations jobs (Celery beat; see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def purge_records() -> dict[str, int]:
    """Monthly: delete change and audit records older than LINLI_AUDIT_RETENTION_DAYS (never fewer than 180)."""
    from linli.core.audit import Actor
    from linli.ops.retention import purge_records as purge

    return purge(actor=Actor.system("定期清理过期记录")).counts
