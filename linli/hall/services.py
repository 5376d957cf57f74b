"""Every change of the hall: the catalogue, counters, appointments, walk-in tickets and 代办/帮办.

Each function is atomic, takes the row it changes with select_for_update (a booking or a ticket takes its counter's
row: the lock that keeps a slot within its capacity and the day's numbers unique), checks the actor's scope, writes a
change record, and raises ValidationError with a Chinese message when the input is wrong, changing nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from linli.areas.scope import require_community
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm
from linli.core.services import full_clean
from linli.hall.choices import (
    APPOINTMENT_MOVES,
    ERRAND_MOVES,
    TAKING,
    AppointmentStatus,
    ErrandStatus,
    TicketStatus,
)
from linli.hall.models import Appointment, Counter, Errand, ErrandEvent, ServiceMatter, Ticket
from linli.workdays.calendar import add_workdays

NOT_IN_SCOPE = "找不到这条记录，或不在您的管辖范围内。"


def locked(model, pk: int, actor: Actor, action: str):
    """The row `pk` of `model` locked for the change; 404 outside the actor's scope (a command may act anywhere)."""
    user = actor.user
    qs = model.objects.all() if user is None else model.objects.restrict(user, action)
    row = qs.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        if user is not None:
            require_perm(user, f"hall.{action}")
        raise Http404(NOT_IN_SCOPE)
    return row


def _lock_counter(counter_id: int) -> Counter:
    return Counter.objects.select_for_update().get(pk=counter_id)


def _change(instance, before: dict, actor: Actor, note: str = "") -> None:
    audit.record(instance, ChangeAction.UPDATE, before, audit.snapshot(instance), actor, note)


# --------------------------------------------------------------------------- catalogue and counters


@transaction.atomic
def save_matter(matter: ServiceMatter, *, actor: Actor) -> ServiceMatter:
    """Create or change a matter of the 办事指南 (hall.manage in its community)."""
    require_community(actor, "hall.manage", matter.community_id)
    creating = matter.pk is None
    before = None
    if not creating:
        before = audit.snapshot(locked(ServiceMatter, matter.pk, actor, "manage"))
    matter.name = " ".join(matter.name.split())
    if not matter.name:
        raise ValidationError({"name": "请填写事项名称。"})
    if ServiceMatter.objects.filter(community_id=matter.community_id, name=matter.name).exclude(pk=matter.pk).exists():
        raise ValidationError({"name": "本社区已有同名事项。"})
    full_clean(matter)
    matter.save()
    action = ChangeAction.CREATE if creating else ChangeAction.UPDATE
    audit.record(matter, action, before, audit.snapshot(matter), actor)
    return matter


@transaction.atomic
def save_counter(counter: Counter, *, actor: Actor, matters=None) -> Counter:
    """Create or change a counter (hall.manage); `matters` (of the same community) it serves."""
    require_community(actor, "hall.manage", counter.community_id)
    creating = counter.pk is None
    before = None
    if not creating:
        before = audit.snapshot(locked(Counter, counter.pk, actor, "manage"))
    counter.prefix = (counter.prefix or "A").strip().upper()[:1] or "A"
    if not ("A" <= counter.prefix <= "Z"):
        raise ValidationError({"prefix": "号码字母应为一个英文字母 A–Z。"})
    if not counter.open_days or any(d not in range(7) for d in counter.open_days):
        raise ValidationError({"open_days": "请至少选择一个预约日。"})
    if not 5 <= counter.slot_minutes <= 240:
        raise ValidationError({"slot_minutes": "每个时段应在 5 到 240 分钟之间。"})
    if not counter.slot_capacity:
        raise ValidationError({"slot_capacity": "每个时段至少可约 1 人。"})
    full_clean(counter, exclude=["matters", "staff"])
    counter.save()
    if matters is not None:
        if any(m.community_id != counter.community_id for m in matters):
            raise ValidationError({"matters": "只能选择本社区的办事事项。"})
        counter.matters.set(matters)
    action = ChangeAction.CREATE if creating else ChangeAction.UPDATE
    audit.record(counter, action, before, audit.snapshot(counter), actor)
    return counter


# --------------------------------------------------------------------------- appointments


def slot_starts(counter: Counter, day: datetime.date) -> list[datetime.datetime]:
    """The starts of the counter's appointment slots on `day` (none on a day it takes no appointments)."""
    if day.weekday() not in counter.open_days:
        return []
    starts = []
    at = timezone.make_aware(datetime.datetime.combine(day, counter.opens_at))
    end = timezone.make_aware(datetime.datetime.combine(day, counter.closes_at))
    step = datetime.timedelta(minutes=counter.slot_minutes)
    while at + step <= end:
        starts.append(at)
        at += step
    return starts


def slot_taken(counter: Counter, day: datetime.date) -> dict[datetime.datetime, int]:
    """How many places of each of the day's slots are taken."""
    rows = Appointment.objects.filter(counter=counter, starts_at__date=day, status__in=TAKING)
    taken: dict[datetime.datetime, int] = {}
    for start in rows.values_list("starts_at", flat=True):
        taken[start] = taken.get(start, 0) + 1
    return taken


def free_slots(counter: Counter, day: datetime.date, now: datetime.datetime | None = None) -> list[tuple]:
    """[(start, places left)] of the day's slots that are still ahead and not full."""
    now = now or timezone.now()
    taken = slot_taken(counter, day)
    return [
        (start, counter.slot_capacity - taken.get(start, 0))
        for start in slot_starts(counter, day)
        if start > now and taken.get(start, 0) < counter.slot_capacity
    ]


@transaction.atomic
def book_appointment(
    *,
    counter: Counter,
    matter: ServiceMatter,
    starts_at: datetime.datetime,
    actor: Actor,
    resident=None,
    name: str = "",
    phone: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Appointment:
    """Book a place in the counter's slot at `starts_at`: by staff (hall.serve) for a resident of their scope or a
    named visitor, or by a resident for themself (hall.book_self, their own community). The counter's row is locked
    first, so two bookings of the last place are decided one after the other."""
    user = actor.user
    self_booking = user is not None and not user.has_role_perm("hall.serve") and user.has_role_perm("hall.book_self")
    if self_booking:
        if not user.resident_id:
            raise PermissionDenied("您的账号没有关联居民信息。")
        resident = user.resident
        if resident.community_id != counter.community_id:
            raise Http404(NOT_IN_SCOPE)
    else:
        require_community(actor, "hall.serve", counter.community_id)
        if resident is not None and user is not None:
            from linli.residents.models import Resident

            if not Resident.objects.restrict(user).filter(pk=resident.pk).exists():
                raise ValidationError({"resident": "找不到这位居民，或不在您的管辖范围内。"})
    counter = _lock_counter(counter.pk)
    if not counter.is_active:
        raise ValidationError({"counter": "这个窗口已停用。"})
    if matter.community_id != counter.community_id:
        raise ValidationError({"matter": "这个事项不属于本窗口所在社区。"})
    if counter.matters.exists() and not counter.matters.filter(pk=matter.pk).exists():
        raise ValidationError({"matter": f"{counter.name}不办理“{matter.name}”，请换一个窗口。"})
    if starts_at not in slot_starts(counter, timezone.localtime(starts_at).date()):
        raise ValidationError({"starts_at": "请选择窗口开放的预约时段。"})
    if starts_at <= (now or timezone.now()):
        raise ValidationError({"starts_at": "这个时段已经过去，请选择以后的时段。"})
    if resident is not None:
        name, phone = resident.name, phone or resident.phone
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "请填写预约人姓名。"})
    same = Appointment.objects.filter(counter=counter, starts_at=starts_at, status__in=TAKING)
    if resident is not None and same.filter(resident=resident).exists():
        raise ValidationError({"starts_at": f"{name}已预约了这个时段。"})
    if same.count() >= counter.slot_capacity:
        raise ValidationError({"starts_at": "这个时段已约满，请选择其他时段。"})
    appointment = Appointment(
        counter=counter,
        matter=matter,
        starts_at=starts_at,
        resident=resident,
        name=name[:64],
        phone=(phone or "").strip()[:24],
        note=(note or "").strip()[:200],
        booked_by=actor.account,
    )
    appointment.save()
    audit.record(appointment, ChangeAction.CREATE, None, audit.snapshot(appointment), actor)
    return appointment


@transaction.atomic
def set_appointment_status(appointment: Appointment, status: str, *, actor: Actor) -> Appointment:
    """已到 / 已办结 / 未到 / 已取消 at the counter (hall.serve); a resident may cancel their own booking."""
    user = actor.user
    own = user is not None and not user.has_role_perm("hall.serve")
    appointment = locked(Appointment, appointment.pk, actor, "book_self" if own else "serve")
    if own and status != AppointmentStatus.CANCELLED:
        raise PermissionDenied("您只能取消自己的预约。")
    if status not in APPOINTMENT_MOVES.get(appointment.status, ()):
        current = appointment.get_status_display()
        raise ValidationError(f"预约现在是“{current}”，不能改为“{AppointmentStatus(status).label}”。")
    before = audit.snapshot(appointment)
    appointment.status = status
    appointment.status_at = timezone.now()
    appointment.save(update_fields=["status", "status_at"])
    _change(appointment, before, actor)
    return appointment


# --------------------------------------------------------------------------- walk-in tickets


@transaction.atomic
def take_ticket(counter: Counter, *, actor: Actor, matter: ServiceMatter | None = None, now=None) -> Ticket:
    """The counter's next number of the day (A001, A002 …): the counter row is locked while the number is taken, so
    two people taking a number at once get two numbers, never the same one."""
    require_community(actor, "hall.serve", counter.community_id)
    counter = _lock_counter(counter.pk)
    if not counter.is_active:
        raise ValidationError("这个窗口已停用。")
    if matter is not None and matter.community_id != counter.community_id:
        raise ValidationError({"matter": "这个事项不属于本窗口所在社区。"})
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    number = counter.last_ticket_number + 1 if counter.last_ticket_on == day else 1
    Counter.objects.filter(pk=counter.pk).update(last_ticket_on=day, last_ticket_number=number)
    ticket = Ticket(counter=counter, day=day, number=number, matter=matter, taken_at=now)
    ticket.save()
    audit.record(ticket, ChangeAction.CREATE, None, audit.snapshot(ticket), actor)
    return ticket


@transaction.atomic
def call_next(counter: Counter, *, actor: Actor, now=None) -> Ticket | None:
    """叫号: the day's first waiting number of the counter becomes 已叫号; None when nobody waits. The number being
    served until now is finished as 已办结."""
    require_community(actor, "hall.serve", counter.community_id)
    counter = _lock_counter(counter.pk)
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    today = Ticket.objects.filter(counter=counter, day=day)
    for current in today.filter(status__in=(TicketStatus.CALLED, TicketStatus.SERVING)):
        _finish(current, TicketStatus.DONE, actor, now)
    ticket = today.filter(status=TicketStatus.WAITING).order_by("number").first()
    if ticket is None:
        return None
    before = audit.snapshot(ticket)
    ticket.status, ticket.called_at, ticket.served_by = TicketStatus.CALLED, now, actor.account
    ticket.save(update_fields=["status", "called_at", "served_by"])
    _change(ticket, before, actor)
    return ticket


def _finish(ticket: Ticket, status: str, actor: Actor, now) -> None:
    before = audit.snapshot(ticket)
    ticket.status = status
    if status in (TicketStatus.DONE, TicketStatus.SKIPPED):
        ticket.finished_at = now
    ticket.served_by = ticket.served_by or actor.account
    ticket.save(update_fields=["status", "finished_at", "served_by"])
    _change(ticket, before, actor)


@transaction.atomic
def set_ticket_status(ticket: Ticket, status: str, *, actor: Actor, now=None) -> Ticket:
    """办理中 / 已办结 / 过号 for a called number."""
    ticket = locked(Ticket, ticket.pk, actor, "serve")
    allowed = {
        TicketStatus.SERVING: (TicketStatus.CALLED,),
        TicketStatus.DONE: (TicketStatus.CALLED, TicketStatus.SERVING),
        TicketStatus.SKIPPED: (TicketStatus.WAITING, TicketStatus.CALLED),
    }
    if ticket.status not in allowed.get(status, ()):
        raise ValidationError(f"{ticket.label}现在是“{ticket.get_status_display()}”，不能改为这个状态。")
    _finish(ticket, status, actor, now or timezone.now())
    return ticket


def waiting_count(counter_ids, day) -> int:
    return Ticket.objects.filter(counter_id__in=counter_ids, day=day, status=TicketStatus.WAITING).count()


# --------------------------------------------------------------------------- 代办 / 帮办


def due_date(matter: ServiceMatter, accepted_on: datetime.date) -> datetime.date:
    """The errand's 办结期限: the matter's 承诺时限 in working days after acceptance (holidays and 调休 counted by
    linli.workdays); a matter done on the spot is due the same (or next) working day."""
    return add_workdays(accepted_on, matter.time_limit_days).due.date()


@transaction.atomic
def record_errand(
    *,
    resident,
    matter: ServiceMatter,
    actor: Actor,
    accepted_on: datetime.date | None = None,
    kind: str = "proxy",
    reason: str = "",
    materials_received: str = "",
) -> Errand:
    """受理一件代办/帮办 for a resident of the actor's scope (hall.errand: grid workers for their grid's residents)."""
    user = actor.user
    if user is not None:
        from linli.residents.models import Resident

        require_perm(user, "hall.errand")
        if not Resident.objects.restrict(user).filter(pk=resident.pk).exists():
            raise Http404(NOT_IN_SCOPE)
    if matter.community_id != resident.community_id:
        raise ValidationError({"matter": "请选择居民所在社区的办事事项。"})
    accepted_on = accepted_on or timezone.localdate()
    if accepted_on > timezone.localdate():
        raise ValidationError({"accepted_on": "受理日期不能晚于今天。"})
    errand = Errand(
        resident=resident,
        matter=matter,
        kind=kind,
        reason=(reason or "").strip()[:100],
        materials_received=(materials_received or "").strip(),
        accepted_on=accepted_on,
        due_on=due_date(matter, accepted_on),
        handled_by=actor.account,
    )
    full_clean(errand, exclude=["community", "street", "grid", "handled_by"])
    errand.save()
    ErrandEvent.objects.create(
        errand=errand, status=ErrandStatus.ACCEPTED, on=accepted_on, note="受理", by=actor.account
    )
    audit.record(errand, ChangeAction.CREATE, None, audit.snapshot(errand), actor)
    return errand


@transaction.atomic
def advance_errand(
    errand: Errand, *, status: str, actor: Actor, on: datetime.date | None = None, note: str = ""
) -> Errand:
    """A dated step: 办理中, 已提交上级, 已办结 (with the result), 已退回 (with the reason)."""
    errand = locked(Errand, errand.pk, actor, "errand")
    on = on or timezone.localdate()
    note = " ".join((note or "").split())[:200]
    if status not in ERRAND_MOVES.get(errand.status, ()):
        raise ValidationError(
            {"status": f"代办现在是“{errand.get_status_display()}”，不能改为“{ErrandStatus(status).label}”。"}
        )
    if on < errand.accepted_on:
        raise ValidationError({"on": "日期早于受理日期。"})
    if on > timezone.localdate():
        raise ValidationError({"on": "日期不能晚于今天。"})
    if status in (ErrandStatus.DONE, ErrandStatus.RETURNED) and not note:
        raise ValidationError({"note": "请写明办理结果或退回原因。"})
    before = audit.snapshot(errand)
    errand.status = status
    if status in (ErrandStatus.DONE, ErrandStatus.RETURNED):
        errand.finished_on, errand.result = on, note
    errand.save()
    ErrandEvent.objects.create(errand=errand, status=status, on=on, note=note, by=actor.account)
    _change(errand, before, actor)
    return errand


@transaction.atomic
def hand_back(errand: Errand, *, handed_to: str, actor: Actor, on: datetime.date | None = None) -> Errand:
    """The result (证件, 回执, the materials) handed back to the resident or a family member."""
    errand = locked(Errand, errand.pk, actor, "errand")
    handed_to = " ".join((handed_to or "").split())[:64]
    on = on or timezone.localdate()
    if errand.status not in (ErrandStatus.DONE, ErrandStatus.RETURNED):
        raise ValidationError("代办办结或退回后才能登记交还。")
    if errand.handed_on:
        raise ValidationError("已经登记过交还。")
    if not handed_to:
        raise ValidationError({"handed_to": "请写明结果交给了谁。"})
    if on < errand.finished_on or on > timezone.localdate():
        raise ValidationError({"on": "交还日期应在办结日期和今天之间。"})
    before = audit.snapshot(errand)
    errand.handed_to, errand.handed_on = handed_to, on
    errand.save(update_fields=["handed_to", "handed_on"])
    ErrandEvent.objects.create(
        errand=errand, status=errand.status, on=on, note=f"结果已交给{handed_to}", by=actor.account
    )
    _change(errand, before, actor)
    return errand
