"""Writing, sending and withdrawing notices. Views, the API, commands and the demo call these; nothing else changes a
notice's state. Each change is atomic, locks the notice and leaves a change record with its actor.

Sending fixes the audience (NoticeHousehold rows, households.fix_households), then hands each chosen channel its
messages: WeChat groups of the audience's area and SMS to the reached residents' phones go through linli.channels
(queued, quiet hours, rate limits, retries); in Linli the notice is simply there for the reached residents and staff
(their home pages read it); print is done by hand from the poster and checklist pages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linli.areas.models import Community
from linli.areas.scope import require_community
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm
from linli.notices.audience import Audience
from linli.notices.choices import NoticeChannel, NoticeStatus
from linli.notices.households import fix_households
from linli.notices.models import Notice

#: Notice fields an edit of a draft may change.
EDITABLE = ("title", "body", "category", "channels", "is_public", "must_confirm", "confirm_by")
NOT_DRAFT = "这条通知已经发布，不能再修改；如有错误请撤回后重新发布。"
EMPTY_AUDIENCE = "按这个条件找不到要通知的居民，请调整通知对象。"
NO_CHANNEL = "请至少选择一个发送渠道。"


def _locked(notice: Notice, actor: Actor, perm: str) -> Notice:
    user = actor.user
    if user is not None:
        require_perm(user, perm)
        if not Notice.objects.restrict(user).filter(pk=notice.pk).exists():
            raise Http404("不在您的管辖范围内。")
    return Notice.objects.select_for_update(of=("self",)).select_related("community").get(pk=notice.pk)


def can_edit(user, notice: Notice) -> bool:
    """The author of a draft, or anyone who manages notices in its community."""
    if notice.status != NoticeStatus.DRAFT:
        return False
    if user.has_role_perm("notice.manage") and Notice.objects.restrict(user).filter(pk=notice.pk).exists():
        return True
    return notice.created_by_id == user.pk and user.has_role_perm("notice.add")


def _clean(notice: Notice, audience: Audience, actor: Actor) -> None:
    notice.title = (notice.title or "").strip()
    notice.body = (notice.body or "").strip()
    notice.channels = [c for c in NoticeChannel.values if c in set(notice.channels or [])]
    errors = {}
    if not notice.title:
        errors["title"] = "请填写标题。"
    if not notice.body:
        errors["body"] = "请填写正文。"
    if not notice.channels:
        errors["channels"] = NO_CHANNEL
    if notice.must_confirm and not notice.confirm_by:
        errors["confirm_by"] = "须确认送达的通知请填写确认截止日期。"
    if notice.confirm_by and notice.confirm_by < timezone.localdate():
        errors["confirm_by"] = "确认截止日期不能早于今天。"
    if audience.community_id != notice.community_id:
        errors["audience"] = "通知对象不属于这个社区。"
    if errors:
        raise ValidationError(errors)
    audience.check(actor.user)
    notice.audience = audience.to_dict()
    notice.audience_label = audience.describe()[:300]


@transaction.atomic
def create_notice(*, actor: Actor, community: Community, audience: Audience, **fields) -> Notice:
    """A draft notice (草稿); nothing is sent until send_notice."""
    require_community(actor, "notice.add", community.pk)
    notice = Notice(community=community, created_by=actor.account, **{k: v for k, v in fields.items() if k in EDITABLE})
    _clean(notice, audience, actor)
    notice.save()
    audit.record(notice, ChangeAction.CREATE, None, audit.snapshot(notice), actor)
    return notice


@transaction.atomic
def update_notice(notice: Notice, *, actor: Actor, audience: Audience | None = None, **fields) -> Notice:
    notice = _locked(notice, actor, "notice.add")
    if actor.user is not None and not can_edit(actor.user, notice):
        if notice.status != NoticeStatus.DRAFT:
            raise ValidationError(NOT_DRAFT)
        raise Http404("不在您的管辖范围内。")
    before = audit.snapshot(notice)
    for key, value in fields.items():
        if key in EDITABLE:
            setattr(notice, key, value)
    _clean(notice, audience or Audience.from_dict(notice.audience), actor)
    notice.save()
    audit.record(notice, ChangeAction.UPDATE, before, audit.snapshot(notice), actor)
    return notice


def public_url(notice: Notice) -> str:
    """The notice's short public address, absolute when LINLI_SITE_URL is set (SMS, group messages, posters)."""
    path = reverse("notice_links:public_notice", args=[notice.code])
    site = (getattr(settings, "LINLI_SITE_URL", "") or "").rstrip("/")
    return f"{site}{path}"


@transaction.atomic
def send_notice(notice: Notice, *, actor: Actor) -> Notice:
    """发布: fix the audience's households, mark the notice sent and queue its channels. A notice whose audience is
    empty is refused (nothing changes)."""
    notice = _locked(notice, actor, "notice.send")
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError(NOT_DRAFT)
    audience = Audience.from_dict(notice.audience)
    audience.check(actor.user)
    residents = audience.residents(actor.user)
    before = audit.snapshot(notice)
    resident_count, household_count = fix_households(notice, residents)
    if not household_count:
        raise ValidationError({"audience": EMPTY_AUDIENCE})
    notice.resident_count, notice.household_count = resident_count, household_count
    notice.status = NoticeStatus.SENT
    notice.sent_at = timezone.now()
    notice.sent_by = actor.account
    notice.save()
    audit.record(notice, ChangeAction.UPDATE, before, audit.snapshot(notice), actor, note="发布")
    _queue_channels(notice, audience, residents, actor)
    return notice


def message_text(notice: Notice) -> str:
    """What a group or a phone receives: the title, the start of the text and the short link."""
    body = " ".join(notice.body.split())
    if len(body) > 60:
        body = body[:60] + "…"
    return f"【{notice.community.name}】{notice.title}：{body} 详情：{public_url(notice)}"


def _queue_channels(notice: Notice, audience: Audience, residents, actor: Actor) -> None:
    from linli.channels import services as channels
    from linli.channels.choices import ChannelKind

    source = "notices.notice"
    text = message_text(notice)
    if NoticeChannel.WECHAT in notice.channels:
        groups = channels.groups_for(notice.community, grid_ids=audience.grid_ids, building_ids=audience.building_ids)
        specs = [channels.OutboundSpec(text=text, group_id=pk) for pk in groups.values_list("pk", flat=True)]
        if specs:
            channels.queue(
                actor=actor,
                community=notice.community,
                channel=ChannelKind.WECHAT,
                source=source,
                source_id=notice.pk,
                title=notice.title,
                messages=specs,
            )
    if NoticeChannel.SMS in notice.channels:
        # One message per distinct mobile number of the audience, written in the database (channels.queue_phones).
        channels.queue_phones(
            actor=actor,
            community=notice.community,
            source=source,
            source_id=notice.pk,
            title=notice.title,
            recipients=residents,
            text=text,
            params=(notice.community.name, notice.title[:20], public_url(notice)),
        )


def can_withdraw(user, notice: Notice) -> bool:
    """Who may withdraw a sent notice: whoever sent or wrote it (notice.send), or notice.manage in its community."""
    if user.is_superuser:
        return True
    if not user.has_role_perm("notice.send") or not Notice.objects.restrict(user).filter(pk=notice.pk).exists():
        return False
    return user.has_role_perm("notice.manage") or user.pk in (notice.created_by_id, notice.sent_by_id)


@dataclass(frozen=True)
class SendPreview:
    """What sending will do, shown before the button: who it reaches and what each channel sends."""

    residents: int
    households: int
    channels: list[tuple[str, str]]  # (label, what happens)
    quiet_note: str
    in_quiet_hours: bool


def quiet_hours(community: Community) -> tuple[datetime.time, datetime.time]:
    from linli.channels.models import ChannelSettings

    settings_row = ChannelSettings.objects.filter(community=community).first()
    if settings_row is None:
        field = ChannelSettings._meta.get_field
        return field("quiet_from").default, field("quiet_until").default
    return settings_row.quiet_from, settings_row.quiet_until


def _in_window(now: datetime.time, start: datetime.time, end: datetime.time) -> bool:
    return start <= now < end if start <= end else now >= start or now < end


def send_preview(notice: Notice, user, *, now: datetime.datetime | None = None) -> SendPreview:
    """The confirmation step of sending (no change): counts, SMS about N, WeChat groups K, the print pages, and the
    quiet-hours note. Raises the audience's ValidationError when the choice is no longer possible for `user`."""
    from linli.channels import services as channels

    audience = Audience.from_dict(notice.audience)
    audience.check(user)
    residents = audience.residents(user)
    n_residents, n_households = audience.counts(user)
    start, end = quiet_hours(notice.community)
    now = timezone.localtime(now)
    quiet = _in_window(now.time(), start, end)
    lines = []
    for code in notice.channels:
        if code == NoticeChannel.IN_APP:
            accounts = residents.filter(user__isnull=False, user__is_active=True).count()
            lines.append(
                (
                    NoticeChannel.IN_APP.label,
                    f"范围内有邻里账号的居民{accounts}人登录后在“我的”页面看到，工作人员在首页看到。",
                )
            )
        elif code == NoticeChannel.SMS:
            phones = residents.filter(phone__regex=r"^1\d{10}$").values("phone").distinct().count()
            lines.append((NoticeChannel.SMS.label, f"短信约{phones}条（同一号码只发一条）。"))
        elif code == NoticeChannel.WECHAT:
            groups = channels.groups_for(
                notice.community, grid_ids=audience.grid_ids, building_ids=audience.building_ids
            )
            names = list(groups.order_by("name").values_list("name", flat=True)[:10])
            if names:
                more = "等" if len(names) == 10 else ""
                lines.append((NoticeChannel.WECHAT.label, f"企业微信群{groups.count()}个：{'、'.join(names)}{more}。"))
            else:
                lines.append((NoticeChannel.WECHAT.label, "所选范围没有登记企业微信群，不会发送群消息。"))
        elif code == NoticeChannel.PRINT:
            lines.append((NoticeChannel.PRINT.label, "发布后在通知页面打印楼道张贴和入户告知清单。"))
    note = f"{start:%H:%M} 至次日 {end:%H:%M} 不发送短信和群消息，排队到早上。"
    if quiet:
        note = f"现在是免打扰时段：短信和群消息将在 {end:%H:%M} 以后发出。" + note
    return SendPreview(n_residents, n_households, lines, note, quiet)


@transaction.atomic
def withdraw_notice(notice: Notice, *, actor: Actor, reason: str) -> Notice:
    """撤回: off the public board and residents' pages; messages not yet sent are cancelled."""
    notice = _locked(notice, actor, "notice.send")
    user = actor.user
    if user is not None and not can_withdraw(user, notice):
        raise ValidationError("只有发布人、起草人或社区管理人员可以撤回这条通知。")
    if notice.status != NoticeStatus.SENT:
        raise ValidationError("只有已发布的通知可以撤回。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"withdrawn_reason": "请填写撤回原因。"})
    before = audit.snapshot(notice)
    notice.status = NoticeStatus.WITHDRAWN
    notice.withdrawn_at = timezone.now()
    notice.withdrawn_reason = reason[:200]
    notice.save()
    audit.record(notice, ChangeAction.UPDATE, before, audit.snapshot(notice), actor, note="撤回")
    from linli.channels import services as channels

    # The withdrawal is what was authorised (a grid worker may withdraw their own notice that a colleague sent, without
    # channel.manage): its unsent messages are cancelled on the system's behalf, naming who withdrew.
    on_behalf = Actor.system(f"撤回通知：{actor.label or actor.account or '系统'}")
    for dispatch in channels.dispatches_for("notices.notice", notice.pk):
        channels.cancel_dispatch(dispatch, actor=on_behalf)
    return notice
