"""The resident API, persona by persona: scope, permissions, masking, writes, auth and CSRF."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts.models import ApiToken
from linli.areas.models import Household
from linli.core.models import ChangeRecord, Source
from linli.residents.idcard import make_id_number
from linli.residents.models import Resident, RevealRecord
from linli.testing import make_resident

pytestmark = pytest.mark.django_db

LIST = "/api/residents"
EAST_STREET = {"张三", "李四", "陈奶奶", "王五", "赵六"}
GRID_1 = {"张三", "李四", "陈奶奶"}


def detail(resident):
    return f"/api/residents/{resident.pk}"


def reveal(resident):
    return f"/api/residents/{resident.pk}/reveal-id"


def names(response):
    assert response.status_code == 200, response.content
    return {r["name"] for r in response.json()["items"]}


def household(building, entrance=1, room="102"):
    return Household.objects.get(building=building, entrance=entrance, room=room)


def new_resident(world, **overrides):
    data = {
        "household": household(world.buildings["b1"]).pk,
        "name": "周八",
        "id_number": make_id_number("420107", datetime.date(1990, 4, 8), 7, "M"),
        "phone": "139 0000 7777",
        "relation": "head",
        "residence_type": "tenant",
        "tags": ["party_member"],
        "note": "新搬来",
    }
    data.update(overrides)
    return data


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


# --- scope matrix ---------------------------------------------------------------------------


def test_it_shows_the_street_admin_the_whole_street_and_nothing_of_other_streets(world, login):
    client = login(world.users["street_admin"])
    response = client.get(LIST)
    assert names(response) == EAST_STREET
    assert response.json()["count"] == 5
    assert client.get(detail(world.residents["wang"])).status_code == 200
    assert client.get(detail(world.residents["sun"])).status_code == 404
    assert names(client.get(LIST, {"q": "sunqi"})) == set()


def test_it_lists_only_the_grid_workers_own_grid(world, login):
    response = login(world.users["grid_worker_1"]).get(LIST)
    assert names(response) == GRID_1
    assert response.json()["count"] == 3


def test_it_hides_other_grids_residents_from_the_api(world, login):
    client = login(world.users["grid_worker_1"])
    wang = world.residents["wang"]
    assert "王五" not in names(client.get(LIST))
    response = client.get(detail(wang))
    assert response.status_code == 404
    assert response.json()["detail"] == "找不到这位居民，或不在您的管辖范围内。"
    searched = client.get(LIST, {"q": "wangwu"})
    assert names(searched) == set() and searched.json()["count"] == 0
    assert names(client.get(LIST, {"q": "2222"})) == set()  # 王五's phone's last 4 digits
    # Filtering by another grid or its building is refused, not answered with its rows.
    assert client.get(LIST, {"grid": world.grids["g2"].pk}).status_code == 422
    assert client.get(LIST, {"building": world.buildings["b2"].pk}).status_code == 422
    assert client.patch(detail(wang), {"note": "x"}, content_type="application/json").status_code == 404
    assert Resident.objects.get(pk=wang.pk).note == ""


def test_it_shows_the_second_grid_worker_only_wang_wu(world, login):
    client = login(world.users["grid_worker_2"])
    assert names(client.get(LIST)) == {"王五"}
    assert client.get(detail(world.residents["zhang"])).status_code == 404


@pytest.mark.parametrize("persona", ["dept_handler", "volunteer"])
def test_it_refuses_every_resident_endpoint_to_roles_without_the_registry(world, login, persona):
    client = login(world.users[persona])
    zhang = world.residents["zhang"]
    responses = [
        client.get(LIST),
        client.get(detail(zhang)),
        client.post(LIST, new_resident(world), content_type="application/json"),
        client.patch(detail(zhang), {"note": "x"}, content_type="application/json"),
        client.post(reveal(zhang)),
    ]
    assert [r.status_code for r in responses] == [403] * 5
    assert responses[0].json()["detail"] == "您的角色没有这项权限。"
    assert not Resident.objects.filter(name="周八").exists()
    assert not RevealRecord.objects.exists()


def test_a_resident_gets_only_her_own_record_on_detail_and_a_list_of_just_herself(world, login):
    client = login(world.users["resident"])
    chen = world.residents["chen"]
    assert names(client.get(LIST)) == {"陈奶奶"}
    assert client.get(LIST).json()["count"] == 1
    assert names(client.get(LIST, {"q": "zs"})) == set()
    own = client.get(detail(chen))
    assert own.status_code == 200 and own.json()["name"] == "陈奶奶"
    assert client.get(detail(world.residents["zhang"])).status_code == 404
    # Reading her record is all: no writes, no reveal.
    assert client.patch(detail(chen), {"note": "x"}, content_type="application/json").status_code == 403
    assert client.post(LIST, new_resident(world), content_type="application/json").status_code == 403
    assert client.post(reveal(chen)).status_code == 403


def test_it_shows_nothing_to_an_unassigned_user(world, login):
    client = login(world.users["nobody"])
    response = client.get(LIST)
    assert names(response) == set() and response.json()["count"] == 0
    assert client.get(detail(world.residents["zhang"])).status_code == 404
    response = client.post(LIST, new_resident(world), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "household"
    assert not Resident.objects.filter(name="周八").exists()


def test_it_requires_authentication(world, client):
    response = client.get(LIST)
    assert response.status_code == 401
    assert "登录" in response.json()["detail"]
    assert client.get(detail(world.residents["zhang"])).status_code == 401


# --- what a row shows -----------------------------------------------------------------------


def test_it_returns_the_documented_fields_and_never_the_cipher_or_hash(world, login):
    li = world.residents["li"]
    data = login(world.users["grid_worker_1"]).get(detail(li)).json()
    assert set(data) == {
        "id",
        "name",
        "sex",
        "birth_date",
        "age",
        "id_number_masked",
        "phone",
        "household",
        "address",
        "building",
        "grid",
        "community",
        "relation",
        "residence_type",
        "status",
        "tags",
        "hukou_place",
        "note",
        "emergency_contacts",
    }
    assert data["address"] == "1栋2单元502"
    assert data["household"] == li.household_id
    assert (data["building"], data["grid"], data["community"]) == (
        world.buildings["b1"].pk,
        world.grids["g1"].pk,
        world.communities["e1"].pk,
    )
    assert data["sex"] == "M" and data["birth_date"] == "1985-06-01"
    assert data["id_number_masked"] == li.id_masked and "*" in data["id_number_masked"]
    body = str(data)
    assert li.reveal_id_number() not in body and li.id_hash not in body


def test_it_masks_the_phone_for_roles_without_reveal_phone(world, login):
    chen = world.residents["chen"]
    # Only registry roles have resident.reveal_phone; a resident looking at herself does not.
    assert login(world.users["resident"]).get(detail(chen)).json()["phone"] == "137****0001"
    assert login(world.users["grid_worker_1"]).get(detail(chen)).json()["phone"] == "13700000001"


def test_it_lists_sensitive_tags_only_to_roles_allowed_to_see_them(world, login):
    chen = world.residents["chen"]
    chen.tags.add(world.tag("dibao"))  # 低保户 is a sensitive tag
    staff_view = login(world.users["grid_worker_1"]).get(detail(chen)).json()
    assert {t["code"] for t in staff_view["tags"]} == {"elderly60", "living_alone", "dibao"}
    assert {"code": "dibao", "name": "低保户"} in staff_view["tags"]
    own_view = login(world.users["resident"]).get(detail(chen)).json()
    assert {t["code"] for t in own_view["tags"]} == {"elderly60", "living_alone"}


# --- filters and pagination -------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "zs"}, {"张三"}),
        ({"q": "1栋2单元502"}, {"李四"}),
        ({"tag": "living_alone"}, {"张三", "陈奶奶"}),
        ({"residence_type": "tenant"}, {"陈奶奶"}),
        ({"sex": "F"}, {"陈奶奶"}),
        ({"min_age": 60}, {"张三", "陈奶奶"}),
        ({"max_age": 59}, {"李四"}),
    ],
)
def test_it_filters_with_the_resident_filterset(world, login, params, expected):
    assert names(login(world.users["grid_worker_1"]).get(LIST, params)) == expected


def test_it_filters_by_grid_building_and_tag_id(world, login):
    client = login(world.users["street_admin"])
    assert names(client.get(LIST, {"grid": world.grids["g2"].pk})) == {"王五"}
    assert names(client.get(LIST, {"building": world.buildings["b3"].pk})) == {"赵六"}
    assert names(client.get(LIST, {"tag": world.tag("empty_nest").pk})) == {"王五"}


def test_it_lists_active_residents_by_default_like_the_list_page(world, login):
    Resident.objects.filter(pk=world.residents["zhang"].pk).update(status="moved_out")
    client = login(world.users["grid_worker_1"])
    assert names(client.get(LIST)) == {"李四", "陈奶奶"}
    assert names(client.get(LIST, {"status": "moved_out"})) == {"张三"}
    assert names(client.get(LIST + "?status=")) == GRID_1


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "bogus"}, "status"),
        ({"sex": "X"}, "sex"),
        ({"residence_type": "castle"}, "residence_type"),
        ({"tag": "no_such_tag"}, "tag"),
        ({"grid": "abc"}, "grid"),
        ({"grid": "999999"}, "grid"),
        ({"grid": "9" * 25}, "grid"),  # past the bigint range: a 422, not an overflow in the driver
        ({"offset": "9" * 25}, "offset"),
        ({"min_age": "abc"}, "min_age"),
        ({"min_age": "5000"}, "min_age"),
        ({"max_age": "-1"}, "max_age"),
        ({"limit": "0"}, "limit"),
        ({"offset": "-5"}, "offset"),
    ],
)
def test_it_answers_invalid_filter_values_with_422_in_chinese(world, login, params, field):
    response = login(world.users["street_admin"]).get(LIST, params)
    assert response.status_code == 422, response.content
    errors = response.json()["detail"]
    assert errors[0]["field"] == field
    assert re.search(r"[\u4e00-\u9fff]", errors[0]["message"]), errors


def test_it_hides_sensitive_tags_from_the_tag_filter_of_roles_without_the_right(world, login):
    # A resident cannot filter by any tag; the answer does not reveal which tags exist.
    response = login(world.users["resident"]).get(LIST, {"tag": "dibao"})
    assert response.status_code == 422


def test_it_paginates_with_limit_and_offset_in_a_stable_order(world, login):
    client = login(world.users["street_admin"])
    full = client.get(LIST).json()
    assert full["count"] == 5 and len(full["items"]) == 5
    pages = [client.get(LIST, {"limit": 2, "offset": offset}).json() for offset in (0, 2, 4)]
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert all(p["count"] == 5 for p in pages)
    assert [r["id"] for p in pages for r in p["items"]] == [r["id"] for r in full["items"]]
    assert client.get(LIST).json() == full


def test_it_pages_by_50_by_default_and_caps_the_limit_at_200(world, login):
    building = world.buildings["b1"]
    rooms = list(Household.objects.filter(building=building).exclude(room__in=["101", "201"])[:11])
    seq = 10
    for h in rooms:
        for _ in range(2 if h.entrance == 1 else 1):
            seq += 1
            Resident.objects.create(
                name=f"居民{seq}",
                household=h,
                street_id=building.community.street_id,
                community_id=building.community_id,
                grid_id=building.grid_id,
                building=building,
            )
    total = Resident.objects.restrict(world.users["street_admin"]).active().count()
    client = login(world.users["street_admin"])
    assert len(client.get(LIST).json()["items"]) == min(total, 50)
    bulk = [
        Resident(
            name=f"批量{i}",
            household=rooms[0],
            street_id=building.community.street_id,
            community_id=building.community_id,
            grid_id=building.grid_id,
            building=building,
        )
        for i in range(230)
    ]
    Resident.objects.bulk_create(bulk)
    assert len(client.get(LIST).json()["items"]) == 50
    response = client.get(LIST, {"limit": 1000}).json()
    assert len(response["items"]) == 200 and response["count"] == total + 230


def test_the_list_does_not_query_per_row(world, login):
    client = login(world.users["grid_worker_1"])
    client.get(LIST)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST).json()["items"]) == 3
    building = world.buildings["b1"]
    for i, room in enumerate(["102", "202", "302", "402"]):
        make_resident(
            building, f"新住户{i}", room=room, seq=20 + i, tags=["elderly60", "dibao"], phone=f"1390000{i:04d}"
        )
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST).json()["items"]) == 7
    assert len(many) == len(few)


# --- token and session authentication ---------------------------------------------------------


def test_it_accepts_a_bearer_token_and_notes_when_it_was_used(world, client):
    token, key = ApiToken.issue(world.users["grid_worker_1"], "手机端")
    response = client.get(LIST, **bearer(key))
    assert names(response) == GRID_1
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_writes_last_used_at_at_most_once_a_minute(world, client, monkeypatch):
    token, key = ApiToken.issue(world.users["grid_worker_1"], "手机端")
    client.get(LIST, **bearer(key))
    token.refresh_from_db()
    first = token.last_used_at
    client.get(LIST, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == first
    # two minutes later (the clock moves: the token is in this process's cache, which a bulk UPDATE would not reach)
    later = timezone.now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    client.get(LIST, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at > first


def test_it_refuses_a_revoked_token_with_401(world, client):
    token, key = ApiToken.issue(world.users["grid_worker_1"], "旧手机")
    token.revoked = True
    token.save()
    response = client.get(LIST, **bearer(key))
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]
    # A write with a revoked token is a 401 too, never a CSRF 403 or a fall-through to a session.
    assert client.post(LIST, new_resident(world), content_type="application/json", **bearer(key)).status_code == 401


def test_it_refuses_a_bad_token_or_an_inactive_users_token(world, client):
    assert client.get(LIST, **bearer("ll_not-a-real-key")).status_code == 401
    user = world.users["grid_worker_1"]
    _, key = ApiToken.issue(user, "手机端")
    user.is_active = False
    user.save()
    assert client.get(LIST, **bearer(key)).status_code == 401


def test_a_bad_token_is_refused_even_on_a_logged_in_browser(world, login):
    client = login(world.users["street_admin"])
    assert client.get(LIST, **bearer("ll_wrong")).status_code == 401


def test_a_token_write_needs_no_csrf_token(world):
    _, key = ApiToken.issue(world.users["grid_worker_1"], "导入脚本", scope="write")
    client = Client(enforce_csrf_checks=True)
    response = client.post(LIST, new_resident(world), content_type="application/json", **bearer(key))
    assert response.status_code == 201, response.content


def test_it_refuses_a_session_write_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["grid_worker_1"])
    assert client.get(LIST).status_code == 200  # reads need no CSRF token
    response = client.post(LIST, new_resident(world), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    zhang = world.residents["zhang"]
    assert client.patch(detail(zhang), {"note": "x"}, content_type="application/json").status_code == 403
    assert client.post(reveal(zhang)).status_code == 403
    assert not Resident.objects.filter(name="周八").exists()
    # With the token (as /api/docs and the pages send it) the same write goes through.
    client.get("/api/docs")
    csrf = client.cookies["csrftoken"].value
    response = client.post(LIST, new_resident(world), content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.content


# --- writes -----------------------------------------------------------------------------------


def test_a_grid_worker_registers_a_resident_through_the_service(world, login):
    client = login(world.users["grid_worker_1"])
    response = client.post(LIST, new_resident(world), content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["name"] == "周八" and data["address"] == "1栋1单元102"
    assert data["phone"] == "13900007777"  # normalised by the service
    assert data["sex"] == "M" and data["birth_date"] == "1990-04-08"
    assert [t["code"] for t in data["tags"]] == ["party_member"]
    resident = Resident.objects.get(pk=data["id"])
    assert resident.grid_id == world.grids["g1"].pk and resident.residence_type == "tenant"
    record = ChangeRecord.objects.get(object_id=resident.pk, action="create")
    assert record.source == Source.API and record.actor == world.users["grid_worker_1"]


def test_a_bad_id_number_is_refused_with_the_chinese_check_digit_message_and_nothing_written(world, login):
    good = make_id_number("420107", datetime.date(1990, 4, 8), 7, "M")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = Resident.objects.count(), ChangeRecord.objects.count()
    response = login(world.users["grid_worker_1"]).post(
        LIST, new_resident(world, id_number=bad), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json() == {"detail": [{"field": "id_number", "message": "身份证号码校验位不正确"}]}
    assert (Resident.objects.count(), ChangeRecord.objects.count()) == before


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"name": "  "}, "name"),
        ({"phone": "12345"}, "phone"),
        ({"tags": ["no_such_tag"]}, "tags"),
        ({"relation": "boss"}, "relation"),
        ({"household": 999999}, "household"),
        ({"name": None}, "name"),
    ],
)
def test_it_answers_invalid_resident_data_with_422_and_writes_nothing(world, login, overrides, field):
    response = login(world.users["grid_worker_1"]).post(
        LIST, new_resident(world, **overrides), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    error = response.json()["detail"][0]
    assert error["field"] == field and re.search(r"[\u4e00-\u9fff]", error["message"])
    assert not Resident.objects.filter(household=household(world.buildings["b1"])).exists()


def test_it_refuses_to_register_a_resident_in_another_grid(world, login):
    response = login(world.users["grid_worker_1"]).post(
        LIST, new_resident(world, household=household(world.buildings["b2"]).pk), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "household"
    assert not Resident.objects.filter(name="周八").exists()


def test_it_refuses_a_duplicate_id_number_in_the_community(world, login):
    number = world.residents["zhang"].reveal_id_number()
    response = login(world.users["grid_worker_1"]).post(
        LIST, new_resident(world, id_number=number), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "id_number"


def test_patch_changes_only_the_fields_sent(world, login):
    zhang = world.residents["zhang"]
    before = Resident.objects.get(pk=zhang.pk)
    response = login(world.users["grid_worker_1"]).patch(
        detail(zhang), {"phone": "13811112222", "status": "moved_out"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    after = Resident.objects.get(pk=zhang.pk)
    assert (after.phone, after.status) == ("13811112222", "moved_out")
    assert (after.name, after.id_hash, after.note, after.household_id) == (
        before.name,
        before.id_hash,
        before.note,
        before.household_id,
    )
    assert {t.code for t in after.tags.all()} == {"elderly60", "living_alone"}
    record = ChangeRecord.objects.get(object_id=zhang.pk, action="update")
    assert record.source == Source.API


def test_patch_moves_a_resident_and_replaces_tags(world, login):
    li = world.residents["li"]
    target = household(world.buildings["b1"], entrance=2, room="602")
    response = login(world.users["grid_worker_1"]).patch(
        detail(li), {"household": target.pk, "tags": ["veteran"]}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["address"] == "1栋2单元602"
    assert [t["code"] for t in response.json()["tags"]] == ["veteran"]


def test_patch_refuses_a_bad_id_number_and_keeps_the_old_one(world, login):
    zhang = world.residents["zhang"]
    response = login(world.users["grid_worker_1"]).patch(
        detail(zhang), {"id_number": "420107195003050000", "note": "改"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "id_number"
    fresh = Resident.objects.get(pk=zhang.pk)
    assert fresh.id_hash == zhang.id_hash and fresh.note == ""


def test_patch_refuses_a_null_for_a_required_field(world, login):
    response = login(world.users["grid_worker_1"]).patch(
        detail(world.residents["zhang"]), {"name": None}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "name"


def test_a_misspelt_field_is_refused_not_silently_ignored(world, login):
    zhang = world.residents["zhang"]
    response = login(world.users["grid_worker_1"]).patch(
        detail(zhang), {"nmae": "张叁"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "nmae", "message": "不支持这个字段。"}]


def test_a_malformed_body_is_a_chinese_error_not_a_500(world, login):
    response = login(world.users["grid_worker_1"]).post(LIST, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert re.search(r"[\u4e00-\u9fff]", str(response.json()["detail"]))


# --- reveal -----------------------------------------------------------------------------------


def test_reveal_id_returns_the_full_number_and_records_who_saw_it(world, login):
    zhang = world.residents["zhang"]
    response = login(world.users["street_admin"]).post(reveal(zhang), REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"id": zhang.pk, "id_number": zhang.reveal_id_number()}
    assert "no-store" in response["Cache-Control"]
    record = RevealRecord.objects.get()
    assert (record.user, record.resident, record.field, record.ip) == (
        world.users["street_admin"],
        zhang,
        "id_number",
        "10.0.0.7",
    )


def test_reveal_id_is_refused_to_grid_workers_and_nothing_is_recorded(world, login):
    response = login(world.users["grid_worker_1"]).post(reveal(world.residents["zhang"]))
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色没有这项权限。"
    assert not RevealRecord.objects.exists()


def test_reveal_id_outside_scope_is_404_and_not_recorded(world, login):
    response = login(world.users["street_admin"]).post(reveal(world.residents["sun"]))
    assert response.status_code == 404
    assert not RevealRecord.objects.exists()


def test_reveal_id_is_refused_on_get(world, login):
    assert login(world.users["street_admin"]).get(reveal(world.residents["zhang"])).status_code == 405
    assert not RevealRecord.objects.exists()
