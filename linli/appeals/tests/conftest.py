"""Appeal fixtures on top of the `world` personas.

Organisations in street 东街: 东一物业服务中心 (property, handler dept_handler), 区水务局 (water,
handler water_handler), 东一社区居委会 (community, handler staff), 东二物业 (property of 东二社区,
handler e2_handler). 东一社区 binds property, water and community; 东二社区 binds its own property.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from linli.accounts.choices import Role
from linli.appeals.choices import Channel
from linli.appeals.defaults import install_default_directory
from linli.appeals.models import Category, HandlingUnit, Organisation, UnitBinding
from linli.appeals.services import create_appeal
from linli.core.audit import actor_of
from linli.testing import SYSTEM, make_user


@dataclass
class AppealWorld:
    world: object
    orgs: dict
    units: dict

    def __getattr__(self, name):
        return getattr(self.world, name)

    def category(self, code: str) -> Category:
        return Category.objects.get(code=code)

    def actor(self, username: str):
        return actor_of(self.world.users[username])


def _org(name, unit, street, *handlers):
    org = Organisation.objects.create(name=name, unit=unit, street=street, contact_name="联系人", phone="027-87654321")
    org.handlers.set(handlers)
    return org


@pytest.fixture
def aw(world) -> AppealWorld:
    install_default_directory(HandlingUnit, Category)  # a transactional test's flush removes migration data
    units = {u.code: u for u in HandlingUnit.objects.all()}
    east = world.streets["east"]
    world.users["water_handler"] = make_user("water_handler", Role.DEPT_HANDLER)
    world.users["e2_handler"] = make_user("e2_handler", Role.DEPT_HANDLER)
    orgs = {
        "property": _org("东一物业服务中心", units["property"], east, world.users["dept_handler"]),
        "water": _org("区水务局", units["water"], east, world.users["water_handler"]),
        "community": _org("东一社区居委会", units["community"], east, world.users["staff"]),
        "e2_property": _org("东二物业", units["property"], east, world.users["e2_handler"]),
    }
    e1, e2 = world.communities["e1"], world.communities["e2"]
    for code in ("property", "water", "community"):
        UnitBinding.objects.create(community=e1, unit=units[code], organisation=orgs[code])
    UnitBinding.objects.create(community=e2, unit=units["property"], organisation=orgs["e2_property"])
    return AppealWorld(world=world, orgs=orgs, units=units)


#: A corridor light out: the routing model is sure of it (property, 楼道照明).
LIGHT = "3栋2单元楼道灯坏了一个星期，晚上老人上下楼看不见。"


@pytest.fixture
def uncategorised(aw):
    """Makes an appeal that arrives 未分类 from a resident of building b1 (waiting for 派单): uncategorised(text)."""

    def make(text: str = LIGHT):
        return create_appeal(
            actor=SYSTEM,
            text=text,
            channel=Channel.RESIDENT,
            reporter_name="陈阿姨",
            reporter_phone="13912345678",
            building=aw.buildings["b1"],
        )

    return make


def new_appeal(aw: AppealWorld, *, building="b1", category="corridor_light", actor=SYSTEM, **kwargs):
    kwargs.setdefault("text", "3单元楼道灯坏了一个星期，晚上老人上下楼看不见。")
    kwargs.setdefault("channel", Channel.PHONE)
    kwargs.setdefault("reporter_name", "王阿姨")
    kwargs.setdefault("reporter_phone", "13800001111")
    return create_appeal(
        actor=actor, building=aw.buildings[building] if building else None, category=aw.category(category), **kwargs
    )
