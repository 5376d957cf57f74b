"""Personas and a small two-street world for scope tests.

world: street 东街 (community 东一社区 with grids 1 and 2, one building each;
community 东二社区 with one grid) and street 西街 (community 西一社区). Users:
street_admin (东街), secretary and staff (东一社区), grid_worker_1 (东一 grid 1),
grid_worker_2 (东一 grid 2), dept_handler, volunteer, resident (lives in building 1),
nobody (staff without any assignment).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from linli.accounts.choices import Role, TokenScope
from linli.accounts.models import ApiToken, AreaAssignment, User
from linli.areas.models import Building, Community, Grid, Household, Street
from linli.areas.services import create_building
from linli.core.audit import Actor
from linli.residents.defaults import install_default_tags
from linli.residents.idcard import make_id_number
from linli.residents.models import Resident, Tag
from linli.residents.services import create_resident

PASSWORD = "Test-pass-2026"
SYSTEM = Actor.cli("test setup")


@dataclass
class World:
    streets: dict = field(default_factory=dict)
    communities: dict = field(default_factory=dict)
    grids: dict = field(default_factory=dict)
    buildings: dict = field(default_factory=dict)
    residents: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def tag(self, code: str) -> Tag:
        return Tag.objects.get(code=code)


def make_user(username: str, role: str, *nodes, resident=None) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, full_name=username, resident=resident
    )
    for node in nodes:
        AreaAssignment.objects.create(user=user, **{type(node).__name__.lower(): node})
    return user


def make_building(
    community, grid, number: int, *, entrances=2, floors=6, rooms=2, name: str = "", compound: str = ""
) -> Building:
    return create_building(
        Building(
            community=community,
            grid=grid,
            number=number,
            name=name or f"{number}栋",
            compound=compound,
            entrances=entrances,
            floors=floors,
            rooms_per_floor=rooms,
        ),
        SYSTEM,
    )


def make_resident(
    building,
    name: str,
    *,
    entrance=1,
    room="101",
    born=datetime.date(1950, 3, 5),
    sex="F",
    seq=1,
    tags=(),
    phone="13800001234",
    **kwargs,
) -> Resident:
    household = Household.objects.get(building=building, entrance=entrance, room=room)
    number = make_id_number("420107", born, seq, sex)
    return create_resident(
        actor=SYSTEM,
        household=household,
        name=name,
        id_number=number,
        phone=phone,
        tags=[Tag.objects.get(code=c) for c in tags],
        **kwargs,
    )


def build_world() -> World:
    # The default tags come from a data migration; a transactional test's flush removes them.
    install_default_tags(Tag)
    w = World()
    east = w.streets["east"] = Street.objects.create(code="east", name="东街")
    west = w.streets["west"] = Street.objects.create(code="west", name="西街")
    e1 = w.communities["e1"] = Community.objects.create(street=east, code="e1", name="东一社区")
    e2 = w.communities["e2"] = Community.objects.create(street=east, code="e2", name="东二社区")
    w1 = w.communities["w1"] = Community.objects.create(street=west, code="w1", name="西一社区")
    g1 = w.grids["g1"] = Grid.objects.create(community=e1, number=1, name="东一第1网格")
    g2 = w.grids["g2"] = Grid.objects.create(community=e1, number=2, name="东一第2网格")
    g3 = w.grids["g3"] = Grid.objects.create(community=e2, number=1, name="东二第1网格")
    g4 = w.grids["g4"] = Grid.objects.create(community=w1, number=1, name="西一第1网格")
    b1 = w.buildings["b1"] = make_building(e1, g1, 1)
    b2 = w.buildings["b2"] = make_building(e1, g2, 2)
    b3 = w.buildings["b3"] = make_building(e2, g3, 1)
    b4 = w.buildings["b4"] = make_building(w1, g4, 1)
    w.residents["zhang"] = make_resident(
        b1, "张三", room="101", seq=1, sex="M", tags=["elderly60", "living_alone"], phone="13812345678"
    )
    w.residents["li"] = make_resident(
        b1,
        "李四",
        room="502",
        entrance=2,
        seq=2,
        sex="M",
        tags=["disabled"],
        born=datetime.date(1985, 6, 1),
        phone="13987654321",
    )
    w.residents["chen"] = make_resident(
        b1,
        "陈奶奶",
        room="201",
        seq=3,
        tags=["elderly60", "living_alone"],
        born=datetime.date(1950, 1, 2),
        phone="13700000001",
        residence_type="tenant",
    )
    w.residents["wang"] = make_resident(
        b2, "王五", room="301", seq=4, sex="M", tags=["empty_nest"], phone="13600002222"
    )
    w.residents["zhao"] = make_resident(b3, "赵六", room="101", seq=5, sex="M", tags=["elderly60"], phone="13500003333")
    w.residents["sun"] = make_resident(b4, "孙七", room="101", seq=6, sex="M", phone="13400004444")
    w.users["street_admin"] = make_user("street_admin", Role.STREET_ADMIN, east)
    w.users["secretary"] = make_user("secretary", Role.SECRETARY, e1)
    w.users["staff"] = make_user("staff", Role.STAFF, e1)
    w.users["grid_worker_1"] = make_user("grid_worker_1", Role.GRID_WORKER, g1)
    w.users["grid_worker_2"] = make_user("grid_worker_2", Role.GRID_WORKER, g2)
    w.users["dept_handler"] = make_user("dept_handler", Role.DEPT_HANDLER, e1)
    w.users["volunteer"] = make_user("volunteer", Role.VOLUNTEER, e1)
    w.users["resident"] = make_user("resident", Role.RESIDENT, resident=w.residents["chen"])
    w.users["nobody"] = make_user("nobody", Role.STAFF)
    return w


# --------------------------------------------------------------------------- browser tests (Playwright, chromium)


def bearer(user, *, scope: str = TokenScope.WRITE, personal_data: bool = True) -> dict:
    """The Authorization header of an API call with a new token of `user`, as test-client keyword arguments.

    By default the token allows all its role may do (read-write, full phones): most API tests are about the role.
    """
    _, key = ApiToken.issue(user, "测试", scope=scope, personal_data=personal_data)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def browser_sign_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign `username` in through the login form of the live server at `base_url` and wait for the home page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def serious_accessibility_violations(page) -> list[str] | None:
    """axe-core's (npm, vendored to linli/static/vendor/axe) serious and critical violations on the page, one line
    each; None when axe-core is not vendored (`make vendor`). The page's context must bypass the CSP
    (`bypass_csp=True`) for the script to be injected."""
    from pathlib import Path

    from django.conf import settings

    axe = Path(settings.BASE_DIR) / "static" / "vendor" / "axe" / "axe.min.js"
    if not axe.exists():
        return None
    page.add_script_tag(path=str(axe))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
