"""Background run of the appeals' deadline sweep (Celery beat, hourly; see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def appeals_overdue() -> int:
    """Flag the open appeals past their current deadline; returns how many were newly flagged."""
    from linli.appeals.services import flag_overdue

    return flag_overdue()


@shared_task
def route_train(activate: bool = True) -> int:
    """Retrain the routing model on the shipped set plus every community's corrections; returns the new version."""
    from linli.appeals.routing.services import train_version

    return train_version(activate=activate).version


@shared_task
def route_train_nightly() -> str:
    """Retrain when dispatchers corrected suggestions since the active version; activate only if not worse."""
    from linli.appeals.routing.services import retrain_if_needed

    return retrain_if_needed()[1]
