"""Party fixtures on top of the `world` personas (linli.testing).

东街 (street_admin's): 东街大工委 > 东一社区大党委 > 东一社区党委 (secretary: the `secretary` persona) >
东一第1网格党支部 (grid g1; its secretary is grid_worker_1's account) with 第一党小组, and 东一第2网格党支部 (g2, no
account). Members of 东一: 李四 (resident, branch 1, group 1, 党员中心户 looking after 张三's and 陈奶奶's households,
paired with 张三's household with one contact note), 王五 (resident, branch 2), 刘在职 (in-service, name and phone,
work unit 东一税务所 registered through 双报到, branch 1), 周报到 (registered by the QR form, waiting for
confirmation). A 支部委员会 of branch 1 with 李四 present and 刘在职 on leave.
西街: 西街大工委 > 西一社区大党委 > 西一社区党委 > 西一第1网格党支部 (g4) with 孙七 (resident), 西一物业 (unit),
孙七 as 中心户 of 周八's household and paired with it, a meeting. Names carry 西一/孙七/周八 so that the scope matrix
notices a leak.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from linli.core.audit import actor_of
from linli.party import services
from linli.party.choices import Attendance, MeetingKind, MemberSource, MemberStatus, OrgForm, OrgKind, Review
from linli.party.models import MemberImportJob, PartnerUnit, PartyMember, PartyOrg
from linli.testing import SYSTEM, make_resident

DAY = datetime.date(2026, 11, 10)


@dataclass
class PartyWorld:
    world: object
    orgs: dict
    units: dict
    members: dict
    centres: dict
    pairings: dict
    contacts: dict
    meetings: dict

    def __getattr__(self, name):
        return getattr(self.world, name)

    def actor(self, username: str):
        return actor_of(self.world.users[username])


def org(kind, name, parent=None, **fields) -> PartyOrg:
    return services.save_org(PartyOrg(kind=kind, name=name, parent=parent, **fields), actor=SYSTEM)


def member(community, name="", **fields) -> PartyMember:
    return services.save_member(PartyMember(community=community, name=name, **fields), actor=SYSTEM)


def build_party_world(world) -> PartyWorld:
    east, west = world.streets["east"], world.streets["west"]
    e1, w1 = world.communities["e1"], world.communities["w1"]
    users = world.users
    orgs = {}
    orgs["east"] = org(OrgKind.STREET_COMMITTEE, "东街大工委", street=east)
    orgs["e1_committee"] = org(OrgKind.COMMUNITY_COMMITTEE, "东一社区大党委", orgs["east"], community=e1)
    orgs["e1_org"] = org(
        OrgKind.COMMUNITY_ORG,
        "东一社区党委",
        orgs["e1_committee"],
        form=OrgForm.COMMITTEE,
        secretary=users["secretary"],
        secretary_name="东一书记",
    )
    orgs["e1"] = org(
        OrgKind.GRID_BRANCH,
        "东一第1网格党支部",
        orgs["e1_org"],
        grid=world.grids["g1"],
        form=OrgForm.BRANCH,
        secretary=users["grid_worker_1"],
        secretary_name="网格支书",
    )
    orgs["e1_group"] = org(OrgKind.GROUP, "东一第1网格第一党小组", orgs["e1"])
    orgs["e1_b2"] = org(OrgKind.GRID_BRANCH, "东一第2网格党支部", orgs["e1_org"], grid=world.grids["g2"])
    orgs["west"] = org(OrgKind.STREET_COMMITTEE, "西街大工委", street=west)
    orgs["w1_committee"] = org(OrgKind.COMMUNITY_COMMITTEE, "西一社区大党委", orgs["west"], community=w1)
    orgs["w1_org"] = org(OrgKind.COMMUNITY_ORG, "西一社区党委", orgs["w1_committee"])
    orgs["w1"] = org(OrgKind.GRID_BRANCH, "西一第1网格党支部", orgs["w1_org"], grid=world.grids["g4"])

    units = {
        "e1": services.save_unit(
            PartnerUnit(
                community=e1,
                name="东一税务所",
                kind="government",
                party_org_name="东一税务所党支部",
                contact_name="税务联络员",
                contact_phone="13811110000",
                in_committee=True,
                committee_post="兼职委员",
                dual_registered=True,
                registered_on=datetime.date(2026, 3, 1),
            ),
            actor=SYSTEM,
        ),
        "w1": services.save_unit(
            PartnerUnit(community=w1, name="西一物业", kind="property", in_committee=True), actor=SYSTEM
        ),
    }

    res = world.residents
    zhou = res.get("zhou8") or make_resident(world.buildings["b4"], "周八", room="102", seq=8, phone="13400008888")
    res["zhou8"] = zhou
    members = {
        "e1": member(
            e1,
            resident=res["li"],
            branch=orgs["e1"],
            group=orgs["e1_group"],
            joined_on=datetime.date(1998, 7, 1),
            skills="维修",
        ),
        "e1_b2": member(e1, resident=res["wang"], branch=orgs["e1_b2"], joined_on=datetime.date(1975, 6, 1)),
        "e1_in_service": member(
            e1,
            "刘在职",
            phone="13911112233",
            branch=orgs["e1"],
            status=MemberStatus.IN_SERVICE,
            work_unit=units["e1"],
            joined_on=datetime.date(2010, 7, 1),
            skills="法律咨询",
            availability="周末上午",
        ),
        "e1_pending": member(
            e1,
            "周报到",
            phone="13911114455",
            status=MemberStatus.IN_SERVICE,
            work_unit_name="东一中学",
            source=MemberSource.SELF,
            review=Review.PENDING,
        ),
        "w1": member(w1, resident=res["sun"], branch=orgs["w1"], joined_on=datetime.date(1990, 7, 1)),
    }
    zhang, chen = res["zhang"].household, res["chen"].household
    centres = {
        "e1": services.set_centre(members["e1"], actor=SYSTEM, covered=[zhang, chen], since=datetime.date(2025, 1, 1)),
        "w1": services.set_centre(members["w1"], actor=SYSTEM, covered=[zhou.household]),
    }
    pairings = {
        "e1": services.pair(members["e1"], zhang, actor=SYSTEM, started_on=datetime.date(2026, 1, 5), need="独居老人"),
        "w1": services.pair(members["w1"], zhou.household, actor=SYSTEM, started_on=datetime.date(2026, 1, 5)),
    }
    contacts = {
        key: services.add_contact(p, actor=SYSTEM, contacted_on=DAY, note=f"{p.household}：上门看望，身体还好。")
        for key, p in pairings.items()
    }
    meetings = {
        "e1": services.record_meeting(
            orgs["e1"],
            actor=SYSTEM,
            kind=MeetingKind.COMMITTEE,
            held_on=DAY,
            topic="东一第1网格十一月支委会",
            attendance={
                members["e1"].pk: (Attendance.PRESENT, ""),
                members["e1_in_service"].pk: (Attendance.LEAVE, "出差"),
            },
        ),
        "w1": services.record_meeting(
            orgs["w1"],
            actor=SYSTEM,
            kind=MeetingKind.THEME_DAY,
            held_on=DAY,
            topic="西一主题党日",
            attendance={members["w1"].pk: (Attendance.PRESENT, "")},
        ),
    }
    return PartyWorld(
        world=world,
        orgs=orgs,
        units=units,
        members=members,
        centres=centres,
        pairings=pairings,
        contacts=contacts,
        meetings=meetings,
    )


def matrix_objects(world) -> dict:
    """The party world's objects for tests/test_scope_matrix.py (kind -> key -> object)."""
    from linli.party.services_life import start_appraisal

    pw = build_party_world(world)
    return {
        "party_orgs": pw.orgs,
        "party_units": pw.units,
        "party_members": pw.members,
        "party_centres": pw.centres,
        "pairings": pw.pairings,
        "pairing_contacts": pw.contacts,
        "party_meetings": pw.meetings,
        # organisational life part: a 民主评议 of 东一第1网格党支部 and one of 西一第1网格党支部
        "party_appraisals": {key: start_appraisal(pw.orgs[key], actor=SYSTEM, year=DAY.year) for key in ("e1", "w1")},
        # members part: a roster import of each community (no file: the job pages only)
        "party_imports": {
            key: MemberImportJob.objects.create(community=world.communities[key], original_name="党员名册.xlsx")
            for key in ("e1", "w1")
        },
    }
