"""Demo volunteering for the demo community (青和居): the five teams of the seeds, 200 members, 60 activities.

Seeds: "新长征" (party-member veterans: safety patrols) and "妈妈帮帮团" (women helping empty-nest elderly and
left-behind children) from seed 001, the youth team "江小团" (river patrols against drowning) from seed 002,
青和居's own "天天敲门组" (daily door-knocking on the elderly living alone) from seed 003, and a performers'
team for the 红歌会 and shows (seeds 002, 004). Seed 004's scale: five teams, 200 members, 60 activities.

Written in bulk (a few INSERTs), deterministic from `rng` and `today`. The demo login `zhiyuan` (夏谋阶,
志愿者/党员) is an outside volunteer who leads 新长征 and has served on its patrols. Generated history has no
change records, as the demo's visits.
"""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.utils import timezone

from linli.accounts.models import User
from linli.residents.models import Resident
from linli.volunteers.choices import ActivityKind, AttendanceMethod, AttendanceStatus, SignUpStatus
from linli.volunteers.hours import served_hours
from linli.volunteers.models import Activity, Attendance, SignUp, Team, TeamMembership, Volunteer

VOLUNTEER_LOGIN = "zhiyuan"
MEMBERS, ACTIVITIES, UPCOMING = 200, 60, 8

#: (name, description, sex or "", (min age, max age), activity kinds, (title, place) per kind)
TEAMS = (
    (
        "“新长征”志愿服务队",
        "由党员退役军人组成，开展安全巡逻、文明劝导，收集民情民意。",
        "M",
        (45, 75),
        {
            ActivityKind.PATROL: [
                ("夜间安全巡逻", "青和居各楼栋"),
                ("消防通道巡查", "1-19栋楼道"),
                ("文明劝导", "小区出入口"),
            ]
        },
    ),
    (
        "妈妈帮帮团",
        "社区女性志愿者：帮助空巢老人和留守儿童，制作爱心午餐、打扫卫生、义务缝补。",
        "F",
        (30, 70),
        {
            ActivityKind.CLEANING: [("楼道卫生大扫除", "5栋、6栋"), ("空巢老人家庭清洁", "老人家中")],
            ActivityKind.ELDERLY_VISIT: [("为留守儿童做爱心午餐", "社区食堂")],
        },
    ),
    (
        "“江小团”青年志愿服务队",
        "青年志愿者：关爱“一老一小”、防诈骗宣传、防溺水巡河。",
        "",
        (18, 35),
        {ActivityKind.RIVER_PATROL: [("防溺水巡河", "青山江滩")], ActivityKind.OTHER: [("防诈骗宣传", "社区广场")]},
    ),
    (
        "天天敲门组",
        "每天上门看望独居、空巢老人，有事及时报告网格员。",
        "",
        (40, 72),
        {ActivityKind.ELDERLY_VISIT: [("敲门探访独居老人", "第1-5网格"), ("陪老人理发、聊天", "日间照料室")]},
    ),
    (
        "文艺志愿者服务队",
        "红歌会、节日文艺演出、广场舞教学。",
        "",
        (25, 72),
        {ActivityKind.PERFORMANCE: [("红歌会", "社区广场"), ("重阳节文艺演出", "党群服务中心演播厅")]},
    ),
)
SKILLS = ("", "", "理发", "维修水电", "医护", "唱歌", "书法", "厨艺", "心理疏导", "摄影", "驾驶")
AVAILABILITY = ("周末上午", "周末全天", "工作日晚上", "工作日白天", "随时")


def _age(birth: datetime.date, today: datetime.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def build_demo_volunteers(community, *, rng: random.Random, today: datetime.date, log=lambda line: None):
    """Teams, members, activities with sign-ups and attendance for `community`; returns the activity count."""
    t0 = time.perf_counter()
    tz, now = timezone.get_current_timezone(), timezone.now()
    people = list(
        Resident.objects.filter(community=community, status="active", birth_date__isnull=False)
        .order_by("id")
        .values_list("id", "name", "sex", "birth_date")
    )
    rng.shuffle(people)
    used: set[int] = set()
    per_team = MEMBERS // len(TEAMS)
    teams, volunteers_by_team = [], []
    for name, description, sex, (low, high), _kinds in TEAMS:
        picked = []
        for pid, pname, psex, birth in people:
            if len(picked) == per_team:
                break
            if pid in used or (sex and psex != sex) or not low <= _age(birth, today) <= high:
                continue
            used.add(pid)
            picked.append((pid, pname))
        teams.append(Team(community=community, name=name, description=description))
        volunteers_by_team.append(picked)
    Team.objects.bulk_create(teams)
    joined = today - datetime.timedelta(days=365)
    rows = [
        Volunteer(
            community=community,
            resident_id=pid,
            name=pname,
            skills=rng.choice(SKILLS),
            availability=rng.choice(AVAILABILITY),
            joined_on=joined + datetime.timedelta(days=rng.randrange(200)),
        )
        for picked in volunteers_by_team
        for pid, pname in picked
    ]
    login = User.objects.filter(username=VOLUNTEER_LOGIN).first()
    xia = Volunteer(
        community=community,
        user=login,
        name=login.full_name if login else "夏谋阶",
        phone="13907181234",
        skills="退役军人，熟悉消防",
        availability="每天晚上",
        joined_on=joined,
    )
    Volunteer.objects.bulk_create([*rows, xia])
    members, i = [], 0
    team_volunteers = []
    for team, picked in zip(teams, volunteers_by_team):
        vs = rows[i : i + len(picked)]
        i += len(picked)
        team_volunteers.append(vs)
        members += [
            TeamMembership(team=team, volunteer=v, is_leader=k == 0, joined_on=v.joined_on) for k, v in enumerate(vs)
        ]
    members.append(TeamMembership(team=teams[0], volunteer=xia, is_leader=True, joined_on=joined))
    team_volunteers[0].append(xia)
    TeamMembership.objects.bulk_create(members)

    activities, plans = [], []
    for n in range(ACTIVITIES):
        t = n % len(TEAMS)
        kinds = TEAMS[t][4]
        kind = rng.choice(list(kinds))
        title, place = rng.choice(kinds[kind])
        upcoming = n >= ACTIVITIES - UPCOMING
        day = (
            today + datetime.timedelta(days=rng.randrange(1, 15))
            if upcoming
            else today - datetime.timedelta(days=rng.randrange(3, 182))
        )
        hour = 19 if kind == ActivityKind.PATROL else rng.choice((8, 9, 14, 15))
        start = datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=tz)
        length = rng.choice((1.5, 2, 2, 3))
        capacity = rng.choice((8, 10, 12, 15, 20))
        activities.append(
            Activity(
                community=community,
                team=teams[t],
                title=title,
                kind=kind,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=length),
                place=place,
                capacity=capacity,
                notice=f"{TEAMS[t][0]}招募{capacity}名志愿者：{title}。请准时到{place}集合，到场后扫描队长手机上的签到码。",
            )
        )
        plans.append((t, upcoming))
    Activity.objects.bulk_create(activities)

    signups, attendances = [], []
    for a, (t, upcoming) in zip(activities, plans):
        pool = team_volunteers[t]
        chosen = rng.sample(pool, min(len(pool), a.capacity - (rng.randrange(3) if upcoming else 0)))
        if t == 0 and xia not in chosen:
            chosen[-1] = xia  # the demo login leads every patrol
        for k, v in enumerate(chosen):
            signed = a.starts_at - datetime.timedelta(days=rng.randrange(1, 6), minutes=k)
            signed = min(signed, now - datetime.timedelta(hours=rng.randrange(1, 48), minutes=k))  # never ahead
            signups.append(SignUp(activity=a, volunteer=v, status=SignUpStatus.CONFIRMED, signed_up_at=signed))
            if upcoming or rng.random() < 0.1:
                continue  # 10% did not come
            if rng.random() < 0.8:
                cin = a.starts_at + datetime.timedelta(minutes=rng.randrange(-20, 15))
                cout = a.ends_at + datetime.timedelta(minutes=rng.randrange(-30, 20))
                hours, method = served_hours(cin, cout, a.starts_at, a.ends_at), AttendanceMethod.QR
            else:
                cin = cout = None
                hours, method = a.duration_hours, AttendanceMethod.LEADER
            attendances.append(
                Attendance(
                    activity=a,
                    volunteer=v,
                    status=AttendanceStatus.CONFIRMED,
                    method=method,
                    checked_in_at=cin,
                    checked_out_at=cout,
                    hours=hours,
                    confirmed_at=cout or a.ends_at,
                )
            )
    SignUp.objects.bulk_create(signups)
    Attendance.objects.bulk_create(attendances)
    total = sum((a.hours for a in attendances), Decimal("0"))
    log(
        f"       志愿服务：{len(teams)}支服务队 {len(rows) + 1}名志愿者 {len(activities)}次活动 "
        f"{len(attendances)}人次 {total:.0f}小时（{time.perf_counter() - t0:.1f}秒）"
    )
    return len(activities)


def demo_step(demo) -> None:
    """The demo step (shell.py): volunteering in the community the demo logins work in (linli.site.demo.Demo)."""
    build_demo_volunteers(demo.community, rng=demo.rng("volunteers"), today=demo.today, log=demo.log)
