"""Open311 fixtures on top of the `world` personas.

The default directory (18 units, 50 categories); 东一社区 (e1) binds property to 东一物业服务中心 and water
to 区水务局. Keys: `e1_key` bound to 东一社区, `east_key` to street 东街, `hotline_key` (12345) to 东一社区.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from linli.appeals.defaults import install_default_directory
from linli.appeals.models import Category, HandlingUnit, Organisation, UnitBinding
from linli.open311.services import issue_key
from linli.testing import SYSTEM

BASE = "/open311/v2/"


@dataclass
class Open311World:
    world: object
    keys: dict
    orgs: dict

    def __getattr__(self, name):
        return getattr(self.world, name)


@pytest.fixture
def ow(world) -> Open311World:
    install_default_directory(HandlingUnit, Category)  # a transactional test's flush removes migration data
    units = {u.code: u for u in HandlingUnit.objects.all()}
    east = world.streets["east"]
    orgs = {
        "property": Organisation.objects.create(name="东一物业服务中心", unit=units["property"], street=east),
        "water": Organisation.objects.create(name="区水务局", unit=units["water"], street=east),
    }
    orgs["property"].handlers.set([world.users["dept_handler"]])
    e1 = world.communities["e1"]
    for code in ("property", "water"):
        UnitBinding.objects.create(community=e1, unit=units[code], organisation=orgs[code])
    keys = {
        "e1": issue_key(actor=SYSTEM, name="东一随手拍", community=e1)[1],
        "east": issue_key(actor=SYSTEM, name="街道看板", street=east)[1],
        "hotline": issue_key(actor=SYSTEM, name="12345热线平台", community=e1, hotline=True)[1],
    }
    return Open311World(world=world, keys=keys, orgs=orgs)


def post(client, data, fmt="json", **query):
    """POST a service request the way Open311 clients do: a urlencoded form."""
    from urllib.parse import urlencode

    url = f"{BASE}requests.{fmt}" + (f"?{urlencode(query)}" if query else "")
    return client.post(url, data)


def valid(ow, **changes) -> dict:
    data = {
        "api_key": ow.keys["e1"],
        "service_code": "corridor_light",
        "address_string": "1栋1单元101",
        "description": "1栋1单元楼道灯坏了三天，晚上看不见台阶。",
        "first_name": "芳",
        "last_name": "王",
        "phone": "13800001111",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
