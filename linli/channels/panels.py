"""The channels' part on another app's page: a compact progress summary per channel of what a source (a notice)
sent, for the notice page to include (`channels/_dispatch_panel.html`)."""

from __future__ import annotations

from linli.channels.models import Dispatch
from linli.channels.progress import progress


def dispatch_panel(user, source: str, source_id: int) -> dict | None:
    """{"dispatches": [{"dispatch": d, "p": progress}, ...]} of the batches of (source, source_id) the user may see;
    None when there are none (nothing was sent over WeChat or SMS, or the user's role sees no batches)."""
    rows = list(
        Dispatch.objects.restrict(user, "view").filter(source=source, source_id=source_id).order_by("created_at", "id")
    )
    if not rows:
        return None
    return {"dispatches": [{"dispatch": d, "p": progress(d)} for d in rows]}
