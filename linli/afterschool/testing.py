"""四点半学校 fixtures on top of the `world` personas (linli.testing).

东一社区: 东一四点半学校 whose own staff is grid_worker_2 (a grid worker of grid 2: object level, no afterschool role
permission) — the secretary reads it by role; a term of today's weekday with one child, 王小宝 (9, of 王五's
household in building 2), enrolled and signed in today; her grandfather 王五 is an authorised guardian (from the
household), 王阿姨 a named, authorised one. 西一社区: 西一四点半学校 with 西一小孩. Names carry 西一 so that the scope
matrix notices a leak. Children live in grid 2, so that grid_worker_2's pages show no grid 1 resident.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.afterschool import services
from linli.afterschool.models import School, Term
from linli.testing import SYSTEM, make_resident


def years_ago(years: int, today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def make_school(community, name, *, staff=(), **fields) -> School:
    return services.save_school(School(community=community, name=name, **fields), actor=SYSTEM, staff=list(staff))


def make_term(school, *, capacity=20, **fields) -> Term:
    today = timezone.localdate()
    fields.setdefault("name", "本学期")
    fields.setdefault("starts_on", today - datetime.timedelta(days=30))
    fields.setdefault("ends_on", today + datetime.timedelta(days=60))
    fields.setdefault("weekdays", [0, 1, 2, 3, 4, 5, 6])
    return services.save_term(Term(school=school, capacity=capacity, **fields), actor=SYSTEM)


def make_child(building, name, *, room="301", seq=20, age=9, sex="F", **kwargs):
    kwargs.setdefault("relation", "grandchild")
    return make_resident(building, name, room=room, seq=seq, sex=sex, born=years_ago(age), phone="", **kwargs)


def today_session(term, topic="作业辅导"):
    today = timezone.localdate()
    existing = term.sessions.filter(date=today).first()
    return existing or services.add_sessions(term, actor=SYSTEM, first=today, last=today, topic=topic)[0]


def matrix_objects(world) -> dict:
    e1, w1 = world.communities["e1"], world.communities["w1"]
    schools = {
        "e1": make_school(e1, "东一四点半学校", staff=[world.users["grid_worker_2"]], room_name="党群服务中心三楼"),
        "w1": make_school(w1, "西一四点半学校", room_name="西一活动中心"),
    }
    terms = {key: make_term(school, name=f"{school.name[:2]}秋季学期") for key, school in schools.items()}
    children = {
        "e1": make_child(world.buildings["b2"], "王小宝", seq=21),
        "w1": make_child(world.buildings["b4"], "西一小孩", seq=22, room="101"),
    }
    enrolments = {key: services.enrol(terms[key], children[key], actor=SYSTEM) for key in schools}
    services.add_guardian(enrolments["e1"], actor=SYSTEM, name="王阿姨", phone="13911112222", relation="姑姑")
    sessions = {key: today_session(terms[key]) for key in schools}
    attendances = {key: services.sign_in(sessions[key], enrolments[key], actor=SYSTEM) for key in schools}
    guardians = {key: enrolments[key].guardians.order_by("id").first() for key in schools}
    return {
        "afterschool_schools": schools,
        "afterschool_terms": terms,
        "afterschool_sessions": sessions,
        "afterschool_enrolments": enrolments,
        "afterschool_guardians": guardians,
        "afterschool_attendances": attendances,
    }
