"""What a batch's progress bar shows (the dispatch page and the panel on a notice's page)."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from linli.channels import sender
from linli.channels.choices import DispatchStatus, OutboundStatus
from linli.channels.models import Dispatch
from linli.channels.sender import quiet_until, rules_for


def progress(dispatch: Dispatch) -> dict:
    """What a progress bar shows: sent, failed, cancelled, waiting, and the percent done."""
    counts = dict(dispatch.messages.values("status").annotate(n=Count("id")).values_list("status", "n"))
    waiting = counts.get(OutboundStatus.PENDING, 0) + counts.get(OutboundStatus.RETRYING, 0)
    total = dispatch.total or sum(counts.values())
    done = total - waiting
    running = dispatch.status in (DispatchStatus.QUEUED, DispatchStatus.SENDING)
    note = ""
    if running:
        end = quiet_until(rules_for(dispatch.community_id), sender.clock())
        if end is not None:
            note = f"现在是免打扰时段，剩余消息将在 {timezone.localtime(end):%H:%M} 以后发送。"
    return {
        "total": total,
        "sent": counts.get(OutboundStatus.SENT, 0),
        "failed": counts.get(OutboundStatus.FAILED, 0),
        "cancelled": counts.get(OutboundStatus.CANCELLED, 0),
        "retrying": counts.get(OutboundStatus.RETRYING, 0),
        "waiting": waiting,
        "percent": round(100 * done / total) if total else 100,
        "running": running,
        "note": note,
    }
