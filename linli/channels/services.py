"""Queueing messages. A sender (linli.notices, linli.campaigns) calls `queue` with one OutboundSpec per group or
phone; the worker (linli.channels.sender, a Celery task and `linli channels-send`) sends them when the community's
quiet hours and the channel's rate allow. Nothing else writes Dispatch or Outbound rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from linli.channels.choices import ChannelKind
from linli.channels.models import Dispatch, Outbound, WechatGroup
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction

#: Outbound rows are written in batches of this many (a 100,000-resident SMS send is a few dozen statements).
BATCH = 5000


@dataclass(frozen=True)
class OutboundSpec:
    """One message: to a group (wechat) or a phone (sms), with the text the person reads and, for SMS, the
    provider template's parameters in order."""

    text: str
    group_id: int | None = None
    phone: str = ""
    resident_id: int | None = None
    params: tuple[str, ...] = field(default_factory=tuple)


def groups_for(community, *, grid_ids=(), building_ids=()):
    """The active WeChat groups a message to this part of the community goes to: the community-wide groups when the
    whole community is meant (no grid and no building named), else the groups bound to the named grids, to the named
    buildings, and to the buildings inside the named grids."""
    groups = WechatGroup.objects.filter(community=community, is_active=True)
    if not grid_ids and not building_ids:
        return groups.filter(grid__isnull=True, building__isnull=True)
    return groups.filter(
        Q(grid_id__in=grid_ids) | Q(building_id__in=building_ids) | Q(building__grid_id__in=grid_ids)
    ).distinct()


@transaction.atomic
def queue(
    *,
    actor: Actor,
    community,
    channel: str,
    source: str,
    source_id: int,
    title: str,
    messages: Iterable[OutboundSpec],
) -> Dispatch:
    """Create one Dispatch with its Outbound rows and hand it to the worker once the transaction commits."""
    if channel not in ChannelKind.values:
        raise ValueError(f"unknown channel {channel!r}")
    dispatch = Dispatch.objects.create(
        community=community,
        channel=channel,
        source=source,
        source_id=source_id,
        title=title[:100],
        created_by=actor.user,
    )
    total = 0
    batch: list[Outbound] = []
    for spec in messages:
        batch.append(
            Outbound(
                dispatch=dispatch,
                group_id=spec.group_id,
                phone=spec.phone,
                resident_id=spec.resident_id,
                text=spec.text,
                params=list(spec.params),
            )
        )
        if len(batch) >= BATCH:
            Outbound.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    if batch:
        Outbound.objects.bulk_create(batch)
        total += len(batch)
    dispatch.total = total
    dispatch.save(update_fields=["total"])
    audit.record(dispatch, ChangeAction.CREATE, None, audit.snapshot(dispatch), actor)
    transaction.on_commit(lambda: _start(dispatch.pk))
    return dispatch


def _start(dispatch_id: int) -> None:
    """Ask the worker to send (linli.channels.sender; the skeleton leaves sending to it)."""
    try:
        from linli.channels import tasks
    except ImportError:  # the worker is not written yet
        return
    tasks.send_dispatch.delay(dispatch_id)


def dispatches_for(source: str, source_id: int):
    return Dispatch.objects.filter(source=source, source_id=source_id).order_by("created_at", "id")
