"""The worker: send the Outbound rows that are due, within the community's rules.

`send_due(now=None, dispatch_id=None, limit=None)` is called by the Celery task `send_dispatch` (started when a batch
is queued, re-queued while rows wait), by the beat entry `channels-send` every minute and by `linli channels-send`
(cron, where there is no Redis). It

- sends nothing during the community's quiet hours (ChannelSettings, 21:00–08:00 local time by default): rows wait
  until the window ends;
- keeps each channel's rate: SMS per community per minute (ChannelSettings.sms_per_minute) and each WeChat group
  robot at most ChannelSettings.wechat_per_minute (never above WeChat Work's own 20 a minute). The rate counts the
  attempts of the last 60 seconds (Outbound.tried_at), so it holds across runs and across workers;
- claims rows inside a transaction that locks the community's ChannelSettings row (so two workers never both spend
  the same minute's budget) and takes the rows with SELECT … FOR UPDATE SKIP LOCKED; a claimed row gets a lease
  (next_try_at = now + 5 minutes) and is sent after the commit, so a crashed worker's rows are retried after it;
- retries a failure (network error, timeout, errcode ≠ 0, provider refusal) after 1, 5, 15 and 60 minutes, then marks
  it failed with the Chinese reason; a permanent error (invalid webhook key, bad number) fails at once;
- keeps each Dispatch's counters (recounted from its rows under a lock) and status (queued → sending → done), and each
  group's last success and last error.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from linli.channels import wechat
from linli.channels.choices import ChannelKind, DispatchStatus, OutboundStatus
from linli.channels.models import ChannelSettings, Dispatch, Outbound, WechatGroup
from linli.core.crypto import decrypt_text
from linli.tracking import sms

logger = logging.getLogger("linli.channels")

#: Minutes to wait before the 2nd, 3rd, 4th and 5th attempt; after the 5th the message has failed.
BACKOFF_MINUTES = (1, 5, 15, 60)
#: A claimed row is someone's for this long; if its worker dies, another takes it after that.
LEASE = datetime.timedelta(minutes=5)
WINDOW = datetime.timedelta(seconds=60)
#: WeChat Work allows each group robot 20 messages a minute, whatever a community sets.
WECHAT_MAX_PER_MINUTE = 20
#: The SMS template notices use (LINLI_SMS_TENCENT_TEMPLATES maps it to the provider's id).
SMS_TEMPLATE = "notice"
ACTIVE = (DispatchStatus.QUEUED, DispatchStatus.SENDING)
OPEN = (OutboundStatus.PENDING, OutboundStatus.RETRYING)


def clock() -> datetime.datetime:
    """Now, for the pages' quiet-hours checks (tests patch this one function, not the whole clock: sessions keep
    theirs)."""
    return timezone.now()


@dataclass
class Report:
    """What a run did, and when to come back: `wait_until` is the earliest moment a held row may go (quiet hours
    ending, a rate window freeing up, a retry falling due); None when nothing is left."""

    sent: int = 0
    failed: int = 0
    retrying: int = 0
    quiet: bool = False
    remaining: int = 0
    wait_until: datetime.datetime | None = None
    dispatches: set[int] = field(default_factory=set)

    def hold(self, when: datetime.datetime | None):
        if when is not None and (self.wait_until is None or when < self.wait_until):
            self.wait_until = when


def rules_for(community_id: int) -> ChannelSettings:
    """The community's rules; the defaults (unsaved) when it has none."""
    return ChannelSettings.objects.filter(community_id=community_id).first() or ChannelSettings(
        community_id=community_id
    )


def quiet_until(rules: ChannelSettings, now: datetime.datetime) -> datetime.datetime | None:
    """When the quiet hours holding `now` end (aware), or None when `now` is outside them. Local time (TIME_ZONE);
    a window like 21:00–08:00 runs over midnight; equal ends mean no quiet hours."""
    start, end = rules.quiet_from, rules.quiet_until
    if start == end:
        return None
    local = timezone.localtime(now)
    t = local.time()
    if start < end:
        quiet = start <= t < end
        day = local.date()
    else:
        quiet = t >= start or t < end
        day = local.date() if t < end else local.date() + datetime.timedelta(days=1)
    if not quiet:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, end), timezone.get_current_timezone())


def _due(now):
    return Q(status__in=OPEN) & (Q(next_try_at__isnull=True) | Q(next_try_at__lte=now))


@dataclass(frozen=True)
class Claimed:
    pk: int
    dispatch_id: int
    channel: str
    group_id: int | None
    phone: str
    text: str
    params: list
    attempts: int


def _lock_rules(community_id: int) -> ChannelSettings:
    if not ChannelSettings.objects.filter(community_id=community_id).exists():
        try:
            with transaction.atomic():  # two workers may both find none: the second's insert fails harmlessly
                ChannelSettings.objects.create(community_id=community_id)
        except IntegrityError:
            pass
    return ChannelSettings.objects.select_for_update().get(community_id=community_id)


def _claim(community_id: int, dispatch_ids, now, limit: int | None, report: Report) -> list[Claimed]:
    """Under the community's lock: the rows this run may send now, leased to it."""
    with transaction.atomic():
        rules = _lock_rules(community_id)
        due = Outbound.objects.filter(
            _due(now), dispatch__community_id=community_id, dispatch__status__in=ACTIVE, dispatch_id__in=dispatch_ids
        )
        end = quiet_until(rules, now)
        if end is not None:
            report.quiet = True
            report.hold(end)
            return []
        recent = Outbound.objects.filter(tried_at__gt=now - WINDOW)
        picked: list[int] = []
        room = limit if limit is not None else 10**9

        def take(rows, budget, window_rows):
            nonlocal room
            if budget <= 0:
                oldest = window_rows.aggregate(t=Min("tried_at"))["t"]
                report.hold((oldest or now) + WINDOW)
                return
            n = min(budget, room)
            if n <= 0:
                return
            ids = list(
                rows.order_by("id").select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)[:n]
            )
            picked.extend(ids)
            room -= len(ids)
            if len(ids) >= budget and rows.exclude(pk__in=ids).exists():  # the minute's budget is spent
                oldest = window_rows.aggregate(t=Min("tried_at"))["t"]
                report.hold((oldest or now) + WINDOW)

        sms_due = due.filter(dispatch__channel=ChannelKind.SMS)
        if sms_due.exists():
            window_rows = recent.filter(dispatch__community_id=community_id, dispatch__channel=ChannelKind.SMS)
            take(sms_due, rules.sms_per_minute - window_rows.count(), window_rows)
        per_group = min(rules.wechat_per_minute, WECHAT_MAX_PER_MINUTE)
        wechat_due = due.filter(dispatch__channel=ChannelKind.WECHAT)
        group_ids = sorted(set(wechat_due.values_list("group_id", flat=True)))
        if group_ids:
            counts = dict(
                recent.filter(group_id__in=group_ids)
                .values("group_id")
                .annotate(n=Count("id"))
                .values_list("group_id", "n")
            )
            for group_id in group_ids:
                window_rows = recent.filter(group_id=group_id)
                take(wechat_due.filter(group_id=group_id), per_group - counts.get(group_id, 0), window_rows)
        if limit is not None and room <= 0:
            report.hold(now)  # more may go now: the caller comes back at once
        if not picked:
            return []
        rows = Outbound.objects.filter(pk__in=picked).select_related("dispatch").order_by("id")
        claimed = [
            Claimed(r.pk, r.dispatch_id, r.dispatch.channel, r.group_id, r.phone, r.text, r.params, r.attempts + 1)
            for r in rows
        ]
        for row in rows:
            row.attempts += 1
            row.tried_at = now
            row.next_try_at = now + LEASE
        Outbound.objects.bulk_update(rows, ["attempts", "tried_at", "next_try_at"])
        Dispatch.objects.filter(pk__in={c.dispatch_id for c in claimed}, status=DispatchStatus.QUEUED).update(
            status=DispatchStatus.SENDING
        )
        return claimed


def markdown_of(text: str) -> str:
    """The group message: the text with its links made clickable (markdown keeps the 【社区】 title readable)."""
    return re.sub(r"(https?://[^\s）)]+)", r"[\1](\1)", text)


class _Groups:
    """Each group's webhook, decrypted once per run (never logged)."""

    def __init__(self):
        self.cache: dict[int, tuple[str, bool, str]] = {}

    def get(self, group_id: int) -> tuple[str, bool, str]:
        if group_id not in self.cache:
            group = WechatGroup.objects.get(pk=group_id)
            self.cache[group_id] = (decrypt_text(bytes(group.webhook_cipher)), group.is_active, group.name)
        return self.cache[group_id]


def _send_one(row: Claimed, groups: _Groups, wechat_backend, sms_backend) -> tuple[bool, str, str, bool]:
    """(ok, provider_ref, reason, permanent)."""
    try:
        if row.channel == ChannelKind.WECHAT:
            url, active, _name = groups.get(row.group_id)
            if not active:
                return False, "", "这个群已停用，消息未发送", True
            wechat_backend.post(url, markdown_of(row.text), msgtype="markdown")
            return True, "", "", False
        ref = sms_backend.send_template(row.phone, SMS_TEMPLATE, [str(p) for p in row.params], row.text)
        return True, str(ref or "")[:80], "", False
    except (wechat.WechatError, sms.SmsError) as exc:
        return False, "", str(exc)[:190], exc.permanent
    except Exception as exc:  # a bug or an unexpected library error: retried, and logged without the message text
        logger.exception("sending outbound %s failed", row.pk)
        return False, "", f"发送出错（{type(exc).__name__}），稍后自动重试", False


def _record(row: Claimed, result, now, report: Report) -> None:
    ok, ref, reason, permanent = result
    if ok:
        Outbound.objects.filter(pk=row.pk).update(
            status=OutboundStatus.SENT, sent_at=now, provider_ref=ref, last_error="", next_try_at=None
        )
        report.sent += 1
        if row.group_id:
            WechatGroup.objects.filter(pk=row.group_id).update(last_ok_at=now, last_error="")
        return
    if permanent or row.attempts > len(BACKOFF_MINUTES):
        Outbound.objects.filter(pk=row.pk).update(status=OutboundStatus.FAILED, last_error=reason, next_try_at=None)
        report.failed += 1
    else:
        retry_at = now + datetime.timedelta(minutes=BACKOFF_MINUTES[row.attempts - 1])
        Outbound.objects.filter(pk=row.pk).update(
            status=OutboundStatus.RETRYING, last_error=reason, next_try_at=retry_at
        )
        report.retrying += 1
        report.hold(retry_at)
    if row.group_id:
        WechatGroup.objects.filter(pk=row.group_id).update(last_error=reason[:200])


def settle(dispatch_id: int, now=None) -> Dispatch:
    """Recount a batch from its rows (under its lock, so the last of two workers counts both) and close it when no
    row is left to send."""
    now = now or timezone.now()
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().get(pk=dispatch_id)
        counts = dict(dispatch.messages.values("status").annotate(n=Count("id")).values_list("status", "n"))
        dispatch.total = sum(counts.values())
        dispatch.sent = counts.get(OutboundStatus.SENT, 0)
        dispatch.failed = counts.get(OutboundStatus.FAILED, 0)
        open_rows = counts.get(OutboundStatus.PENDING, 0) + counts.get(OutboundStatus.RETRYING, 0)
        if dispatch.status in ACTIVE and not open_rows:
            dispatch.status = DispatchStatus.DONE
            dispatch.finished_at = now
        dispatch.save(update_fields=["total", "sent", "failed", "status", "finished_at"])
        return dispatch


def send_due(now=None, dispatch_id: int | None = None, limit: int | None = None) -> Report:
    """Send what may go now (of one batch, or of all); `limit` caps the rows taken per community in this run."""
    now = now or timezone.now()
    report = Report()
    active = Dispatch.objects.filter(status__in=ACTIVE)
    if dispatch_id is not None:
        active = active.filter(pk=dispatch_id)
    by_community: dict[int, list[int]] = {}
    for pk, community_id in active.values_list("pk", "community_id"):
        by_community.setdefault(community_id, []).append(pk)
    groups, wechat_backend, sms_backend = _Groups(), None, None
    for community_id, dispatch_ids in by_community.items():
        was_quiet = report.quiet
        report.quiet = False
        claimed = _claim(community_id, dispatch_ids, now, limit, report)
        quiet, report.quiet = report.quiet, report.quiet or was_quiet
        for row in claimed:
            if row.channel == ChannelKind.WECHAT and wechat_backend is None:
                wechat_backend = wechat.get_backend()
            if row.channel == ChannelKind.SMS and sms_backend is None:
                sms_backend = sms.get_backend()
            _record(row, _send_one(row, groups, wechat_backend, sms_backend), now, report)
        for pk in dispatch_ids:
            dispatch = settle(pk, now)
            report.dispatches.add(pk)
            if dispatch.status in ACTIVE:
                report.remaining += dispatch.total - dispatch.sent - dispatch.failed
                if not quiet:  # quiet hours: the window's end was held already
                    upcoming = dispatch.messages.filter(status__in=OPEN, next_try_at__gt=now).aggregate(
                        t=Min("next_try_at")
                    )["t"]
                    report.hold(upcoming)
    if not report.remaining:
        report.wait_until = None
    return report
