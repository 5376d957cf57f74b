"""Who actually got a notice: confirmations per household (NoticeHousehold.confirmed_via).

A household is told when a resident of it reads the notice in Linli (record_read), or when a grid worker marks it
已电话告知 / 已当面告知 / 已张贴. The first confirmation stands; later ones do not overwrite it (a second mark is
refused with a message, so two grid workers at the same door learn the other was quicker). A mistaken mark is undone
by whoever made it or by someone who manages notices; staff also turn a household's 需上门告知 on or off when they know
better than the registry (a son who reads the group messages for his mother, a tenant who cannot).

Every change here is atomic, locks the rows it changes, checks the user's role (403) and scope (404: the rows come
from NoticeHousehold.objects.restrict(user, ...)), and leaves a change record with its actor.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm
from linli.notices.choices import ConfirmVia, NoticeStatus
from linli.notices.models import Notice, NoticeHousehold, NoticeRead

#: The ways a grid worker marks a household by hand (线上已读 comes only from the resident's own reading).
HAND_WAYS = (ConfirmVia.PHONE, ConfirmVia.IN_PERSON, ConfirmVia.POSTED)

UNKNOWN_WAY = "请选择告知方式：已电话告知、已当面告知或已张贴。"
WITHDRAWN = "这条通知已撤回，不能再登记告知情况。"
NOT_SENT = "这条通知还没有发布，不能登记告知情况。"
NOT_CONFIRM = "这条通知不需要确认送达。"
NOT_TOLD = "这一户还没有登记告知，不需要撤销。"
READ_STAYS = "居民已在线上阅读，不能撤销。"
NOT_YOURS = "只有登记人或社区管理人员可以撤销这条登记。"
OUTSIDE = "不在您的管辖范围内。"


@transaction.atomic
def record_read(notice: Notice, user) -> bool:
    """The signed-in user opened a sent notice: remember it once, and for a resident count their household as told
    (线上已读). Returns True the first time."""
    if notice.status != NoticeStatus.SENT or not getattr(user, "pk", None):
        return False
    try:
        with transaction.atomic():
            NoticeRead.objects.create(notice=notice, user=user)
    except IntegrityError:
        return False
    if user.resident_id:
        household = user.resident.household_id
        NoticeHousehold.objects.filter(notice=notice, household_id=household, confirmed_via="").update(
            confirmed_via=ConfirmVia.READ, confirmed_at=timezone.now(), confirmed_by=user
        )
    return True


# --------------------------------------------------------------------------- checks


def _rows(actor: Actor, perm: str):
    """The household rows the actor may change under `perm` (all of them for a command); 403 without the role."""
    user = actor.user
    if user is None:
        return NoticeHousehold.objects.all()
    require_perm(user, perm)
    return NoticeHousehold.objects.restrict(user, perm.split(".", 1)[1])


def _locked_row(row: NoticeHousehold | int, actor: Actor, perm: str) -> NoticeHousehold:
    pk = row.pk if isinstance(row, NoticeHousehold) else row
    locked = (
        _rows(actor, perm)
        .select_for_update(of=("self",))
        .select_related("notice", "household__building")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise Http404(OUTSIDE)
    return locked


def _open_for_marks(notice: Notice) -> None:
    if notice.status == NoticeStatus.WITHDRAWN:
        raise ValidationError(WITHDRAWN)
    if notice.status != NoticeStatus.SENT:
        raise ValidationError(NOT_SENT)
    if not notice.must_confirm:
        raise ValidationError(NOT_CONFIRM)


def _way(via) -> ConfirmVia:
    if via not in HAND_WAYS:
        raise ValidationError({"via": UNKNOWN_WAY})
    return ConfirmVia(via)


def told_text(row: NoticeHousehold) -> str:
    """ "已电话告知（蒋桂梅，12月5日 09:30）" for a told household."""
    who = str(row.confirmed_by) if row.confirmed_by_id else ""
    at = timezone.localtime(row.confirmed_at) if row.confirmed_at else None
    when = f"{at.month}月{at.day}日 {at:%H:%M}" if at else ""
    extra = "，".join(p for p in (who, when) if p)
    return f"{row.get_confirmed_via_display()}（{extra}）" if extra else row.get_confirmed_via_display()


# --------------------------------------------------------------------------- marking


@transaction.atomic
def mark_told(row: NoticeHousehold | int, *, actor: Actor, via: str, note: str = "") -> NoticeHousehold:
    """A grid worker told the household (by phone, in person, or by a posted notice). Refused, changing nothing, for
    an unknown way, a notice that is withdrawn, not sent or not must-confirm, and a household already told."""
    row = _locked_row(row, actor, "notice.confirm")
    way = _way(via)
    _open_for_marks(row.notice)
    if row.confirmed_via:
        raise ValidationError(f"这一户已经登记过：{told_text(row)}，不需要重复登记。")
    before = audit.snapshot(row)
    row.confirmed_via = way
    row.confirmed_at = timezone.now()
    row.confirmed_by = actor.account
    row.note = (note or "").strip()[:200]
    row.save(update_fields=["confirmed_via", "confirmed_at", "confirmed_by", "note"])
    audit.record(row, ChangeAction.UPDATE, before, audit.snapshot(row), actor, note=way.label)
    return row


@transaction.atomic
def mark_building_posted(notice: Notice, building_id: int, *, actor: Actor, note: str = "") -> int:
    """已张贴 for every open household of one building (the notice is up at its entrances): the households of the
    building the actor may mark that nobody has told yet. Returns how many were marked."""
    rows = _rows(actor, "notice.confirm").filter(notice_id=notice.pk, building_id=building_id)
    if not rows.exists():
        raise Http404(OUTSIDE)
    notice = Notice.objects.select_for_update(of=("self",)).get(pk=notice.pk)
    _open_for_marks(notice)
    open_rows = list(
        rows.filter(confirmed_via="")
        .select_for_update(of=("self",))
        .select_related("notice", "household__building")
        .order_by("pk")
    )
    now, user, note = timezone.now(), actor.account, (note or "").strip()[:200]
    for row in open_rows:
        before = audit.snapshot(row)
        row.confirmed_via, row.confirmed_at, row.confirmed_by, row.note = ConfirmVia.POSTED, now, user, note
        audit.record(row, ChangeAction.UPDATE, before, audit.snapshot(row), actor, note="整栋已张贴")
    NoticeHousehold.objects.bulk_update(open_rows, ["confirmed_via", "confirmed_at", "confirmed_by", "note"])
    return len(open_rows)


@transaction.atomic
def undo_mark(row: NoticeHousehold | int, *, actor: Actor) -> NoticeHousehold:
    """Take back a mistaken mark: by whoever made it, or by someone who manages notices. A resident's own reading
    (线上已读) stays."""
    row = _locked_row(row, actor, "notice.confirm")
    if row.notice.status == NoticeStatus.WITHDRAWN:
        raise ValidationError(WITHDRAWN)
    if not row.confirmed_via:
        raise ValidationError(NOT_TOLD)
    if row.confirmed_via == ConfirmVia.READ:
        raise ValidationError(READ_STAYS)
    user = actor.user
    if user is not None and row.confirmed_by_id != user.pk and not user.has_role_perm("notice.manage"):
        raise ValidationError(NOT_YOURS)
    before = audit.snapshot(row)
    row.confirmed_via, row.confirmed_at, row.confirmed_by, row.note = "", None, None, ""
    row.save(update_fields=["confirmed_via", "confirmed_at", "confirmed_by", "note"])
    audit.record(row, ChangeAction.UPDATE, before, audit.snapshot(row), actor, note="撤销告知登记")
    return row


@transaction.atomic
def set_needs_door(row: NoticeHousehold | int, needs_door: bool | None, *, actor: Actor) -> NoticeHousehold:
    """Put a household on the door list (需上门告知) or take it off: staff who manage notices know the family."""
    row = _locked_row(row, actor, "notice.manage")
    if needs_door not in (True, False):
        raise ValidationError({"needs_door": "请选择是否需要上门告知。"})
    if row.notice.status == NoticeStatus.WITHDRAWN:
        raise ValidationError(WITHDRAWN)
    if row.needs_door == needs_door:
        return row
    label = {True: "需上门告知", False: "不需上门"}
    row.needs_door = needs_door
    row.save(update_fields=["needs_door"])
    audit.record(
        row,
        ChangeAction.UPDATE,
        {"需上门告知": label[not needs_door]},
        {"需上门告知": label[needs_door]},
        actor,
        note="调整上门告知",
    )
    return row


# --------------------------------------------------------------------------- progress


@dataclass
class Figures:
    """Households of one area (a building, a grid, the whole notice) and how they were told."""

    key: tuple = ()
    label: str = ""
    grid_id: int | None = None
    building_id: int | None = None
    total: int = 0
    read: int = 0
    phone: int = 0
    in_person: int = 0
    posted: int = 0
    open: int = 0
    open_door: int = 0
    parts: list[Figures] = field(default_factory=list)

    @property
    def told(self) -> int:
        return self.total - self.open

    @property
    def percent(self) -> int:
        return round(100 * self.told / self.total) if self.total else 0

    def add(self, other: Figures) -> None:
        for name in ("total", "read", "phone", "in_person", "posted", "open", "open_door"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def progress(notice: Notice, user=None) -> Figures:
    """The notice's households the user may see, per grid and building (one query): the whole as a Figures whose
    `parts` are the grids (by number; households without a grid last), each with its buildings as `parts`."""
    rows = NoticeHousehold.objects.filter(notice_id=notice.pk)
    if user is not None:
        rows = rows.restrict(user)
    open_ = Q(confirmed_via="")
    per_building = (
        rows.order_by()
        .values("grid_id", "grid__number", "grid__name", "building_id", "building__number", "building__name")
        .annotate(
            total=Count("id"),
            read=Count("id", filter=Q(confirmed_via=ConfirmVia.READ)),
            phone=Count("id", filter=Q(confirmed_via=ConfirmVia.PHONE)),
            in_person=Count("id", filter=Q(confirmed_via=ConfirmVia.IN_PERSON)),
            posted=Count("id", filter=Q(confirmed_via=ConfirmVia.POSTED)),
            open=Count("id", filter=open_),
            open_door=Count("id", filter=open_ & Q(needs_door=True)),
        )
    )
    whole = Figures(label="合计")
    grids: dict[int | None, Figures] = {}
    for b in per_building:
        grid = grids.get(b["grid_id"])
        if grid is None:
            grid = grids[b["grid_id"]] = Figures(
                key=(b["grid__number"] is None, b["grid__number"] or 0),
                label=b["grid__name"] or "未划网格",
                grid_id=b["grid_id"],
            )
        building = Figures(
            key=(b["building__number"],),
            label=b["building__name"],
            grid_id=b["grid_id"],
            building_id=b["building_id"],
            **{k: b[k] for k in ("total", "read", "phone", "in_person", "posted", "open", "open_door")},
        )
        grid.parts.append(building)
        grid.add(building)
        whole.add(building)
    whole.parts = sorted(grids.values(), key=lambda g: g.key)
    for grid in whole.parts:
        grid.parts.sort(key=lambda b: b.key)
    return whole


# --------------------------------------------------------------------------- the door list (今日走访)


def door_rows(user, *, limit: int | None = None):
    """The open 需上门告知 households of sent, must-confirm notices the user may mark: deadline soonest first, then in
    walking order (building, entrance, floor, room), each with its notice, household and the household's residents
    (`row.people`) in two queries."""
    from django.db.models import Prefetch

    from linli.residents.models import Resident

    rows = (
        NoticeHousehold.objects.restrict(user, "confirm")
        .filter(needs_door=True, confirmed_via="", notice__status=NoticeStatus.SENT, notice__must_confirm=True)
        .select_related("notice", "household", "building")
        .prefetch_related(
            Prefetch(
                "household__residents",
                queryset=Resident.objects.filter(status="active").order_by("birth_date", "id"),
                to_attr="people",
            )
        )
        .order_by(
            "notice__confirm_by",
            "notice_id",
            "building__number",
            "household__entrance",
            "household__floor",
            "household__room",
            "id",
        )
    )
    return rows[:limit] if limit else rows


def reminder_due(today: datetime.date):
    """Notices whose confirmations close tomorrow (the day before confirm_by is when grid workers are reminded)."""
    return Notice.objects.filter(
        status=NoticeStatus.SENT, must_confirm=True, confirm_by=today + datetime.timedelta(days=1)
    )
