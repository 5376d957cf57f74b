"""Background sending (Celery). `send_dispatch` starts when a batch is queued (with Redis) and comes back by itself
while quiet hours, a rate limit or a retry hold rows; `channels_send` (beat, every minute) sends whatever is due,
so nothing is lost if a countdown is."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

#: A re-queued task comes back at most this much later (beat covers the rest; Redis re-delivers long countdowns).
MAX_COUNTDOWN = 15 * 60


@shared_task
def send_dispatch(dispatch_id: int) -> str:
    from linli.channels.sender import send_due

    report = send_due(dispatch_id=dispatch_id)
    if report.wait_until is not None and not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        countdown = max(1, min(MAX_COUNTDOWN, int((report.wait_until - timezone.now()).total_seconds()) + 1))
        send_dispatch.apply_async((dispatch_id,), countdown=countdown)
    return f"已发送 {report.sent} 条，失败 {report.failed} 条，待重试 {report.retrying} 条，剩余 {report.remaining} 条"


@shared_task
def channels_send() -> str:
    from linli.channels.sender import send_due

    report = send_due()
    return f"已发送 {report.sent} 条，失败 {report.failed} 条，待重试 {report.retrying} 条，剩余 {report.remaining} 条"
