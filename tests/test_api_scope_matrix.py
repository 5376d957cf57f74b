"""Every API operation, every persona: the status each one gets (like tests/test_scope_matrix.py for pages).

2xx allowed, 403 the role lacks the permission, 404 the object is outside the persona's scope. Each request
runs in a savepoint rolled back afterwards, so a write one persona makes is not there for the next.
`test_every_api_operation_has_a_matrix_row` fails when an operation is added to the OpenAPI schema without a
row here. List operations also get `VISIBLE` checks: what a persona's list holds never includes another
area's rows.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from linli.api import api
from tests.test_scope_matrix import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def api_world(django_db_setup, django_db_blocker, tmp_path_factory, _shipped_router):
    """Built once for the module; each test runs in a savepoint rolled back after it."""
    from tests.scope_world import built_once

    with built_once(django_db_blocker, _shipped_router, tmp_path_factory.mktemp("media")):
        yield build_api_world()


def build_api_world():
    """The world plus love bank accounts, wishes, appeals and activities in 东一社区 (e1) and 西一社区 (w1)."""
    from linli.appeals.defaults import install_default_directory
    from linli.appeals.models import Category, HandlingUnit, Organisation, UnitBinding
    from linli.appeals.services import create_appeal, dispatch
    from linli.deliberation.testing import matrix_objects as deliberation_objects
    from linli.lovebank.testing import add_lovebank
    from linli.notices.testing import matrix_objects as notice_objects
    from linli.testing import SYSTEM, build_world
    from linli.volunteers.tests.helpers import activity
    from linli.votes.testing import matrix_objects as vote_objects
    from linli.wishes.testing import matrix_objects

    world = build_world()
    add_lovebank(world)
    wishes = matrix_objects(world)
    world.wishes = wishes["wishes"]
    world.claimers = wishes["claimers"]
    world.community_codes = wishes["community_codes"]
    install_default_directory(HandlingUnit, Category)
    unit = HandlingUnit.objects.get(code="property")
    org = Organisation.objects.create(name="东一物业服务中心", unit=unit, street=world.streets["east"])
    org.handlers.set([world.users["dept_handler"]])
    UnitBinding.objects.create(community=world.communities["e1"], unit=unit, organisation=org)
    light = Category.objects.get(code="corridor_light")

    def appeal(building):
        return create_appeal(
            actor=SYSTEM,
            building=world.buildings[building],
            category=light,
            text="楼道灯坏了一个星期。",
            channel="phone",
            reporter_name="王阿姨",
            reporter_phone="13800001111",
        )

    world.appeals = {"e1": appeal("b1"), "e1b": appeal("b1"), "e1d": appeal("b1"), "w1": appeal("b4")}
    dispatch(world.appeals["e1d"], unit, actor=SYSTEM)  # with 东一物业服务中心, whose handler is dept_handler
    world.activities = {key: activity(world, community=key, start=-0.5) for key in ("e1", "w1")}
    world.matters = deliberation_objects(world)["matters"]
    world.votes = vote_objects(world)["votes"]
    from linli.campaigns.testing import matrix_objects as campaign_objects

    campaigns = campaign_objects(world)
    world.campaigns, world.campaign_targets = campaigns["campaigns"], campaigns["campaign_targets"]
    world.notices = notice_objects(world)["notices"]
    # 党建 (platform part): linli/party/testing.py's world
    from linli.party.testing import matrix_objects as party_objects

    party = party_objects(world)
    world.party_orgs, world.party_members = party["party_orgs"], party["party_members"]
    world.party_meetings = party["party_meetings"]
    # 功能室预约 (linli/places/testing.py): bookings of 东一 (陈奶奶's e1_pending) and 西一
    from linli.places.testing import matrix_objects as place_objects

    world.bookings = place_objects(world)["bookings"]
    # 便民服务 (linli/hall/testing.py)
    from linli.hall.testing import matrix_objects as hall_objects

    hall = hall_objects(world)
    world.hall_appointments, world.hall_errands = hall["hall_appointments"], hall["hall_errands"]
    world.hall_codes = hall["hall_codes"]
    # 帮扶与共建 (linli/support/testing.py)
    from linli.support.testing import matrix_objects as support_objects

    support = support_objects(world)
    world.support_orgs, world.help_pairings = support["support_orgs"], support["help_pairings"]
    return world


def path_of(world, template: str, obj) -> str:
    if obj is None:
        return template
    kind, key = obj
    target = getattr(world, kind)[key]
    value = target if isinstance(target, str) else target.pk
    return template.replace(template[template.index("{") : template.index("}") + 1], str(value))


def body_of(world, body):
    return body(world) if callable(body) else body


def _household(world, building):
    from linli.areas.models import Household

    return Household.objects.filter(building=world.buildings[building]).order_by("pk").first().pk


NEW_RESIDENT_B1 = lambda w: {"household": _household(w, "b1"), "name": "新居民"}  # noqa: E731
NEW_RESIDENT_B4 = lambda w: {"household": _household(w, "b4"), "name": "新居民"}  # noqa: E731
NEW_APPEAL_B1 = lambda w: {  # noqa: E731
    "text": "楼道灯不亮。",
    "building": w.buildings["b1"].pk,
    "reporter_name": "王阿姨",
    "reporter_phone": "13800001111",
}
NEW_APPEAL_B4 = lambda w: {**NEW_APPEAL_B1(w), "building": w.buildings["b4"].pk}  # noqa: E731
RESOLVE = {"outcome": "solved", "resolution": "已更换灯泡。"}
REPLY = {"text": "已电话回访，居民满意。", "method": "phone"}
MERGE_INTO_E1B = lambda w: {"main": str(w.appeals["e1b"].pk)}  # noqa: E731
CLAIM_XIA = lambda w: {"claimer": w.claimers["xia"].pk}  # noqa: E731
REDEEM_CHEN_RICE = lambda w: {"account": w.accounts["chen"].pk, "item": w.items["rice"].pk, "key": "k-0000000001"}  # noqa: E731
REDEEM_ZHAO_OIL = lambda w: {"account": w.accounts["zhao"].pk, "item": w.items["oil"].pk, "key": "k-0000000002"}  # noqa: E731


# fmt: off
#   operation, object, body, expected status per persona (PERSONAS order)
MATRIX = [
    ("GET /api/areas/streets", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/areas/communities", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/areas/grids", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/areas/buildings", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/areas/buildings/{building_id}", ("buildings", "b1"), None, [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("GET /api/areas/buildings/{building_id}", ("buildings", "b2"), None, [200, 200, 200, 404, 200, 403, 403, 403, 404]),
    ("GET /api/areas/buildings/{building_id}", ("buildings", "b4"), None, [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("GET /api/areas/buildings/{building_id}/households", ("buildings", "b1"), None, [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("GET /api/areas/buildings/{building_id}/households", ("buildings", "b4"), None, [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("GET /api/residents", None, None, [200, 200, 200, 200, 200, 403, 403, 200, 200]),
    ("POST /api/residents", None, NEW_RESIDENT_B1, [201, 201, 201, 201, 422, 403, 403, 403, 422]),
    ("POST /api/residents", None, NEW_RESIDENT_B4, [422, 422, 422, 422, 422, 403, 403, 403, 422]),
    ("GET /api/residents/{resident_id}", ("residents", "zhang"), None, [200, 200, 200, 200, 404, 403, 403, 404, 404]),
    ("GET /api/residents/{resident_id}", ("residents", "wang"), None, [200, 200, 200, 404, 200, 403, 403, 404, 404]),
    ("GET /api/residents/{resident_id}", ("residents", "sun"), None, [404, 404, 404, 404, 404, 403, 403, 404, 404]),
    ("PATCH /api/residents/{resident_id}", ("residents", "zhang"), {"note": "腿脚不便"}, [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("PATCH /api/residents/{resident_id}", ("residents", "sun"), {"note": "腿脚不便"}, [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("POST /api/residents/{resident_id}/reveal-id", ("residents", "zhang"), None, [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("POST /api/residents/{resident_id}/reveal-id", ("residents", "sun"), None, [404, 404, 403, 403, 403, 403, 403, 403, 403]),
    ("GET /api/appeals", None, None, [200, 200, 200, 200, 200, 200, 403, 403, 200]),
    ("POST /api/appeals", None, NEW_APPEAL_B1, [201, 201, 201, 201, 422, 403, 403, 403, 422]),
    ("POST /api/appeals", None, NEW_APPEAL_B4, [422, 422, 422, 422, 422, 403, 403, 403, 422]),
    ("GET /api/appeals/{appeal_id}", ("appeals", "e1"), None, [200, 200, 200, 200, 404, 404, 403, 403, 404]),
    ("GET /api/appeals/{appeal_id}", ("appeals", "w1"), None, [404, 404, 404, 404, 404, 404, 403, 403, 404]),
    ("POST /api/appeals/{appeal_id}/dispatch", ("appeals", "e1"), {"unit": "property"}, [200, 200, 200, 403, 404, 404, 403, 403, 404]),
    ("POST /api/appeals/{appeal_id}/dispatch", ("appeals", "w1"), {"unit": "property"}, [404, 404, 404, 404, 404, 404, 403, 403, 404]),
    ("POST /api/appeals/{appeal_id}/sign", ("appeals", "e1"), None, [403, 403, 403, 403, 404, 404, 403, 403, 404]),
    ("POST /api/appeals/{appeal_id}/sign", ("appeals", "e1d"), None, [403, 403, 403, 403, 404, 200, 403, 403, 404]),
    ("POST /api/appeals/{appeal_id}/sign", ("appeals", "w1"), None, [404, 404, 404, 404, 404, 404, 403, 403, 404]),
    ("POST /api/appeals/{appeal_id}/resolve", ("appeals", "e1"), RESOLVE, [403, 403, 403, 403, 404, 404, 403, 403, 404]),
    ("POST /api/appeals/{appeal_id}/resolve", ("appeals", "w1"), RESOLVE, [404, 404, 404, 404, 404, 404, 403, 403, 404]),
    ("POST /api/appeals/{appeal_id}/reply", ("appeals", "e1"), REPLY, [422, 422, 422, 422, 404, 404, 403, 403, 404]),
    ("POST /api/appeals/{appeal_id}/reply", ("appeals", "w1"), REPLY, [404, 404, 404, 404, 404, 404, 403, 403, 404]),
    ("POST /api/appeals/{appeal_id}/merge", ("appeals", "e1"), MERGE_INTO_E1B, [200, 200, 200, 422, 404, 404, 403, 403, 404]),
    ("POST /api/appeals/{appeal_id}/merge", ("appeals", "w1"), MERGE_INTO_E1B, [404, 404, 404, 404, 404, 404, 403, 403, 404]),
    ("GET /api/volunteers/activities", None, None, [200, 200, 200, 403, 403, 403, 200, 403, 200]),
    ("GET /api/volunteers/activities/{activity_id}", ("activities", "e1"), None, [200, 200, 200, 403, 403, 403, 404, 403, 404]),
    ("GET /api/volunteers/activities/{activity_id}", ("activities", "w1"), None, [404, 404, 404, 403, 403, 403, 404, 403, 404]),
    ("GET /api/volunteers/hours", None, None, [200, 200, 200, 403, 403, 403, 200, 403, 200]),
    ("GET /api/deliberation/matters", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/deliberation/matters/{matter_id}", ("matters", "e1"), None, [200, 200, 200, 200, 200, 403, 403, 403, 404]),
    ("GET /api/deliberation/matters/{matter_id}", ("matters", "w1"), None, [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("GET /api/votes", None, None, [200, 200, 200, 200, 200, 403, 403, 200, 200]),
    ("GET /api/campaigns", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/campaigns/targets", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("POST /api/campaigns/targets/{target_id}/outcome", ("campaign_targets", "e1_g1"), {"outcome": "online"}, [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("POST /api/campaigns/targets/{target_id}/outcome", ("campaign_targets", "w1"), {"outcome": "online"}, [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("GET /api/votes/{vote_id}/result", ("votes", "e1"), None, [200, 200, 200, 200, 200, 403, 403, 200, 404]),
    ("GET /api/votes/{vote_id}/result", ("votes", "w1"), None, [404, 404, 404, 404, 404, 403, 403, 404, 404]),
    ("GET /api/notices", None, None, [200, 200, 200, 200, 200, 403, 403, 200, 200]),
    ("GET /api/notices/{notice_id}", ("notices", "e1"), None, [200, 200, 200, 200, 200, 403, 403, 200, 404]),
    ("GET /api/notices/{notice_id}", ("notices", "w1"), None, [404, 404, 404, 404, 404, 403, 403, 404, 404]),
    ("GET /api/wishes/public/{code}", ("community_codes", "e1"), None, [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/wishes", None, None, [200, 200, 200, 403, 403, 403, 200, 403, 200]),
    ("GET /api/mediation/figures", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/wishes/{wish_id}", ("wishes", "e1"), None, [200, 200, 200, 403, 403, 403, 200, 403, 404]),
    ("GET /api/wishes/{wish_id}", ("wishes", "w1"), None, [404, 404, 404, 403, 403, 403, 404, 403, 404]),
    ("POST /api/wishes/{wish_id}/claim", ("wishes", "e1"), CLAIM_XIA, [200, 200, 200, 403, 403, 403, 200, 403, 404]),
    ("POST /api/wishes/{wish_id}/claim", ("wishes", "w1"), CLAIM_XIA, [404, 404, 404, 403, 403, 403, 404, 403, 404]),
    ("POST /api/wishes/{wish_id}/release", ("wishes", "e1"), {"reason": "临时有事"}, [422, 422, 422, 403, 403, 403, 422, 403, 404]),
    ("POST /api/wishes/{wish_id}/release", ("wishes", "w1"), {"reason": "临时有事"}, [404, 404, 404, 403, 403, 403, 404, 403, 404]),
    ("GET /api/lovebank/accounts", None, None, [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("GET /api/lovebank/accounts/{account_id}", ("accounts", "chen"), None, [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("GET /api/lovebank/accounts/{account_id}", ("accounts", "zhao"), None, [200, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("GET /api/lovebank/accounts/{account_id}", ("accounts", "sun"), None, [404, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("GET /api/lovebank/accounts/{account_id}/statement", ("accounts", "chen"), None, [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("GET /api/lovebank/accounts/{account_id}/statement", ("accounts", "sun"), None, [404, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("GET /api/lovebank/items", None, None, [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("POST /api/lovebank/redemptions", None, REDEEM_CHEN_RICE, [201, 201, 201, 403, 403, 403, 403, 403, 404]),
    ("POST /api/lovebank/redemptions", None, REDEEM_ZHAO_OIL, [201, 404, 404, 403, 403, 403, 403, 403, 404]),
    # 党建 (platform part): party-work roles over their area, grid_worker_1 as 东一第1网格党支部's secretary over its
    # branch; other roles 403 (party membership is personal data)
    ("GET /api/party/orgs", None, None, [200, 200, 403, 200, 403, 403, 403, 403, 403]),
    # 帮扶与共建 (linli/support): field roles over their area, nothing for the others
    ("GET /api/support/organisations", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/support/organisations/{org_id}", ("support_orgs", "e1"), None, [200, 200, 200, 200, 200, 403, 403, 403, 404]),
    ("GET /api/support/organisations/{org_id}", ("support_orgs", "w1"), None, [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("GET /api/support/pairings", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/support/assistance", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/party/orgs/{org_id}", ("party_orgs", "e1"), None, [200, 200, 403, 200, 403, 403, 403, 403, 403]),
    ("GET /api/party/orgs/{org_id}", ("party_orgs", "e1_b2"), None, [200, 200, 403, 404, 403, 403, 403, 403, 403]),
    ("GET /api/party/orgs/{org_id}", ("party_orgs", "w1"), None, [404, 404, 403, 404, 403, 403, 403, 403, 403]),
    ("GET /api/party/members", None, None, [200, 200, 403, 200, 403, 403, 403, 403, 403]),
    ("GET /api/party/members/{member_id}", ("party_members", "e1"), None, [200, 200, 403, 200, 403, 403, 403, 403, 403]),
    ("GET /api/party/members/{member_id}", ("party_members", "e1_b2"), None, [200, 200, 403, 404, 403, 403, 403, 403, 403]),
    ("GET /api/party/members/{member_id}", ("party_members", "w1"), None, [404, 404, 403, 404, 403, 403, 403, 403, 403]),
    ("GET /api/party/meetings", None, None, [200, 200, 403, 200, 403, 403, 403, 403, 403]),
    ("GET /api/party/meetings/{meeting_id}", ("party_meetings", "e1"), None, [200, 200, 403, 200, 403, 403, 403, 403, 403]),
    ("GET /api/party/meetings/{meeting_id}", ("party_meetings", "w1"), None, [404, 404, 403, 404, 403, 403, 403, 403, 403]),
    # 功能室预约: staff roles over their area, residents and volunteers their own bookings (陈奶奶's e1_pending)
    ("GET /api/places/bookings", None, None, [200, 200, 200, 200, 200, 403, 200, 200, 200]),
    ("GET /api/places/bookings/{booking_id}", ("bookings", "e1"), None, [200, 200, 200, 200, 200, 403, 404, 404, 404]),
    ("GET /api/places/bookings/{booking_id}", ("bookings", "e1_pending"), None, [200, 200, 200, 200, 200, 403, 404, 200, 404]),
    ("GET /api/places/bookings/{booking_id}", ("bookings", "w1"), None, [404, 404, 404, 404, 404, 403, 404, 404, 404]),
    # 便民服务 (linli.hall): the public 办事指南; appointments and 代办 by area (grid workers: their grid's residents)
    ("GET /api/hall/public/{code}", ("hall_codes", "e1"), None, [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/hall/appointments", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/hall/appointments/{appointment_id}", ("hall_appointments", "e1"), None, [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("GET /api/hall/appointments/{appointment_id}", ("hall_appointments", "w1"), None, [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("GET /api/hall/errands", None, None, [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("GET /api/hall/errands/{errand_id}", ("hall_errands", "e1"), None, [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("GET /api/hall/errands/{errand_id}", ("hall_errands", "e1_g2"), None, [200, 200, 200, 404, 200, 403, 403, 403, 404]),
    ("GET /api/hall/errands/{errand_id}", ("hall_errands", "w1"), None, [404, 404, 404, 404, 404, 403, 403, 403, 404]),
]
# fmt: on


def operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def test_every_api_operation_has_a_matrix_row():
    assert operations() - {row[0] for row in MATRIX} == set()


def call(client, world, persona, operation, obj, body):
    method, template = operation.split(" ", 1)
    client.force_login(world.users[persona])
    path = path_of(world, template, obj)
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        else:
            response = client.generic(method, path, body_json(body_of(world, body)), content_type="application/json")
        transaction.set_rollback(True)
    return response


def body_json(body) -> str:
    import json

    return json.dumps(body if body is not None else {})


@pytest.mark.parametrize(
    "operation, obj, body, expected", MATRIX, ids=[f"{m[0]}-{m[1][1] if m[1] else ''}" for m in MATRIX]
)
def test_each_persona_gets_the_status_the_api_matrix_says(api_world, client, operation, obj, body, expected):
    got = [call(client, api_world, persona, operation, obj, body).status_code for persona in PERSONAS]
    assert dict(zip(PERSONAS, got)) == dict(zip(PERSONAS, expected))


#: What a persona's list holds: (operation, persona, keys that must be there, keys that must not), by kind.
VISIBLE = [
    ("GET /api/votes", "secretary", "votes", ["e1"], ["w1"]),
    ("GET /api/votes", "resident", "votes", ["e1"], ["w1"]),
    ("GET /api/campaigns", "grid_worker_2", "campaigns", ["e1"], ["w1"]),
    ("GET /api/campaigns/targets", "grid_worker_2", "campaign_targets", ["e1_g2"], ["e1_g1", "w1"]),
    ("GET /api/campaigns/targets", "secretary", "campaign_targets", ["e1_g1", "e1_g2"], ["w1"]),
    ("GET /api/notices", "secretary", "notices", ["e1"], ["w1"]),
    ("GET /api/notices", "resident", "notices", ["e1"], ["w1"]),
    ("GET /api/notices", "grid_worker_2", "notices", ["e1"], ["w1"]),
    ("GET /api/areas/buildings", "grid_worker_1", "buildings", {"b1"}, {"b2", "b3", "b4"}),
    ("GET /api/areas/buildings", "secretary", "buildings", {"b1", "b2"}, {"b3", "b4"}),
    ("GET /api/areas/buildings", "street_admin", "buildings", {"b1", "b2", "b3"}, {"b4"}),
    ("GET /api/areas/communities", "secretary", "communities", {"e1"}, {"e2", "w1"}),
    ("GET /api/residents", "grid_worker_2", "residents", {"wang"}, {"zhang", "li", "chen", "zhao", "sun"}),
    ("GET /api/residents", "secretary", "residents", {"zhang", "wang"}, {"zhao", "sun"}),
    ("GET /api/residents", "resident", "residents", {"chen"}, {"zhang", "li", "wang", "zhao", "sun"}),
    ("GET /api/residents", "nobody", "residents", set(), {"zhang", "li", "chen", "wang", "zhao", "sun"}),
    ("GET /api/appeals", "secretary", "appeals", {"e1", "e1b"}, {"w1"}),
    ("GET /api/appeals", "dept_handler", "appeals", {"e1d"}, {"e1", "w1"}),
    ("GET /api/volunteers/activities", "secretary", "activities", {"e1"}, {"w1"}),
    ("GET /api/wishes", "secretary", "wishes", {"e1"}, {"w1"}),
    ("GET /api/deliberation/matters", "grid_worker_2", "matters", {"e1"}, {"w1"}),
    ("GET /api/lovebank/accounts", "secretary", "accounts", {"chen"}, {"zhao", "sun"}),
    ("GET /api/lovebank/accounts", "street_admin", "accounts", {"chen", "zhao"}, {"sun"}),
    # 党建 (platform part)
    ("GET /api/party/orgs", "grid_worker_1", "party_orgs", {"e1", "e1_group"}, {"e1_org", "e1_b2", "w1", "west"}),
    ("GET /api/party/orgs", "secretary", "party_orgs", {"e1_org", "e1", "e1_b2"}, {"w1", "w1_org", "west"}),
    (
        "GET /api/party/members",
        "grid_worker_1",
        "party_members",
        {"e1", "e1_in_service"},
        {"e1_b2", "e1_pending", "w1"},
    ),
    ("GET /api/party/members", "secretary", "party_members", {"e1", "e1_b2", "e1_pending"}, {"w1"}),
    ("GET /api/party/members", "street_admin", "party_members", {"e1", "e1_b2"}, {"w1"}),
    ("GET /api/party/meetings", "grid_worker_1", "party_meetings", {"e1"}, {"w1"}),
    ("GET /api/party/meetings", "secretary", "party_meetings", {"e1"}, {"w1"}),
    # 功能室预约
    ("GET /api/places/bookings", "grid_worker_2", "bookings", {"e1", "e1_pending"}, {"w1"}),
    ("GET /api/places/bookings", "resident", "bookings", {"e1_pending"}, {"e1", "w1"}),
    # 便民服务
    ("GET /api/hall/appointments", "secretary", "hall_appointments", {"e1"}, {"w1"}),
    ("GET /api/hall/errands", "grid_worker_2", "hall_errands", {"e1_g2"}, {"e1", "w1"}),
    # 帮扶与共建
    ("GET /api/support/organisations", "grid_worker_2", "support_orgs", {"e1"}, {"w1"}),
    ("GET /api/support/pairings", "grid_worker_1", "help_pairings", {"e1"}, {"w1"}),
    ("GET /api/support/pairings", "grid_worker_2", "help_pairings", set(), {"e1", "w1"}),
]


@pytest.mark.parametrize("operation, persona, kind, present, absent", VISIBLE, ids=[f"{v[0]}-{v[1]}" for v in VISIBLE])
def test_a_list_holds_the_personas_rows_and_no_others(api_world, client, operation, persona, kind, present, absent):
    response = call(client, api_world, persona, operation, None, None)
    assert response.status_code == 200
    data = response.json()
    ids = {row["id"] for row in (data["items"] if isinstance(data, dict) else data)}
    objects = getattr(api_world, kind)
    assert {objects[k].pk for k in present} <= ids
    assert ids.isdisjoint({objects[k].pk for k in absent})


#: Operations open to everyone (a community's public wish board).
PUBLIC_OPERATIONS = {"GET /api/wishes/public/{code}", "GET /api/hall/public/{code}"}


@pytest.mark.parametrize(
    "operation, obj, body", [m[:3] for m in MATRIX], ids=[f"{m[0]}-{m[1][1] if m[1] else ''}" for m in MATRIX]
)
def test_an_anonymous_client_gets_401_from_every_operation_but_the_public_ones(api_world, client, operation, obj, body):
    method, template = operation.split(" ", 1)
    path = path_of(api_world, template, obj)
    with transaction.atomic():
        response = client.generic(method, path, body_json(body_of(api_world, body)), content_type="application/json")
        transaction.set_rollback(True)
    assert response.status_code == (200 if operation in PUBLIC_OPERATIONS else 401)
