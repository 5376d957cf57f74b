"""Demo function rooms for 青和居 (seed 003: twelve rooms at the party-and-people service centre, "人气爆棚") and a
term of bookings: the 秧歌队 every weekday morning, the 书法班 every Tuesday afternoon, the 四点半学校 every weekday
after school, the 棋牌队, the 文艺志愿者服务队's choir, single bookings, a pending one, attendance and a few
no-shows, and a closure of the library for its stock-taking.

Deterministic: dates are relative to the demo's day (`demo.today`): the term began six weeks before it and runs ten
weeks after; the services are given that term's start as "now" while booking, and the demo's day while recording
attendance. Bookings go through linli.places.services / series (their rule checks and change records); the rooms
are written directly (the room pages' service is the timetable part's).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.core.audit import actor_of
from linli.places import services
from linli.places.choices import BookerKind, BookingStatus, RoomKind
from linli.places.models import Booking, Room
from linli.places.series import EVERY_WEEKDAY, create_series, plan_series

WORKDAYS = [0, 1, 2, 3, 4]
ALL = list(BookerKind.values)
GROUPS = [BookerKind.ORGANISATION, BookerKind.TEAM, BookerKind.STAFF]

#: (name, kind, capacity, equipment, location, opens, closes, open days, bookable by, needs approval)
ROOMS = (
    ("图书室", RoomKind.READING, 30, "图书3000余册、阅览桌8张", "一楼东侧", "08:30", "20:30", None, ALL, False),
    ("书法室", RoomKind.ACTIVITY, 20, "书画桌12张、毛笔字帖、展示墙", "二楼东侧", "08:30", "20:30", None, ALL, False),
    ("棋牌室", RoomKind.SPORTS, 24, "象棋6副、围棋4副、麻将桌4张", "一楼西侧", "08:30", "20:30", None, ALL, False),
    ("四点半学校教室", RoomKind.CLASSROOM, 40, "课桌椅40套、白板、图书角", "二楼西侧", "08:30", "19:00", WORKDAYS,
     GROUPS, False),
    ("多功能厅", RoomKind.HALL, 120, "舞台、音响、投影仪、座椅120把", "三楼", "08:30", "21:00", None, GROUPS, True),
    ("舞蹈室", RoomKind.ACTIVITY, 30, "镜墙、把杆、音响", "三楼东侧", "07:00", "21:00", None, ALL, False),
    ("乒乓球室", RoomKind.SPORTS, 16, "乒乓球台4张", "负一楼", "08:30", "20:30", None, ALL, False),
    ("会议室", RoomKind.MEETING, 20, "会议桌、投影仪", "二楼中间", "08:30", "18:00", WORKDAYS, GROUPS, True),
    ("心理咨询室", RoomKind.OTHER, 4, "沙盘、沙发", "二楼尽头", "09:00", "17:00", WORKDAYS, [BookerKind.STAFF], True),
    ("党员活动室", RoomKind.MEETING, 40, "党旗、投影仪、学习资料", "三楼西侧", "08:30", "20:30", None, GROUPS, False),
    ("日间照料室", RoomKind.CARE, 25, "午休床10张、理疗仪、血压计", "一楼南侧", "08:00", "18:00", None, GROUPS, False),
    ("手工室", RoomKind.ACTIVITY, 15, "手工桌4张、缝纫机2台、材料柜", "二楼南侧", "08:30", "20:30", None, ALL, False),
)  # fmt: skip

#: (room, purpose, booker kind, booker name or team name, weekdays, start, end, expected attendance)
SERIES = (
    ("舞蹈室", "秧歌队晨练", BookerKind.ORGANISATION, "青和居秧歌队", EVERY_WEEKDAY, "08:00", "09:30", 24),
    ("书法室", "书法班", BookerKind.ORGANISATION, "老年书法班", (1,), "14:00", "16:00", 16),
    ("四点半学校教室", "课后托管", BookerKind.STAFF, "青和居四点半学校", EVERY_WEEKDAY, "16:30", "18:30", 38),
    ("棋牌室", "棋牌队活动", BookerKind.ORGANISATION, "青和居棋牌队", (0, 2, 4), "14:00", "17:00", 18),
    ("多功能厅", "合唱团排练", BookerKind.TEAM, "文艺志愿者服务队", (3,), "09:00", "11:00", 40),
    ("乒乓球室", "乒乓球队训练", BookerKind.ORGANISATION, "青和居乒乓球队", (1, 3), "15:00", "17:00", 12),
    ("手工室", "妈妈帮帮团手工缝补", BookerKind.TEAM, "妈妈帮帮团", (5,), "09:00", "11:00", 10),
)  # fmt: skip


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _at(day: datetime.date, text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, _time(text)))


def build_rooms(community) -> dict[str, Room]:
    rooms = {}
    for sort, (name, kind, capacity, equipment, location, opens, closes, days, who, approval) in enumerate(ROOMS):
        rooms[name], _ = Room.objects.get_or_create(
            community=community,
            name=name,
            defaults=dict(
                kind=kind,
                capacity=capacity,
                equipment=equipment,
                location=f"党群服务中心{location}",
                opens_at=_time(opens),
                closes_at=_time(closes),
                open_days=list(days) if days else [0, 1, 2, 3, 4, 5, 6],
                bookable_by=[str(k) for k in who],
                needs_approval=approval,
                sort=sort,
            ),
        )
    return rooms


def build_places(demo) -> dict:
    from linli.volunteers.models import Team

    community, rng, today = demo.community, demo.rng("places"), demo.today
    rooms = build_rooms(community)
    staff = actor_of(demo.users["shequ"])
    term_start = today - datetime.timedelta(days=today.weekday() + 42)  # a Monday six weeks back
    term_end = term_start + datetime.timedelta(weeks=16, days=-1)
    booking_now = _at(term_start - datetime.timedelta(days=1), "12:00")
    teams = {t.name: t for t in Team.objects.filter(community=community).order_by("pk")}

    # One single booking is made first, so that the 书法班 series meets it and skips that Tuesday (agreed).
    services.book(
        rooms["书法室"],
        actor=staff,
        starts_at=_at(term_start + datetime.timedelta(days=15), "13:30"),
        ends_at=_at(term_start + datetime.timedelta(days=15), "15:00"),
        purpose="重阳节书画展布展",
        expected_attendance=8,
        booker_kind=BookerKind.STAFF,
        booker_name="青和居社区居委会",
        now=booking_now,
    )
    made = 0
    for room, purpose, kind, name, weekdays, start, end, expected in SERIES:
        team = teams.get(name) if kind == BookerKind.TEAM else None
        if kind == BookerKind.TEAM and team is None:
            kind = BookerKind.ORGANISATION
        plan = plan_series(
            rooms[room],
            actor=staff,
            weekdays=weekdays,
            first_date=term_start,
            until=term_end,
            start_time=_time(start),
            end_time=_time(end),
            purpose=purpose,
            expected_attendance=expected,
            booker_kind=kind,
            booker_name=name,
            contact_phone=f"139{rng.randrange(10**7, 10**8)}",
            team=team,
            now=booking_now,
        )
        series = create_series(plan, actor=staff, skip_clashes=True, now=booking_now)
        made += len(series.made)

    singles = (
        ("会议室", 3, "09:00", "11:00", "楼栋议事会：5栋加装电梯", BookerKind.STAFF, "青和居社区居委会", 18),
        ("党员活动室", 10, "09:00", "11:30", "主题党日", BookerKind.STAFF, "青和居社区党委", 35),
        ("心理咨询室", 17, "14:00", "15:00", "心理疏导（预约个案）", BookerKind.STAFF, "社工站", 2),
        ("日间照料室", 24, "09:30", "11:00", "老年人健康讲座", BookerKind.ORGANISATION, "社区卫生服务站", 20),
        ("多功能厅", 38, "19:00", "21:00", "广场舞比赛彩排", BookerKind.ORGANISATION, "青和居广场舞队", 60),
        ("会议室", 45, "14:00", "16:00", "物业、业委会联席会", BookerKind.ORGANISATION, "青和居业委会", 12),
        ("图书室", 51, "09:00", "11:00", "亲子阅读会", BookerKind.ORGANISATION, "青和居读书会", 20),
        ("图书室", 51, "14:00", "16:00", "老年人智能手机课", BookerKind.TEAM, "“江小团”青年志愿服务队", 15),
    )
    for room, offset, start, end, purpose, kind, name, expected in singles:
        day = term_start + datetime.timedelta(days=offset)
        team = teams.get(name) if kind == BookerKind.TEAM else None
        services.book(
            rooms[room],
            actor=staff,
            starts_at=_at(day, start),
            ends_at=_at(day, end),
            purpose=purpose,
            expected_attendance=expected,
            booker_kind=kind if (team or kind != BookerKind.TEAM) else BookerKind.ORGANISATION,
            booker_name=name,
            team=team,
            now=booking_now,
        )
        made += 1

    # 陈奶奶 (the resident login) books the 手工室 for herself, and asks for the 多功能厅 (pending approval).
    chen = actor_of(demo.users["jumin"])
    soon = today + datetime.timedelta(days=3)
    services.book(
        rooms["手工室"],
        actor=chen,
        starts_at=_at(soon, "14:00"),
        ends_at=_at(soon, "16:00"),
        purpose="和邻居一起做香包",
        expected_attendance=6,
        booker_kind=BookerKind.RESIDENT,
        now=booking_now,
    )
    later = today + datetime.timedelta(days=9)
    services.book(  # a grid worker books for the 老年大学: the 多功能厅 needs approval, so it waits (待审核)
        rooms["多功能厅"],
        actor=actor_of(demo.users["wangge1"]),
        starts_at=_at(later, "14:00"),
        ends_at=_at(later, "16:00"),
        purpose="老年大学结业汇报演出",
        expected_attendance=80,
        booker_kind=BookerKind.ORGANISATION,
        booker_name="老年大学青和居教学点",
        now=booking_now,
    )
    made += 2

    # The library closes for stock-taking on the day of the two singles above (everyone told).
    closure_day = term_start + datetime.timedelta(days=51)  # at least three days after the demo's day
    closed = services.close_room_for_day(
        rooms["图书室"], closure_day, actor=staff, reason="图书盘点，暂停开放一天", now=booking_now
    )

    # Attendance for what has happened: most came, a few did not (爽约).
    now = _at(today, "08:00")
    past = Booking.objects.filter(
        room__community=community, status=BookingStatus.CONFIRMED, starts_at__lt=now
    ).select_related("room")
    used = no_shows = 0
    for booking in past.order_by("starts_at", "id"):
        if rng.random() < 0.05:
            services.record_use(booking, actor=staff, attendance=None, no_show=True, now=now)
            no_shows += 1
        else:
            share = rng.uniform(0.6, 1.05)
            attendance = max(1, min(booking.room.capacity, round(booking.expected_attendance * share)))
            services.record_use(booking, actor=staff, attendance=attendance, no_show=False, now=now)
        used += 1
    return {"rooms": len(rooms), "bookings": made, "used": used, "no_shows": no_shows, "closed": len(closed.bookings)}


def demo_step(demo) -> None:
    """The demo step (shell.py)."""
    import time

    started = time.perf_counter()
    done = build_places(demo)
    demo.log(
        f"       功能室：{done['rooms']}间，预约{done['bookings']}次（登记使用{done['used']}次，"
        f"爽约{done['no_shows']}次，闭馆取消{done['closed']}次）（{time.perf_counter() - started:.1f}秒）"
    )
