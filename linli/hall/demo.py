"""The demo's one-stop service hall (seed 004's 一站式便民服务大厅) in 青和居: the common matters of the 办事指南,
three counters with appointment slots, a month of appointments (the past ones 已办结, 未到 or 已取消, the coming
week's still 已预约), two weeks of walk-in tickets with today's queue, and 20 代办/帮办 for living-alone, disabled
and elderly residents in every state — some past their working-day deadline.

Deterministic from the demo's seed and day (demo.rng("hall"), querysets ordered before every draw); everything goes
through linli.hall.services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.core.audit import Actor
from linli.hall import services
from linli.hall.choices import AppointmentStatus, ErrandKind, ErrandStatus, TicketStatus
from linli.hall.defaults import install_default_matters
from linli.hall.models import Counter, ServiceMatter
from linli.residents.models import Resident

ACTOR_LABEL = "演示数据"  # linli.site.demo.ACTOR_LABEL: a reset removes the change records of this label

#: (counter, number letter, the matters it serves, places per 30-minute slot)
COUNTERS = (
    ("1号窗口 综合受理", "A", ("居住证明", "生育登记", "老年优待证", "高龄津贴申领"), 2),
    ("2号窗口 社保医保", "B", ("城乡居民医保参保登记", "养老保险资格认证协助", "就业登记/失业登记"), 2),
    ("3号窗口 民政残联", "C", ("残疾人证申领", "低保申请（转街道）"), 1),
)
CARE_TAGS = ("living_alone", "disabled", "elderly80", "empty_nest")
ERRAND_REASONS = ("独居老人行动不便", "残疾人出行困难", "高龄老人卧床", "子女在外地，老人不会用手机")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def build_hall(demo) -> dict:
    actor = Actor.cli(ACTOR_LABEL)
    rng = demo.rng("hall")
    community, today = demo.community, demo.today
    install_default_matters(community, actor=actor)
    matters = {m.name: m for m in ServiceMatter.objects.filter(community=community).order_by("sort", "pk")}
    counters = []
    for sort, (name, prefix, served, capacity) in enumerate(COUNTERS):
        counter = Counter(community=community, name=name, prefix=prefix, slot_capacity=capacity, sort=sort)
        counters.append(
            services.save_counter(counter, actor=actor, matters=[matters[n] for n in served if n in matters])
        )
    staff = demo.users.get("shequ")
    if staff is not None:
        for counter in counters:
            counter.staff.add(staff)
    people = list(Resident.objects.filter(community=community, status="active").order_by("pk")[:400])
    appointments = _appointments(rng, counters, people, today, actor)
    tickets = _tickets(rng, counters, today, actor)
    errands = _errands(rng, community, matters, today, actor)
    demo.log(
        f"       便民服务：{len(matters)}个办事事项 {len(counters)}个窗口 {appointments}个预约 "
        f"{tickets}个取号 {errands}件代办"
    )
    return {"matters": len(matters), "appointments": appointments, "tickets": tickets, "errands": errands}


def _days(today: datetime.date, back: int, ahead: int) -> list[datetime.date]:
    days = [today + datetime.timedelta(days=d) for d in range(-back, ahead + 1)]
    return [d for d in days if d.weekday() < 5]


def _appointments(rng, counters, people, today, actor) -> int:
    """A month back and a week ahead: two to five appointments a counter a day."""
    count = 0
    for day in _days(today, 30, 7):
        for counter in counters:
            served = list(counter.matters.order_by("sort", "pk"))
            slots = services.slot_starts(counter, day)
            for start in sorted(rng.sample(slots, rng.randint(2, 5))):
                person = rng.choice(people)
                appointment = services.book_appointment(
                    counter=counter,
                    matter=rng.choice(served),
                    starts_at=start,
                    resident=person,
                    actor=actor,
                    now=start - datetime.timedelta(days=2),
                )
                count += 1
                if day < today:
                    roll = rng.random()
                    status = (
                        AppointmentStatus.DONE
                        if roll < 0.75
                        else AppointmentStatus.NO_SHOW
                        if roll < 0.9
                        else AppointmentStatus.CANCELLED
                    )
                    services.set_appointment_status(appointment, status, actor=actor)
    return count


def _tickets(rng, counters, today, actor) -> int:
    """Two weeks of walk-in numbers, every one called and finished (a few 过号); today's queue still waiting."""
    count = 0
    for day in sorted(set(_days(today, 14, 0)) | {today}):  # a queue today even when the demo runs on a Sunday
        for counter in counters:
            n = rng.randint(3, 8) if day < today else 4
            first = at(day, 8, 40)
            for i in range(n):
                services.take_ticket(counter, actor=actor, now=first + datetime.timedelta(minutes=12 * i))
            count += n
            calls = n if day < today else 1
            for i in range(calls):
                called = services.call_next(counter, actor=actor, now=first + datetime.timedelta(minutes=15 * i + 5))
                if called is not None and day < today and rng.random() < 0.1:
                    services.set_ticket_status(called, TicketStatus.SKIPPED, actor=actor, now=called.called_at)
            if called is not None:
                called.refresh_from_db()
            if day < today and called is not None and called.status == TicketStatus.CALLED:
                services.set_ticket_status(called, TicketStatus.DONE, actor=actor, now=at(day, 11, 30))
    return count


def _errands(rng, community, matters, today, actor) -> int:
    """20 代办 for residents in care groups: done and handed back, returned, submitted to the street, in progress —
    and some open past their deadline (the overdue list)."""
    people = list(
        Resident.objects.filter(community=community, status="active", tags__code__in=CARE_TAGS)
        .distinct()
        .order_by("pk")[:200]
    )
    if not people:
        return 0
    choices = list(matters.values())
    plans = ["done"] * 7 + ["returned"] * 2 + ["submitted"] * 4 + ["progress"] * 3 + ["overdue"] * 4
    for i, plan in enumerate(plans):
        resident = rng.choice(people)
        matter = rng.choice(choices)
        back = 40 if plan == "overdue" else rng.randint(1, 30)
        if plan == "overdue" and matter.time_limit_days < 3:
            matter = matters["就业登记/失业登记"]
        accepted = today - datetime.timedelta(days=back)
        errand = services.record_errand(
            resident=resident,
            matter=matter,
            actor=actor,
            accepted_on=accepted,
            kind=ErrandKind.PROXY if i % 3 else ErrandKind.ASSIST,
            reason=rng.choice(ERRAND_REASONS),
            materials_received="\n".join(matter.material_list[:2]),
        )
        step = min(accepted + datetime.timedelta(days=1), today)
        if plan in ("progress", "submitted", "overdue", "done"):
            services.advance_errand(errand, status=ErrandStatus.IN_PROGRESS, actor=actor, on=step, note="材料已核对")
        if plan in ("submitted", "overdue") and matter.forwarded:
            services.advance_errand(errand, status=ErrandStatus.SUBMITTED, actor=actor, on=step, note="已报送街道")
        if plan == "done":
            finished = min(step + datetime.timedelta(days=2), today)
            services.advance_errand(errand, status=ErrandStatus.DONE, actor=actor, on=finished, note="已办好")
            services.hand_back(errand, handed_to=resident.name, actor=actor, on=finished)
        if plan == "returned":
            services.advance_errand(
                errand, status=ErrandStatus.RETURNED, actor=actor, on=step, note="材料不全，需补充收入证明"
            )
    return len(plans)


def demo_step(demo) -> None:
    """The demo step (shell.py)."""
    build_hall(demo)
