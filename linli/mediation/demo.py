"""Demo mediation for 青和居 (its demo step: shell.py).

Seeds 001 and 003: the “唐太富调解室” settles neighbours' quarrels as 党员+邻居, the “顺顺吧” hears someone every
day. Here: six mediators (the demo login `zhiyuan` among them, as a volunteer mediator), the two rooms, fifteen
cases of every type and outcome taken through linli.mediation.services and then dated over the last weeks, two
written agreements (one followed up and performed, one whose follow-up is due) and the 顺顺吧's log for every
working day of the last month (bulk-created). Deterministic from `rng` and `today`.
"""

from __future__ import annotations

import datetime

from linli.core.audit import Actor
from linli.mediation import services
from linli.mediation.choices import (
    AgreementKind,
    FollowUpResult,
    MediatorKind,
    ReceptionHandling,
    Referral,
)
from linli.mediation.models import Case, FollowUp, MediationRoom, Mediator, Reception
from linli.residents.models import Resident
from linli.workdays.calendar import is_workday

DEMO = Actor.cli("演示数据")

#: (name, kind, phone, demo login)
MEDIATORS = (
    ("唐太富", MediatorKind.PEOPLE, "13907141001", ""),
    ("李淑芬", MediatorKind.PARTY_MEMBER, "13907141002", ""),
    ("张国平", MediatorKind.BUILDING_CAPTAIN, "13907141003", ""),
    ("王秀兰", MediatorKind.PEOPLE, "13907141004", ""),
    ("夏谋阶", MediatorKind.VOLUNTEER, "13907140001", "zhiyuan"),
    ("刘德明", MediatorKind.PARTY_MEMBER, "13907141006", ""),
)

#: (type, days ago received, outcome, mediators (indexes), account, terms)
CASES = (
    (
        "leak",
        40,
        "written_performed",
        (0, 2),
        "楼上卫生间漏水，楼下天花板发霉，双方多次争吵。",
        "楼上住户于十日内请人修复防水层，并承担楼下天花板粉刷费用八百元。",
    ),
    (
        "noise",
        25,
        "written_due",
        (0, 1),
        "楼上住户夜间跳绳、拖动桌椅，楼下老人无法休息。",
        "楼上住户晚上十点后不再跳绳，桌椅加装防滑垫；双方互留电话，有事先沟通。",
    ),
    ("neighbour", 35, "oral", (1,), "两户因楼道堆放杂物发生口角。", "双方同意三日内清理楼道杂物。"),
    ("family", 30, "oral", (3,), "老人与儿子因赡养费用争执。", "儿子每月按时给付赡养费，每周回家看望一次。"),
    ("property", 28, "failed_litigation", (0,), "业主与物业因停车费标准争执。", ""),
    ("obstruction", 20, "oral", (2, 5), "一楼住户在门前搭棚占用消防通道。", "一楼住户一周内拆除雨棚，恢复通道。"),
    ("marriage", 18, "failed_litigation", (3,), "夫妻感情不和，一方要求离婚，财产分割意见不一。", ""),
    ("noise", 15, "withdrawn", (1,), "楼下商户音响声音过大。", ""),
    ("leak", 6, "mediating_scheduled", (0, 2), "空调冷凝水滴落到楼下阳台。", ""),
    ("neighbour", 8, "mediating", (4,), "两户因宠物狗在楼道便溺发生争执。", ""),
    ("other", 2, "received", (), "居民反映邻居在公共区域私拉电线充电。", ""),
    ("family", 3, "referred", (), "网格员走访发现一户家庭长期争吵，老人希望调解。", ""),
    ("obstruction", 10, "mediating", (4, 5), "电动车停放占用单元门口，影响老人出入。", ""),
    ("property", 22, "failed_arbitration", (5,), "租户与房东因押金退还发生纠纷。", ""),
    ("neighbour", 45, "oral_reopened", (1, 2), "楼上花盆摆放在窗台外，邻居担心高空坠物。", "楼上住户当天搬回花盆。"),
)


def _residents(demo):
    return list(
        Resident.objects.filter(community=demo.community, status="active")
        .select_related("household__building")
        .order_by("pk")[:400]
    )


def demo_step(demo) -> None:
    rng = demo.rng("mediation")
    today = demo.today
    community = demo.community
    users = demo.users
    mediators = []
    for name, kind, phone, login in MEDIATORS:
        mediators.append(
            services.save_mediator(
                Mediator(
                    community=community, name=name, kind=kind, phone=phone, user=users.get(login) if login else None
                ),
                actor=DEMO,
            )
        )
    tang = services.save_room(
        MediationRoom(
            community=community,
            name="唐太富调解室",
            description="“党员+邻居”调解：老党员唐太富牵头，邻里纠纷就近化解。",
        ),
        actor=DEMO,
        members=mediators[:3] + [mediators[5]],
    )
    shunshun = services.save_room(
        MediationRoom(community=community, name="顺顺吧", description="每天有人值守，倾听疏导，小事不出社区。"),
        actor=DEMO,
        members=[mediators[3], mediators[4]],
    )
    residents = _residents(demo)
    staff, grid_worker = users.get("shequ"), users.get("wangge1")
    for n, (case_type, days, outcome, who, account, terms) in enumerate(CASES):
        received = today - datetime.timedelta(days=days)
        applicant, respondent = rng.sample(residents, 2) if len(residents) >= 2 else (None, None)
        case = services.open_case(
            actor=DEMO,
            community=community,
            case_type=case_type,
            account=account,
            applicant_name=applicant.name if applicant else "来访居民",
            applicant_resident=applicant,
            respondent_name=respondent.name if respondent else "",
            respondent_resident=respondent,
            received_on=received,
            mediators=[mediators[i] for i in who],
            room=tang if who and who[0] in (0, 1, 2, 5) else (shunshun if who else None),
            urgency="urgent" if n % 7 == 3 else "normal",
        )
        Case.objects.filter(pk=case.pk).update(
            received_by=None if outcome == "referred" else staff,
            referred_by=grid_worker if outcome == "referred" else None,
            source="referral" if outcome == "referred" else case.source,
        )
        if outcome in ("received", "referred"):
            continue
        held = datetime.datetime.combine(received + datetime.timedelta(days=1), datetime.time(15, 0)).astimezone()
        if outcome == "mediating_scheduled":
            held = datetime.datetime.combine(today + datetime.timedelta(days=2), datetime.time(15, 0)).astimezone()
        services.add_session(
            case,
            actor=DEMO,
            held_at=held,
            place=case.room.name if case.room else "社区议事室",
            participants="双方当事人、调解员",
            notes=""
            if outcome == "mediating_scheduled"
            else "双方陈述了各自的意见，调解员讲明有关规定，约定下次再谈。",
        )
        closed = received + datetime.timedelta(days=rng.randint(3, 12))
        if outcome.startswith("written") or outcome.startswith("oral"):
            deadline = None if outcome == "oral" else received + datetime.timedelta(days=15)
            follow_on = today - datetime.timedelta(days=1) if outcome == "written_due" else deadline
            services.settle(
                case,
                actor=DEMO,
                kind=AgreementKind.WRITTEN if outcome.startswith("written") else AgreementKind.ORAL,
                facts=account,
                terms=terms,
                performance="当面履行",
                deadline=deadline,
                follow_up_on=follow_on if outcome != "oral" else None,
            )
            Case.objects.filter(pk=case.pk).update(closed_on=closed)
            follow = FollowUp.objects.filter(agreement__case=case).first()
            if outcome == "written_performed":
                services.record_follow_up(
                    follow, actor=DEMO, result=FollowUpResult.PERFORMED, note="回访时双方均表示已按协议履行。"
                )
            elif outcome == "oral_reopened":
                services.record_follow_up(
                    follow, actor=DEMO, result=FollowUpResult.NOT_PERFORMED, note="花盆又摆回窗台外。"
                )
        elif outcome.startswith("failed"):
            referral = Referral.ARBITRATION if outcome == "failed_arbitration" else Referral.LITIGATION
            services.fail(
                case, actor=DEMO, referral=referral, note="双方分歧较大，已告知可依法向人民法院起诉或申请仲裁。"
            )
            Case.objects.filter(pk=case.pk).update(closed_on=closed)
        elif outcome == "withdrawn":
            services.withdraw(case, actor=DEMO, note="商户已主动调低音量，申请人撤回。")
            Case.objects.filter(pk=case.pk).update(closed_on=closed)
    _reception_log(demo, rng, residents, shunshun, staff)
    cases, visits = (
        Case.objects.filter(community=community).count(),
        Reception.objects.filter(community=community).count(),
    )
    demo.log(f"       {community.name}：{cases}件调解案件，顺顺吧接待{visits}人次")


TOPICS = (
    "反映楼上装修噪音，想找人说说",
    "和老伴拌嘴心里不痛快，来聊聊",
    "咨询老房子继承手续",
    "对物业收费有意见",
    "邻居家狗晚上叫，睡不好",
    "想了解加装电梯怎么分摊费用",
    "楼道里堆放杂物，担心消防安全",
    "子女不常回家，心里孤单",
)


def _reception_log(demo, rng, residents, room, staff) -> None:
    """Someone heard every working day of the last month (one to three visitors), in one bulk insert."""
    today = demo.today
    rows = []
    day = today - datetime.timedelta(days=31)
    while day <= today:
        if is_workday(day):
            for _ in range(rng.randint(1, 3)):
                visitor = rng.choice(residents) if residents else None
                rows.append(
                    Reception(
                        community=demo.community,
                        street_id=demo.community.street_id,
                        room=room,
                        received_on=day,
                        resident=visitor,
                        visitor_name=visitor.name if visitor else "来访居民",
                        topic=rng.choice(TOPICS),
                        handling=ReceptionHandling.LISTENED,
                        minutes=rng.choice((10, 15, 20, 30, 45)),
                        staff=staff,
                    )
                )
        day += datetime.timedelta(days=1)
    Reception.objects.bulk_create(rows)
