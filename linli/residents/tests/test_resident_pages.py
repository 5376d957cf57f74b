"""Resident pages, persona by persona: nothing outside scope is listed, shown, counted or searched."""

import pytest
from django.urls import reverse

from linli.core.models import ChangeRecord
from linli.residents.models import Resident, RevealRecord

pytestmark = pytest.mark.django_db


def names(response):
    return {r.name for r in response.context["page"]}


def test_it_lists_only_the_grid_workers_own_grid(world, login):
    response = login(world.users["grid_worker_1"]).get(reverse("residents:resident_list"))
    assert response.status_code == 200
    assert names(response) == {"张三", "李四", "陈奶奶"}


def test_it_hides_other_grids_residents(world, login):
    client = login(world.users["grid_worker_2"])
    assert names(client.get(reverse("residents:resident_list"))) == {"王五"}
    assert client.get(reverse("residents:resident_detail", args=[world.residents["zhang"].pk])).status_code == 404
    assert client.get(reverse("residents:resident_edit", args=[world.residents["zhang"].pk])).status_code == 404


def test_it_shows_the_street_admin_the_whole_street_and_nothing_of_other_streets(world, login):
    client = login(world.users["street_admin"])
    assert names(client.get(reverse("residents:resident_list"))) == {"张三", "李四", "陈奶奶", "王五", "赵六"}
    assert client.get(reverse("residents:resident_detail", args=[world.residents["sun"].pk])).status_code == 404


def test_it_counts_only_residents_in_scope_on_the_home_page(world, login):
    response = login(world.users["grid_worker_1"]).get(reverse("core:home"))
    assert response.context["stats"]["total"] == 3
    assert response.context["stats"]["buildings"] == 1


@pytest.mark.parametrize("persona", ["dept_handler", "volunteer"])
def test_it_refuses_the_registry_to_roles_without_it(world, login, persona):
    client = login(world.users[persona])
    assert client.get(reverse("residents:resident_list")).status_code == 403
    assert client.get(reverse("residents:resident_detail", args=[world.residents["zhang"].pk])).status_code == 403
    assert client.get(reverse("residents:resident_search"), {"q": "zs"}).status_code == 403


def test_it_shows_nothing_to_an_unassigned_user(world, login):
    client = login(world.users["nobody"])
    assert names(client.get(reverse("residents:resident_list"))) == set()
    assert client.get(reverse("residents:resident_detail", args=[world.residents["zhang"].pk])).status_code == 404
    assert client.get(reverse("core:home")).context["stats"]["total"] == 0


def test_a_resident_sees_only_her_own_record(world, login):
    client = login(world.users["resident"])
    assert client.get(reverse("residents:my_record")).status_code == 200
    assert client.get(reverse("residents:resident_detail", args=[world.residents["chen"].pk])).status_code == 403
    assert client.get(reverse("residents:resident_list")).status_code == 403


def test_it_redirects_anonymous_visitors_to_login(client, world):
    response = client.get(reverse("residents:resident_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("zs", {"张三"}),
        ("zhangsan", {"张三"}),
        ("张", {"张三"}),
        ("5678", {"张三"}),
        ("1栋2单元502", {"李四"}),
        ("一栋201", {"陈奶奶"}),
        ("cnn", {"陈奶奶"}),
    ],
)
def test_it_finds_residents_by_name_pinyin_initials_phone_and_address(world, login, text, expected):
    response = login(world.users["grid_worker_1"]).get(reverse("residents:resident_search"), {"q": text})
    assert {r.name for r in response.context["results"]} == expected


def test_search_never_reaches_outside_scope(world, login):
    response = login(world.users["grid_worker_1"]).get(reverse("residents:resident_search"), {"q": "wangwu"})
    assert response.context["results"] == []


def test_the_list_search_answers_htmx_with_just_the_rows(world, login):
    response = login(world.users["grid_worker_1"]).get(
        reverse("residents:resident_list"), {"q": "ls"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="resident-results"
    )
    assert response.templates[0].name == "residents/_resident_results.html"
    assert names(response) == {"李四"}


def test_it_filters_by_tag_within_scope(world, login):
    tag = world.tag("living_alone")
    response = login(world.users["street_admin"]).get(reverse("residents:resident_list"), {"tag": tag.pk})
    assert names(response) == {"张三", "陈奶奶"}


def test_ids_are_masked_and_phones_masked_for_roles_without_the_right(world, login):
    zhang = world.residents["zhang"]
    page = (
        login(world.users["grid_worker_1"]).get(reverse("residents:resident_detail", args=[zhang.pk])).content.decode()
    )
    assert zhang.id_masked in page and zhang.reveal_id_number() not in page
    assert "查看完整号码" not in page
    assert "13812345678" in page  # grid workers may call residents


def test_secretary_reveals_an_id_and_the_reveal_is_recorded(world, login):
    zhang = world.residents["zhang"]
    client = login(world.users["secretary"])
    response = client.post(reverse("residents:resident_reveal_id", args=[zhang.pk]), HTTP_HX_REQUEST="true")
    assert zhang.reveal_id_number() in response.content.decode()
    record = RevealRecord.objects.get()
    assert (record.user, record.resident) == (world.users["secretary"], zhang)


def test_a_grid_worker_may_not_reveal_ids(world, login):
    response = login(world.users["grid_worker_1"]).post(
        reverse("residents:resident_reveal_id", args=[world.residents["zhang"].pk])
    )
    assert response.status_code == 403
    assert not RevealRecord.objects.exists()


def form_data(building, **overrides):
    data = {
        "name": "周八",
        "id_number": "11010519491231002x",
        "phone": "138 1111 2222",
        "building": building.pk,
        "entrance": 1,
        "room": "301",
        "relation": "head",
        "residence_type": "permanent",
        "status": "active",
        "hukou_place": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_staff_register_a_resident_and_the_id_derives_birth_and_sex(world, login):
    client = login(world.users["grid_worker_1"])
    response = client.post(reverse("residents:resident_add"), form_data(world.buildings["b1"]))
    assert response.status_code == 302
    zhou = Resident.objects.get(name="周八")
    assert zhou.id_masked == "110105********002X"
    assert str(zhou.birth_date) == "1949-12-31" and zhou.sex == "F"
    assert zhou.phone == "13811112222" and zhou.grid == world.grids["g1"]
    assert ChangeRecord.objects.filter(object_id=zhou.pk, action="create").exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("id_number", "110105194912310021", "校验位"),
        ("id_number", "110105194902300028", "出生日期"),
        ("phone", "12345", "格式不正确"),
        ("room", "9999", "没有9999室"),
        ("name", "", "请填写姓名"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_changes_nothing(world, login, field, value, message):
    client = login(world.users["grid_worker_1"])
    before = Resident.objects.count(), ChangeRecord.objects.count()
    response = client.post(reverse("residents:resident_add"), form_data(world.buildings["b1"], **{field: value}))
    assert response.status_code == 200
    assert message in " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert (Resident.objects.count(), ChangeRecord.objects.count()) == before


def test_it_refuses_a_duplicate_id_in_the_same_community(world, login):
    client = login(world.users["secretary"])
    number = world.residents["zhang"].reveal_id_number()
    response = client.post(reverse("residents:resident_add"), form_data(world.buildings["b2"], id_number=number))
    assert "本社区已有居民" in str(response.context["form"].errors["id_number"])
    assert Resident.objects.count() == 6


def test_a_grid_worker_cannot_register_into_another_grids_building(world, login):
    client = login(world.users["grid_worker_1"])
    response = client.post(reverse("residents:resident_add"), form_data(world.buildings["b2"]))
    assert response.status_code == 200 and "building" in response.context["form"].errors
    assert not Resident.objects.filter(name="周八").exists()


def test_editing_records_before_and_after(world, login):
    zhang = world.residents["zhang"]
    client = login(world.users["grid_worker_1"])
    data = form_data(
        world.buildings["b1"], name="张三", id_number="", phone="13812345678", room="101", note="独居，女儿在外地"
    )
    data["tags"] = [world.tag("elderly60").pk]
    assert client.post(reverse("residents:resident_edit", args=[zhang.pk]), data).status_code == 302
    zhang.refresh_from_db()
    assert zhang.note == "独居，女儿在外地" and zhang.id_masked  # empty ID field keeps the ID
    record = ChangeRecord.objects.filter(object_id=zhang.pk, action="update").get()
    assert record.changes["备注"] == ["", "独居，女儿在外地"]
    assert record.changes["人员标签"] == [["60岁以上老人", "独居老人"], ["60岁以上老人"]]
    assert record.actor == world.users["grid_worker_1"]
    page = client.get(reverse("residents:resident_detail", args=[zhang.pk])).content.decode()
    assert "独居，女儿在外地" in page and "修改记录" in page


def test_deleting_a_resident_is_recorded(world, login):
    wang = world.residents["wang"]
    client = login(world.users["street_admin"])
    response = client.post(reverse("residents:resident_delete", args=[wang.pk]), {"reason": "重复登记"})
    assert response.status_code == 302
    assert not Resident.objects.filter(pk=wang.pk).exists()
    record = ChangeRecord.objects.get(object_id=wang.pk, action="delete", object_repr="王五")
    assert record.note == "删除原因：重复登记"


def test_the_resident_list_runs_a_fixed_number_of_queries(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from linli.testing import make_resident

    client = login(world.users["street_admin"])
    client.get(reverse("residents:resident_list"))  # the first request also starts the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("residents:resident_list"))
    for i in range(8):
        make_resident(world.buildings["b2"], f"新居民{i}", room="401", seq=20 + i, tags=["elderly60", "disabled"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("residents:resident_list"))
    assert response.context["page"].paginator.count == 13
    assert len(many) == len(few) <= 14


@pytest.mark.parametrize(
    "query",
    [
        {"grid": "99999999999999999999999"},
        {"building": "-1"},
        {"tag": "abc"},
        {"min_age": "1e9"},
        {"page": "999999"},
    ],
)
def test_malformed_filters_never_cause_a_server_error(world, login, query):
    response = login(world.users["street_admin"]).get(reverse("residents:resident_list"), query)
    assert response.status_code == 200
