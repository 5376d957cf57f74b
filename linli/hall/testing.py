"""便民服务 fixtures on top of the `world` personas (linli.testing).

东一社区: the default matters, 综合窗口 (A) with an appointment of 张三 (grid 1) on a Monday 09:00 one to two
weeks ahead, a walk-in ticket of today, an errand for 张三 (grid 1) and one for 王五 (grid 2).
西一社区: 西一居住证明, 西一综合窗口 with 孙七's appointment, ticket and errand. Names carry 西一 so that the
scope matrix notices a leak.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.hall import services
from linli.hall.defaults import install_default_matters
from linli.hall.models import Counter, ServiceMatter
from linli.testing import SYSTEM


def next_monday(weeks: int = 1) -> datetime.date:
    """A Monday `weeks` weeks or more ahead: appointments are only booked for slots still to come."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 * weeks - today.weekday())


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_counter(community, name="综合窗口", **fields) -> Counter:
    return services.save_counter(Counter(community=community, name=name, **fields), actor=SYSTEM)


def make_matter(community, name, **fields) -> ServiceMatter:
    return services.save_matter(ServiceMatter(community=community, name=name, **fields), actor=SYSTEM)


def matrix_objects(world) -> dict:
    e1, w1 = world.communities["e1"], world.communities["w1"]
    install_default_matters(e1, actor=SYSTEM)
    matters = {
        "e1": ServiceMatter.objects.get(community=e1, name="居住证明"),
        "w1": make_matter(w1, "西一居住证明", time_limit_days=1),
    }
    counters = {"e1": make_counter(e1), "w1": make_counter(w1, "西一综合窗口", prefix="W")}
    day = next_monday()
    zhang, wang, sun = world.residents["zhang"], world.residents["wang"], world.residents["sun"]
    appointments = {
        "e1": services.book_appointment(
            counter=counters["e1"], matter=matters["e1"], starts_at=at(day, 9), resident=zhang, actor=SYSTEM
        ),
        "w1": services.book_appointment(
            counter=counters["w1"], matter=matters["w1"], starts_at=at(day, 9), resident=sun, actor=SYSTEM
        ),
    }
    tickets = {key: services.take_ticket(counters[key], matter=matters[key], actor=SYSTEM) for key in ("e1", "w1")}
    accepted = timezone.localdate()
    errands = {
        "e1": services.record_errand(resident=zhang, matter=matters["e1"], actor=SYSTEM, accepted_on=accepted),
        "e1_g2": services.record_errand(resident=wang, matter=matters["e1"], actor=SYSTEM, accepted_on=accepted),
        "w1": services.record_errand(resident=sun, matter=matters["w1"], actor=SYSTEM, accepted_on=accepted),
    }
    return {
        "hall_matters": matters,
        "hall_counters": counters,
        "hall_appointments": appointments,
        "hall_tickets": tickets,
        "hall_errands": errands,
        "hall_codes": {"e1": e1.code, "w1": w1.code},
    }
