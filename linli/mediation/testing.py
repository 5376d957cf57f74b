"""Mediation fixtures on top of the `world` personas (linli.testing).

In 东一社区 (e1): mediator 唐调解 is the `volunteer` persona's account (a volunteer without area roles), 东一调解室;
case "e1" received by `staff`, mediated by 唐调解 (applicant 张三, respondent 王五); case "e1_ref" referred by
`grid_worker_1` (applicant 张三, no mediator); case "e1_settled" settled with a written agreement (signed scan)
and a follow-up due. 西一社区 (w1): its own mediator, room and a settled case of 孙七 (names carry 西一/孙七, so that
the scope matrix notices a leak).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile

from linli.core.audit import actor_of
from linli.mediation import services
from linli.mediation.choices import AgreementKind
from linli.mediation.models import FollowUp, MediationRoom, Mediator
from linli.testing import SYSTEM

PHONE = "13812345678"


@dataclass
class MediationWorld:
    world: object
    mediators: dict
    rooms: dict
    cases: dict
    follow_ups: dict

    def __getattr__(self, name):
        return getattr(self.world, name)

    def actor(self, username: str):
        return actor_of(self.world.users[username])


def pdf(name="协议.pdf") -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% test\n", name=name)


def build_mediation_world(world) -> MediationWorld:
    from linli.accounts.choices import Role
    from linli.accounts.models import User
    from linli.testing import make_user

    e1, w1 = world.communities["e1"], world.communities["w1"]
    if "w1_staff" not in world.users:
        world.users["w1_staff"] = User.objects.filter(username="w1_staff").first() or make_user(
            "w1_staff", Role.STAFF, w1
        )
    mediators = {
        "tang": services.save_mediator(
            Mediator(community=e1, name="唐调解", phone="13900002222", user=world.users["volunteer"]), actor=SYSTEM
        ),
        "li": services.save_mediator(Mediator(community=e1, name="李调解", kind="party_member"), actor=SYSTEM),
        "w1": services.save_mediator(Mediator(community=w1, name="西一调解员"), actor=SYSTEM),
    }
    rooms = {
        "e1": services.save_room(
            MediationRoom(community=e1, name="东一调解室"), actor=SYSTEM, members=[mediators["tang"]]
        ),
        "w1": services.save_room(
            MediationRoom(community=w1, name="西一调解室"), actor=SYSTEM, members=[mediators["w1"]]
        ),
    }
    zhang, wang, sun = (world.residents[k] for k in ("zhang", "wang", "sun"))
    cases = {
        "e1": services.open_case(
            actor=actor_of(world.users["staff"]),
            community=e1,
            case_type="leak",
            account="楼上漏水，楼下天花板发霉。",
            applicant_resident=zhang,
            applicant_phone=PHONE,
            respondent_resident=wang,
            mediators=[mediators["tang"]],
            room=rooms["e1"],
        ),
        "e1_ref": services.open_case(
            actor=actor_of(world.users["grid_worker_1"]),
            community=e1,
            case_type="family",
            account="家里老人和儿子争吵。",
            applicant_resident=zhang,
        ),
        "e1_settled": services.open_case(
            actor=actor_of(world.users["staff"]),
            community=e1,
            case_type="noise",
            account="楼上夜里跳绳。",
            applicant_name="钱女士",
            applicant_phone=PHONE,
            respondent_resident=wang,
            mediators=[mediators["tang"]],
        ),
        "w1": services.open_case(
            actor=SYSTEM,
            community=w1,
            case_type="noise",
            account="西一孙七家楼上夜里跳绳。",
            applicant_resident=sun,
            mediators=[mediators["w1"]],
        ),
    }
    today = datetime.date.today()
    for key in ("e1_settled", "w1"):
        agreement = services.settle(
            cases[key],
            actor=SYSTEM,
            kind=AgreementKind.WRITTEN,
            facts="楼上夜里跳绳。",
            terms="晚上十点后不再跳绳。",
            deadline=today + datetime.timedelta(days=10),
            follow_up_on=today,
        )
        services.attach_scan(agreement, actor=SYSTEM, scan=pdf())
    follow_ups = {key: FollowUp.objects.get(agreement__case=cases[key]) for key in ("e1_settled", "w1")}
    for case in cases.values():
        case.refresh_from_db()
    return MediationWorld(world=world, mediators=mediators, rooms=rooms, cases=cases, follow_ups=follow_ups)


def matrix_objects(world) -> dict:
    """The mediation world's objects for tests/test_scope_matrix.py (kind -> key -> object)."""
    from linli.deliberation.models import Matter

    mw = build_mediation_world(world)
    matters = {
        key: Matter.objects.create(community=world.communities[key], title=f"{name}楼道堆物引发争吵")
        for key, name in (("e1", "东一"), ("w1", "西一"))
    }
    return {
        "mediation_matters": matters,
        "mediation_cases": mw.cases,
        "mediators": mw.mediators,
        "mediation_rooms": mw.rooms,
        "mediation_follow_ups": mw.follow_ups,
    }
