"""Demo emergency contacts: the care-group residents of the demo logins' community get a child or a neighbour to call
(what the 走访提醒 page shows). Written in bulk like the rest of the generated history (no change records)."""

from __future__ import annotations

import datetime
import random

from linli.core.phone import last4
from linli.residents.choices import ContactRelation, Relation, ResidenceType
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


#: Departures (迁出) per community over the last year: former tenant households that gave their room back (the room
#: is vacant now) and grown children who moved away from their parents' home — about 1.4% of the registry, none of
#: them in a care group (the care-group figures of the article stay those of the active residents).
DEPARTED_HOUSEHOLDS = 30
DEPARTED_CHILDREN = 40
DEPARTURE_DAYS = 365
MOVE_NOTES = ("租期届满退租", "购房搬离", "工作调动，迁往外地", "迁往洪山区", "随子女居住", "迁往武昌区")
LEAVER_NOTES = ("外出务工", "婚后迁出", "在外地工作", "购房搬离", "迁往江岸区")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏"
#: Given names by sex, split on spaces.
GIVEN_NAMES = {
    "M": "伟 强 磊 军 勇 杰 涛 斌 超 明 浩 鹏 志刚 建国 海波 俊杰 子豪".split(),
    "F": "芳 敏 静 丽 艳 娟 霞 婷 雪 琳 晶 慧 丽娟 晓燕 雅琴 梓涵 欣怡".split(),
}
#: Where the departed were registered from (户籍地), as the ID number's district says.
HOME_DISTRICTS = (("420107", "湖北省武汉市青山区"), ("420106", "湖北省武汉市武昌区"), ("420111", "湖北省武汉市洪山区"))


class _Departures:
    """Plans one community's departed residents (no database): who, in which household, registered and left when."""

    def __init__(self, rng: random.Random, today):
        self.rng, self.today = rng, today
        self.people: list[dict] = []

    def person(self, household, *, relation: str, born_year: int, surname: str = "", **when) -> dict:
        rng = self.rng
        sex = rng.choice("MF")
        age = self.today.year - born_year
        phone = _mobile(rng) if age >= 18 else ""
        p = {
            "household": household,
            "name": (surname or rng.choice(SURNAMES)) + rng.choice(GIVEN_NAMES[sex]),
            "sex": sex,
            "birth": datetime.date(born_year, rng.randint(1, 12), rng.randint(1, 28)),
            "relation": relation,
            "phone": phone,
            "district": rng.choice(HOME_DISTRICTS),
            "residence_type": ResidenceType.TENANT,
            **when,
        }
        self.people.append(p)
        return p

    def dates(self, first_day):
        """(registered on, left on): left within the last year; registered at the first filling (most) or later."""
        rng = self.rng
        left = self.today - datetime.timedelta(days=rng.randrange(1, DEPARTURE_DAYS))
        registered = first_day
        if rng.random() < LATER_SHARE and (left - first_day).days > 30:
            registered = first_day + datetime.timedelta(days=rng.randrange(1, (left - first_day).days - 29))
        return {"registered": registered, "left": left}

    def former_household(self, room, first_day) -> None:
        """A tenant family that gave the room back: a head of 25 to 55, a spouse (most), children (some); one day."""
        rng, year = self.rng, self.today.year
        when = self.dates(first_day)
        note = rng.choice(MOVE_NOTES)
        head_year = year - rng.randint(25, 55)
        head = self.person(room, relation=Relation.HEAD, born_year=head_year, note=note, **when)
        couple = [head_year]
        if rng.random() < 0.7:
            spouse_year = min(max(head_year + rng.randint(-3, 3), year - 58), year - 22)
            couple.append(spouse_year)
            self.person(room, relation=Relation.SPOUSE, born_year=spouse_year, note=note, **when)
        for _ in range(rng.choice((0, 1, 1, 2))):
            if max(couple) + 20 < year - 1:
                child_year = rng.randint(max(couple) + 20, year - 1)
                self.person(
                    room, relation=Relation.CHILD, born_year=child_year, surname=head["name"][0], note=note, **when
                )

    def grown_child(self, household_id, couple_years, surname, residence_type, first_day) -> None:
        """A son or daughter of 18 or more who moved out of the parents' home (the parents stay)."""
        low, high = max(max(couple_years) + 20, self.today.year - 58), self.today.year - 18
        self.person(
            household_id,
            relation=Relation.CHILD,
            born_year=self.rng.randint(low, high),
            surname=surname,
            note=self.rng.choice(LEAVER_NOTES),
            residence_type=residence_type,
            **self.dates(first_day),
        )


def add_departures(
    community, *, rng: random.Random, today, actor, taken: set[str], log=lambda line: None
) -> list[Resident]:
    """Former residents of `community` who moved out (迁出) over the last year, in the registry as staff leave them:
    registered (in bulk with their creation records, like the rest of the generated registry) and then marked moved
    out one by one through residents.services.mark_resident_left by `actor`, each with its change record. The
    records are dated when it happened (registration, departure), as if entered on the day. `taken`: the ID numbers
    given so far in this run (each departed resident gets one of their own)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from linli.areas.models import Household
    from linli.core import audit
    from linli.core.models import ChangeAction, ChangeRecord
    from linli.residents import services
    from linli.residents.choices import ResidentStatus
    from linli.residents.idcard import make_id_number
    from linli.residents.models import Tag
    from linli.residents.search import name_keys

    first_day = today - datetime.timedelta(days=FIRST_FILLED_DAYS)
    plan = _Departures(rng, today)
    vacant = list(
        Household.objects.filter(building__community=community, residents__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for room in rng.sample(vacant, min(DEPARTED_HOUSEHOLDS, len(vacant))):
        plan.former_household(room, first_day)
    # Parents of 38 to 59 (head and spouse): a grown child of theirs may have left; none of the care groups' homes.
    couples: dict[int, list] = {}
    heads: dict[int, tuple] = {}
    for household_id, relation, birth, name, residence_type in (
        Resident.objects.filter(community=community, relation__in=(Relation.HEAD, Relation.SPOUSE))
        .order_by("household_id", "pk")
        .values_list("household_id", "relation", "birth_date", "name", "residence_type")
    ):
        couples.setdefault(household_id, []).append(birth.year)
        if relation == Relation.HEAD:
            heads[household_id] = (name[0], residence_type)
    oldest, youngest = today.year - 59, today.year - 38
    parents = [h for h, years in couples.items() if h in heads and all(oldest <= y <= youngest for y in years)]
    for household_id in rng.sample(parents, min(DEPARTED_CHILDREN, len(parents))):
        plan.grown_child(household_id, couples[household_id], *heads[household_id], first_day)

    homes = Household.objects.select_related("building__community").in_bulk({p["household"] for p in plan.people})
    no_tags = Tag.objects.none()
    registered = set(Resident.objects.filter(community=community).values_list("id_hash", flat=True))
    residents = []
    for p in plan.people:
        r = Resident(
            name=p["name"],
            relation=p["relation"],
            residence_type=p["residence_type"],
            status=ResidentStatus.ACTIVE,
            hukou_place=p["district"][1],
        )
        services.place(r, homes[p["household"]])
        # Sequences from 99 down (the registry's own count up from 0 per district, birthday and sex), never one
        # the community's registry or this run holds already.
        for sequence in range(99, -1, -1):
            number = make_id_number(p["district"][0], p["birth"], sequence, p["sex"])
            services.apply_id_number(r, number)
            if number not in taken and r.id_hash not in registered:
                break
        taken.add(number)
        services.apply_phone(r, p["phone"])
        r.name_pinyin, r.name_initials = name_keys(r.name)
        residents.append(r)
    kept = list(zip(residents, plan.people))
    created = Resident.objects.bulk_create(residents)
    ct = ContentType.objects.get_for_model(Resident)
    for r in created:  # new rows: no tags (the snapshot of each would read them)
        r._prefetched_objects_cache = {"tags": no_tags}
    created_records = audit.record_created(created, actor)
    for r in created:
        del r._prefetched_objects_cache

    tz, now = timezone.get_current_timezone(), timezone.now()

    def moment(day, minutes):
        at = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=tz) + datetime.timedelta(minutes=minutes)
        return min(at, now)

    by_day: dict = {}
    for (r, p), record in zip(kept, created_records):
        by_day.setdefault(p["registered"], ([], []))
        by_day[p["registered"]][0].append(r.pk)
        by_day[p["registered"]][1].append(record.pk)
    for day, (ids, record_ids) in by_day.items():
        Resident.objects.filter(pk__in=ids).update(created_at=moment(day, 0))
        ChangeRecord.objects.filter(pk__in=record_ids).update(at=moment(day, 0))
    for r, p in sorted(kept, key=lambda rp: (rp[1]["left"], rp[0].pk)):
        services.mark_resident_left(
            r, status=ResidentStatus.MOVED_OUT, date=p["left"], note=p["note"], actor=actor, today=today
        )
        # Entered a day or two after they left, in office hours.
        entered = moment(min(p["left"] + datetime.timedelta(days=rng.randrange(0, 3)), today), rng.randrange(0, 480))
        Resident.objects.filter(pk=r.pk).update(updated_at=entered)
        ChangeRecord.objects.filter(content_type=ct, object_id=r.pk, action=ChangeAction.UPDATE).update(at=entered)
    households = len({p["household"] for _r, p in kept if p["relation"] == Relation.HEAD})
    log(f"       迁出：{len(kept)}人（{households}户整户退租，其余为子女外出），均在近一年内，已标记为已迁出")
    return residents


def history_demo_step(demo) -> None:
    """The demo step (shell.py): the registry's history, before the dashboards' rollups count it — registration
    times, then the residents who moved out (迁出) during the year: the figures of active residents stay the
    article's (8,234 in 青和居)."""
    from linli.core.audit import Actor, actor_of

    rng = demo.rng("registrations")
    for community in demo.communities:
        spread_registrations(community, rng=rng, today=demo.today, log=demo.log)
    departures, taken = demo.rng("departures"), set()
    staff = demo.users.get("shequ")
    for community in demo.communities:
        # 青和居's departures are marked by its staff login (李晓燕); the generated communities' by the demo command.
        actor = actor_of(staff) if staff is not None and community == demo.community else Actor.cli("演示数据")
        add_departures(community, rng=departures, today=demo.today, actor=actor, taken=taken, log=demo.log)
