"""Queueing messages, and every other change to the channels' rows. A sender (linli.notices, linli.campaigns) calls
`queue` with one OutboundSpec per group or phone; the worker (linli.channels.sender, a Celery task and
`linli channels-send`) sends them when the community's quiet hours and the channel's rate allow. Staff register and
edit groups (`save_group`), set the community's rules (`save_settings`), send a group a test message
(`send_test`), cancel a batch (`cancel_dispatch`) and send its failed messages again (`retry_failed`). Each change is
atomic, locks its row, and leaves a change record (which never holds a webhook: only its last four characters).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Min, Q
from django.http import Http404
from django.utils import timezone

from linli.channels import wechat
from linli.channels.choices import ChannelKind, DispatchStatus, OutboundStatus
from linli.channels.models import ChannelSettings, Dispatch, Outbound, WechatGroup
from linli.core import audit
from linli.core.audit import Actor
from linli.core.crypto import encrypt_text
from linli.core.models import ChangeAction

#: With Celery eager (the demo, no Redis) the request that queues a batch sends only this many at once; the rest
#: goes with the next `linli channels-send` (cron, every minute), so a 10,000-SMS notice returns at once.
FIRST_BATCH = 50

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


def _open(actor: Actor, community, channel: str, source: str, source_id: int, title: str) -> Dispatch:
    return Dispatch.objects.create(
        community=community,
        channel=channel,
        source=source,
        source_id=source_id,
        title=title[:100],
        created_by=actor.user,
    )


def _queued(dispatch: Dispatch, total: int, actor: Actor) -> Dispatch:
    """The batch's rows are written: record its size and hand it to the worker once the transaction commits."""
    dispatch.total = total
    dispatch.save(update_fields=["total"])
    audit.record(dispatch, ChangeAction.CREATE, None, audit.snapshot(dispatch), actor)
    transaction.on_commit(lambda: _start(dispatch.pk))
    return dispatch


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
    dispatch = _open(actor, community, channel, source, source_id, title)
    rows = [
        Outbound(
            dispatch=dispatch,
            group_id=spec.group_id,
            phone=spec.phone,
            resident_id=spec.resident_id,
            text=spec.text,
            params=list(spec.params),
        )
        for spec in messages
    ]
    Outbound.objects.bulk_create(rows, batch_size=BATCH)
    return _queued(dispatch, len(rows), actor)


@transaction.atomic
def queue_phones(
    *,
    actor: Actor,
    community,
    source: str,
    source_id: int,
    title: str,
    recipients,
    text: str,
    params: tuple[str, ...] = (),
) -> Dispatch:
    """One SMS batch to many phones with the same text: `recipients` is a queryset of residents (any filter, e.g. a
    notice's audience); one message per distinct mainland mobile number (a family sharing a phone gets one), to the
    lowest resident id holding it. Written by one INSERT … SELECT in the database — no row passes through Python —
    so a 100,000-resident audience queues in a second or two (bench/notices.py)."""
    dispatch = _open(actor, community, ChannelKind.SMS, source, source_id, title)
    phones = recipients.order_by().filter(phone__regex=r"^1[0-9]{10}$").values("phone").annotate(first=Min("pk"))
    select_sql, select_params = phones.values_list("first", "phone").query.sql_with_params()
    table = connection.ops.quote_name(Outbound._meta.db_table)
    json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    sql = (
        f"INSERT INTO {table} (dispatch_id, group_id, phone, resident_id, text, params, status, attempts,"
        " next_try_at, last_error, provider_ref, sent_at, tried_at)"
        f" SELECT %s, NULL, picked.phone, picked.first, %s, {json_param}, %s, 0, NULL, '', '', NULL, NULL"
        # The subquery's output columns are named: "phone" (the column) and "first" (the annotation's alias).
        f" FROM ({select_sql}) AS picked"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [dispatch.pk, text, json.dumps(list(params), ensure_ascii=False), OutboundStatus.PENDING, *select_params],
        )
        total = cursor.rowcount
    return _queued(dispatch, total, actor)


def _start(dispatch_id: int) -> None:
    """Hand a new batch to the worker. With a real Celery (Redis) the task runs in the background. Eager (no Redis:
    the demo, a small installation), a task would run inside the request: only a first small batch goes at once
    and `linli channels-send` (cron) sends the rest, so sending a notice to 10,000 phones never holds the page."""
    from linli.channels import sender, tasks

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        sender.send_due(dispatch_id=dispatch_id, limit=FIRST_BATCH)
    else:
        tasks.send_dispatch.delay(dispatch_id)


def dispatches_for(source: str, source_id: int):
    return Dispatch.objects.filter(source=source, source_id=source_id).order_by("created_at", "id")


# --- permissions -------------------------------------------------------------------------------------------------


def _may_manage_community(actor: Actor, community_id: int) -> None:
    """channel.manage (403) over the community (404). Commands (no user) may."""
    from linli.areas.scope import require_community

    require_community(actor, "channel.manage", community_id)


def may_control(user, dispatch: Dispatch) -> bool:
    """Who may cancel a batch or send its failures again: channel.manage over its community, or whoever started it
    (a grid worker's notice)."""
    if user is None:
        return True
    if not Dispatch.objects.restrict(user, "view").filter(pk=dispatch.pk).exists():
        return False
    if dispatch.created_by_id and dispatch.created_by_id == user.pk:
        return True
    return bool(user.is_superuser or Dispatch.objects.restrict(user, "manage").filter(pk=dispatch.pk).exists())


def _control(actor: Actor, dispatch: Dispatch) -> Dispatch:
    user = actor.user
    if user is not None:
        if not Dispatch.objects.restrict(user, "view").filter(pk=dispatch.pk).exists():
            raise Http404("找不到这个发送批次。")
        if not may_control(user, dispatch):
            raise PermissionDenied("只有发起人或社区管理人员可以取消或重试。")
    return Dispatch.objects.select_for_update().get(pk=dispatch.pk)


# --- groups --------------------------------------------------------------------------------------------------------

NAME_TAKEN = "本社区已有同名的群，请换一个名称。"


def _clean_area(community, grid, building) -> None:
    errors = {}
    if grid is not None and grid.community_id != community.pk:
        errors["grid"] = "这个网格不属于所选社区。"
    if building is not None and building.community_id != community.pk:
        errors["building"] = "这个楼栋不属于所选社区。"
    if grid is not None and building is not None:
        errors["building"] = "一个群只能绑定整个社区、一个网格或一个楼栋，请只选一项。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_group(
    group: WechatGroup | None,
    *,
    actor: Actor,
    community,
    name: str,
    webhook_url: str = "",
    grid=None,
    building=None,
    is_active: bool = True,
) -> WechatGroup:
    """Register a group (group=None: the webhook is required) or edit one (an empty webhook keeps the old one).
    The URL is checked (企业微信's https address), stored encrypted, and shown only as its last four characters."""
    _may_manage_community(actor, community.pk)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写群名称。"
    elif len(name) > 60:
        errors["name"] = "群名称最多60个字。"
    url = ""
    if group is None or (webhook_url or "").strip():
        try:
            url = wechat.clean_webhook_url(webhook_url)
        except ValidationError as exc:
            errors["webhook_url"] = exc.messages
    if errors:
        raise ValidationError(errors)
    _clean_area(community, grid, building)
    if group is None:
        before = None
        group = WechatGroup(community=community, created_by=actor.account)
    else:
        group = WechatGroup.objects.select_for_update().get(pk=group.pk)
        if group.community_id != community.pk:
            raise Http404("找不到这个群。")
        before = audit.snapshot(group)
    group.name, group.grid, group.building, group.is_active = name, grid, building, is_active
    if url:
        group.webhook_cipher = encrypt_text(url)
        group.webhook_tail = wechat.tail_of(url)
        group.last_error = ""
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:
        raise ValidationError({"name": NAME_TAKEN})
    audit.record(
        group, ChangeAction.CREATE if before is None else ChangeAction.UPDATE, before, audit.snapshot(group), actor
    )
    return group


@transaction.atomic
def set_group_active(group: WechatGroup, *, actor: Actor, active: bool) -> WechatGroup:
    """停用 / 启用: a deactivated group gets no new messages (groups_for skips it); its history stays."""
    _may_manage_community(actor, group.community_id)
    group = WechatGroup.objects.select_for_update().get(pk=group.pk)
    before = audit.snapshot(group)
    group.is_active = active
    group.save(update_fields=["is_active"])
    audit.record(group, ChangeAction.UPDATE, before, audit.snapshot(group), actor, note="启用" if active else "停用")
    return group


def send_test(group: WechatGroup, *, actor: Actor, now=None) -> None:
    """发送测试消息: one message straight to the robot (not queued), to check the address before a real notice. The
    result is the group's last success / last error; a failure raises a Chinese ValidationError. Not in the
    community's quiet hours (the residents' phones would ring at night)."""
    from linli.channels import sender
    from linli.core.crypto import decrypt_text

    _may_manage_community(actor, group.community_id)
    now = now or sender.clock()
    end = sender.quiet_until(sender.rules_for(group.community_id), now)
    if end is not None:
        local = timezone.localtime(end)
        raise ValidationError(f"现在是免打扰时段，测试消息请在 {local:%H:%M} 以后再发。")
    url = decrypt_text(bytes(group.webhook_cipher))
    who = actor.label or (str(actor.user) if actor.user else "系统")
    content = f"【测试消息】这是邻里平台发给“{group.name}”的测试消息，收到说明群机器人登记正确。（{who}）"
    try:
        wechat.get_backend().post(url, content, msgtype="text")
    except wechat.WechatError as exc:
        WechatGroup.objects.filter(pk=group.pk).update(last_error=str(exc)[:200])
        raise ValidationError(f"测试消息发送失败：{exc}")
    WechatGroup.objects.filter(pk=group.pk).update(last_ok_at=now, last_error="")


# --- rules ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def save_settings(community, *, actor: Actor, quiet_from, quiet_until, sms_per_minute: int, wechat_per_minute: int):
    """A community's quiet hours and rates. WeChat Work allows a robot 20 messages a minute: no more is accepted."""
    _may_manage_community(actor, community.pk)
    errors = {}
    if quiet_from is None:
        errors["quiet_from"] = "请填写免打扰开始时间。"
    if quiet_until is None:
        errors["quiet_until"] = "请填写免打扰结束时间。"
    if sms_per_minute is None or not 1 <= sms_per_minute <= 6000:
        errors["sms_per_minute"] = "短信每分钟上限应在1到6000之间。"
    if wechat_per_minute is None or not 1 <= wechat_per_minute <= 20:
        errors["wechat_per_minute"] = "企业微信规定每个群机器人每分钟最多20条，请填1到20之间的数。"
    if errors:
        raise ValidationError(errors)
    ChannelSettings.objects.get_or_create(community=community)
    rules = ChannelSettings.objects.select_for_update().get(community=community)
    before = audit.snapshot(rules)
    rules.quiet_from, rules.quiet_until = quiet_from, quiet_until
    rules.sms_per_minute, rules.wechat_per_minute = sms_per_minute, wechat_per_minute
    rules.save()
    audit.record(rules, ChangeAction.UPDATE, before, audit.snapshot(rules), actor)
    return rules


# --- batches -------------------------------------------------------------------------------------------------------


@transaction.atomic
def cancel_dispatch(dispatch: Dispatch, *, actor: Actor) -> Dispatch:
    """取消发送: the messages not sent yet are cancelled (what went out stays sent); the batch is closed. A batch
    already done or cancelled is left as it is."""
    from linli.channels.sender import settle

    dispatch = _control(actor, dispatch)
    if dispatch.status not in (DispatchStatus.QUEUED, DispatchStatus.SENDING):
        return dispatch
    before = audit.snapshot(dispatch)
    cancelled = Outbound.objects.filter(
        dispatch=dispatch, status__in=(OutboundStatus.PENDING, OutboundStatus.RETRYING)
    ).update(status=OutboundStatus.CANCELLED, next_try_at=None)
    dispatch.status = DispatchStatus.CANCELLED
    dispatch.finished_at = timezone.now()
    dispatch.cancelled_by = actor.account
    dispatch.save(update_fields=["status", "finished_at", "cancelled_by"])
    dispatch = settle(dispatch.pk)
    audit.record(
        dispatch, ChangeAction.UPDATE, before, audit.snapshot(dispatch), actor, note=f"取消发送 {cancelled} 条"
    )
    return dispatch


@transaction.atomic
def retry_failed(dispatch: Dispatch, *, actor: Actor) -> int:
    """重试失败: the failed messages are sent again from the first attempt (after the address or number was put
    right); the batch reopens. Returns how many."""
    from linli.channels.sender import settle

    dispatch = _control(actor, dispatch)
    if dispatch.status == DispatchStatus.CANCELLED:
        raise ValidationError("这个批次已取消，不能重试。")
    rows = Outbound.objects.filter(dispatch=dispatch, status=OutboundStatus.FAILED)
    if dispatch.channel == ChannelKind.WECHAT:
        rows = rows.filter(group__is_active=True)
    before = audit.snapshot(dispatch)
    count = rows.update(status=OutboundStatus.PENDING, attempts=0, next_try_at=None, last_error="")
    if not count:
        raise ValidationError("没有可以重试的失败消息（停用的群不会重试）。")
    dispatch.status = DispatchStatus.SENDING
    dispatch.finished_at = None
    dispatch.save(update_fields=["status", "finished_at"])
    dispatch = settle(dispatch.pk)
    audit.record(dispatch, ChangeAction.UPDATE, before, audit.snapshot(dispatch), actor, note=f"重试失败 {count} 条")
    transaction.on_commit(lambda: _start(dispatch.pk))
    return count
