"""Demo emergency contacts: the care-group residents of the demo logins' community get a child or a neighbour to call
(what the 走访提醒 page shows). Written in bulk like the rest of the generated history (no change records)."""

from __future__ import annotations

import random

from linli.core.phone import last4
from linli.residents.choices import ContactRelation
from linli.residents.models import EmergencyContact, Resident

GIVEN = ("建华", "丽娟", "小红", "志强", "海燕", "国庆", "晓明", "秀英", "伟", "敏", "静", "磊", "芳", "军")
NEIGHBOUR_NOTES = ("同楼邻居", "对门邻居", "楼长", "")
CHILD_NOTES = ("在外地工作，晚上打", "住在本区", "在武昌上班", "")


def _mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18")) + "".join(rng.choice("0123456789") for _ in range(9))


def build_demo_contacts(community, *, rng: random.Random, log=lambda line: None) -> int:
    """Contacts for the community's residents in interval-bearing care groups (独居, 空巢, ...)."""
    residents = (
        Resident.objects.filter(community=community, status="active", visit_interval_days__isnull=False)
        .order_by("pk")
        .values_list("pk", "name")
    )
    rows = []
    for pk, name in residents:
        surname = name[:1]
        phone = _mobile(rng)
        rows.append(
            EmergencyContact(
                resident_id=pk,
                name=surname + rng.choice(GIVEN),
                relation=ContactRelation.CHILD,
                phone=phone,
                phone_last4=last4(phone),
                note=rng.choice(CHILD_NOTES),
            )
        )
        if rng.random() < 0.4:
            phone = _mobile(rng)
            rows.append(
                EmergencyContact(
                    resident_id=pk,
                    name=rng.choice("王李张刘陈杨黄赵吴周") + rng.choice(GIVEN),
                    relation=ContactRelation.NEIGHBOUR,
                    phone=phone,
                    phone_last4=last4(phone),
                    note=rng.choice(NEIGHBOUR_NOTES),
                )
            )
    EmergencyContact.objects.bulk_create(rows, batch_size=2000)
    log(f"       {community.name}：紧急联系人{len(rows)}位")
    return len(rows)


def demo_step(demo) -> None:
    """The demo step (shell.py): contacts for the care groups of the community the demo logins work in."""
    build_demo_contacts(demo.community, rng=demo.rng("contacts"), log=demo.log)


def home_demo_step(demo) -> None:
    """Demo (居民端): grid 1's worker has a phone to call, and 家人帮忙: login `jiaren` (a younger resident of the
    same community) helps 陈奶奶, who agreed in person with `shequ` as the witness."""
    from linli.accounts.choices import Role
    from linli.accounts.models import User
    from linli.core.audit import actor_of
    from linli.residents import services_family
    from linli.residents.models import FamilyLink

    worker = demo.users.get("wangge1")
    if worker is not None and not worker.phone:
        worker.phone = "13871234567"
        worker.save(update_fields=["phone"])
    chen = demo.chen
    helper = (
        Resident.objects.filter(community=demo.community, status="active", birth_date__year__gte=1975)
        .exclude(household_id=chen.household_id)
        .order_by("pk")
        .first()
    )
    if helper is None:
        return
    User.objects.filter(username="jiaren").delete()
    User.objects.create(
        username="jiaren",
        role=Role.RESIDENT,
        full_name=helper.name,
        resident=helper,
        phone=helper.phone,
        password=demo.users["jumin"].password,  # the demo logins' password
        owner_street=demo.street,
        owner_community=demo.community,
    )
    FamilyLink.objects.filter(elder=chen).delete()
    services_family.record_in_person(
        helper, chen, relation=ContactRelation.CHILD, actor=actor_of(demo.users["shequ"]), witness_present=True
    )
    demo.log(f"       家人帮忙：jiaren（{helper.name}）帮{chen.name}查看通知和诉求（密码同上）")


#: The demo's registry history: most residents were entered when the register was first filled in, 13 months ago; the
#: others arrived (or were first registered) one by one since, so that the population trend moves.
FIRST_FILLED_DAYS = 395
LATER_SHARE = 0.12


def spread_registrations(community, *, rng: random.Random, today, log=lambda line: None) -> int:
    """Give the community's residents believable registration times (created_at) over the last 13 months: 88% on
    the day the register was first filled in, the others spread since — never after their first visit. Written in
    bulk, one UPDATE per day (the history is generated, like the visits, without change records)."""
    import datetime
    from collections import defaultdict

    from django.db.models import Min
    from django.utils import timezone

    from linli.visits.models import Visit

    tz = timezone.get_current_timezone()
    first_day = today - datetime.timedelta(days=FIRST_FILLED_DAYS)
    first_visit = dict(
        Visit.objects.filter(community=community)
        .values("resident_id")
        .annotate(d=Min("visited_on"))
        .values_list("resident_id", "d")
    )
    by_day: dict = defaultdict(list)
    for pk in Resident.objects.filter(community=community).order_by("pk").values_list("pk", flat=True):
        day = first_day
        if rng.random() < LATER_SHARE:
            day = first_day + datetime.timedelta(days=rng.randrange(1, FIRST_FILLED_DAYS))
        if pk in first_visit:
            day = min(day, first_visit[pk])
        by_day[day].append(pk)
    for day, ids in by_day.items():
        moment = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=tz) + datetime.timedelta(minutes=len(ids))
        Resident.objects.filter(pk__in=ids).update(created_at=moment)
    later = sum(len(ids) for day, ids in by_day.items() if day > first_day)
    log(f"       居民登记时间：{later}人在近一年陆续登记（其余为{first_day:%Y年%m月}首次建档）")
    return later


def history_demo_step(demo) -> None:
    """The demo step (shell.py): the registry's history, before the dashboards' rollups count it."""
    rng = demo.rng("registrations")
    for community in demo.communities:
        spread_registrations(community, rng=rng, today=demo.today, log=demo.log)
