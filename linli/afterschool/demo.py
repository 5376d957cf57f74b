"""青和居's 四点半学校 (seed 003: where children wait after school, "人气爆棚"): one school in the service
centre (the places demo's 四点半学校 room when there is one), a term of 40 places around the demo's day, 45 children
of the registry aged 6–13 (留守儿童 first, so 5 wait), their household adults as guardians, the last week's
sessions with sign-ins and sign-outs (one override approved by the secretary 桂小妹, one late pick-up), today's
session with the children signed in, and three tutors of 妈妈帮帮团 whose hours reach the volunteer record and the
love bank.

Deterministic from the demo's day: children are taken in id order; everything goes through
linli.afterschool.services (as the demo's actor). The school's staff: 李晓燕 (shequ) and 刘志刚 (wangge2).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.afterschool import services
from linli.afterschool.choices import LEFT_BEHIND_TAG, Priority
from linli.afterschool.models import School, Term
from linli.core.audit import Actor
from linli.core.models import Source
from linli.lovebank.models import Transaction
from linli.places.models import Room

ACTOR_LABEL = "演示数据"  # linli.site.demo.ACTOR_LABEL: a reset removes the change records of this label
CHILDREN, CAPACITY = 45, 40


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _children(community, today):
    from linli.residents.choices import ResidentStatus
    from linli.residents.models import Resident, birth_date_cutoff

    kids = Resident.objects.filter(
        community=community,
        status=ResidentStatus.ACTIVE,
        birth_date__gt=birth_date_cutoff(14, today),
        birth_date__lte=birth_date_cutoff(6, today),
    ).order_by("id")
    left = list(kids.filter(tags__code=LEFT_BEHIND_TAG).order_by("id"))
    others = [k for k in kids.exclude(pk__in=[k.pk for k in left])[: CHILDREN * 2]]
    return (left + others)[:CHILDREN]


def demo_step(demo) -> None:
    actor = Actor(user=None, source=Source.CLI, label=ACTOR_LABEL)
    community, today = demo.community, demo.today
    # The places demo (run before this step) has the school's classroom.
    room = Room.objects.filter(community=community, name__contains="四点半").order_by("id").first()
    staff = [u for key, u in demo.users.items() if key in ("shequ", "wangge2")]
    school = services.save_school(
        School(
            community=community,
            name="青和居四点半学校",
            room=room,
            room_name="" if room else "党群服务中心三楼",
            head_teacher=demo.users.get("shequ"),
        ),  # fmt: skip
        actor=actor,
        staff=staff,
    )
    from linli.volunteers.models import Team

    team = Team.objects.filter(community=community, name="妈妈帮帮团").first()
    monday = today - datetime.timedelta(days=today.weekday())
    term = services.save_term(
        Term(
            school=school,
            name=f"{today.year}年四点半学校",
            starts_on=monday - datetime.timedelta(days=28),
            ends_on=monday + datetime.timedelta(days=90),
            capacity=CAPACITY,
            weekdays=[0, 1, 2, 3, 4],
            team=team,
        ),  # fmt: skip
        actor=actor,
    )
    enrolments = []
    for i, child in enumerate(_children(community, today)):
        priority = None if i % 3 else Priority.WORKING_PARENTS
        enrolments.append(services.enrol(term, child, actor=actor, priority=priority))
    enrolled = [e for e in enrolments if e.is_enrolled]
    for i, enrolment in enumerate(enrolled):
        if not enrolment.guardians.exists():  # no adult of the household in the registry: a parent named by phone
            services.add_guardian(enrolment, actor=actor, name=f"{enrolment.child.name[0]}女士",
                                  phone=f"1380716{i:04d}", relation="母亲")  # fmt: skip
    # A named aunt for the first child, authorised by the family with her ID checked.
    if enrolled:
        services.add_guardian(enrolled[0], actor=actor, name="周丽", phone="13807150001", relation="姑姑",
                              id_check="已核对身份证后四位")  # fmt: skip
    last_week = [monday - datetime.timedelta(days=7 - d) for d in range(5)]
    days = [d for d in last_week + [monday + datetime.timedelta(days=d) for d in range(5)] if d <= today]
    sessions = []
    for day in days:
        if day.weekday() < 5 and day >= term.starts_on:
            sessions += services.add_sessions(term, actor=actor, first=day, last=day, topic="作业辅导")
    secretary = demo.users.get("shuji")
    tutors = []
    if team is not None:
        from linli.volunteers.models import Volunteer

        tutors = list(Volunteer.objects.filter(memberships__team=team, is_active=True).order_by("id")[:3])
    for n, session in enumerate(sessions):
        past = session.date < today
        for k, enrolment in enumerate(enrolled):
            if (k + n) % 9 == 0:  # a few absent each day
                continue
            attendance = services.sign_in(session, enrolment, actor=actor, at=_at(session.date, 16, 35 + k % 20))
            if not past:
                continue
            guardians = [g for g in enrolment.guardians.all() if g.authorised and g.is_active]
            if n == 1 and k == 1 and secretary is not None:
                services.sign_out(attendance, actor=actor, at=_at(session.date, 18, 10), override={
                    "name": "王强", "phone": "13807150002", "relation": "舅舅", "approved_by": secretary,
                    "reason": "奶奶住院，妈妈电话确认由舅舅来接"})  # fmt: skip
            elif guardians:
                late = n == 2 and k == 2
                services.sign_out(attendance, actor=actor, guardian=guardians[0],
                                  at=_at(session.date, 19, 5) if late else _at(session.date, 17, 30)
                                  + datetime.timedelta(minutes=k % 55))  # fmt: skip
        for tutor in tutors[: 1 + n % 3]:
            services.schedule_tutor(session, tutor, actor=actor)
            if past:  # confirmed at the session's end, the points dated then (as the love bank demo dates its awards)
                served = services.record_tutor_hours(
                    session, tutor, actor=actor, at=_at(session.date, session.ends_at.hour, session.ends_at.minute)
                )
                Transaction.objects.filter(source_key=f"attendance:{served.pk}").update(created_at=served.confirmed_at)
    demo.log(f"       四点半学校：{len(enrolled)}名在读，{len(enrolments) - len(enrolled)}名候补，{len(sessions)}次课")
