"""批量设置标签 from the resident list: a confirmation naming the count, all ticked residents in scope or
nothing changes, one change record per resident whose tags changed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from linli.core.audit import actor_of
from linli.core.models import ChangeRecord
from linli.residents import services
from linli.residents.models import Resident

pytestmark = pytest.mark.django_db

URL = reverse("residents:resident_bulk_tag")


def post(client, residents, tag, op="add", confirm=False):
    data = {"ids": [r.pk for r in residents], "tag": tag.pk, "op": op, "back": "grid=1&page=3"}
    if confirm:
        data["confirm"] = "1"
    return client.post(URL, data)


def tags_of(resident):
    return set(Resident.objects.get(pk=resident.pk).tags.values_list("code", flat=True))


def test_it_asks_for_confirmation_naming_the_count_before_changing_anything(world, login):
    r = world.residents
    response = post(login(world.users["secretary"]), [r["li"], r["wang"]], world.tag("living_alone"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "确认为 2 位居民添加标签“独居老人”？" in page
    assert "李四" in page and "王五" in page
    assert "living_alone" not in tags_of(r["li"]) and "living_alone" not in tags_of(r["wang"])


def test_it_tags_every_ticked_resident_with_one_change_record_each(world, login):
    r = world.residents
    client = login(world.users["secretary"])
    before = ChangeRecord.objects.count()
    response = post(client, [r["li"], r["wang"], r["zhang"]], world.tag("living_alone"), confirm=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:resident_list") + "?grid=1"
    assert all("living_alone" in tags_of(x) for x in (r["li"], r["wang"], r["zhang"]))
    # 张三 already had the tag: unchanged, no record
    records = ChangeRecord.objects.order_by("id")[before:]
    assert sorted(c.object_id for c in records) == sorted([r["li"].pk, r["wang"].pk])
    assert all(c.actor == world.users["secretary"] and "批量添加标签“独居老人”" in c.note for c in records)
    messages = [m.message for m in response.wsgi_request._messages]
    assert messages == ["已为 2 位居民添加标签“独居老人”（1 位原本已有此标签，未改动）。"]


def test_it_removes_a_tag_from_the_ticked_residents(world, login):
    r = world.residents
    client = login(world.users["secretary"])
    post(client, [r["zhang"], r["chen"]], world.tag("elderly60"), op="remove", confirm=True)
    assert "elderly60" not in tags_of(r["zhang"]) and "elderly60" not in tags_of(r["chen"])
    assert "living_alone" in tags_of(r["zhang"])


@pytest.mark.parametrize("confirm", [False, True])
def test_it_refuses_the_whole_selection_when_one_resident_is_outside_scope(world, login, confirm):
    r = world.residents
    before = ChangeRecord.objects.count()
    # grid_worker_1 keeps grid 1 (张三, 李四, 陈奶奶); 王五 lives in grid 2
    response = post(
        login(world.users["grid_worker_1"]), [r["li"], r["wang"]], world.tag("living_alone"), confirm=confirm
    )
    assert response.status_code == 403
    assert "living_alone" not in tags_of(r["li"])
    assert ChangeRecord.objects.count() == before


def test_the_service_refuses_out_of_scope_residents_and_changes_nothing(world):
    r = world.residents
    with pytest.raises(PermissionDenied):
        services.bulk_tag(
            [r["li"].pk, r["sun"].pk], world.tag("living_alone"), add=True, actor=actor_of(world.users["secretary"])
        )
    assert "living_alone" not in tags_of(r["li"])


def test_it_refuses_another_communitys_tag(world):
    from linli.residents.models import Tag
    from linli.testing import SYSTEM

    e2_tag = services.save_tag(Tag(community=world.communities["e2"], code="e2x", name="东二关注"), SYSTEM)
    with pytest.raises(ValidationError):
        services.bulk_tag([world.residents["li"].pk], e2_tag, add=True, actor=SYSTEM)
    assert "e2x" not in tags_of(world.residents["li"])


def test_a_bad_or_empty_selection_changes_nothing_and_says_why(world, login):
    client = login(world.users["secretary"])
    tag = world.tag("living_alone")
    response = client.post(URL, {"tag": tag.pk, "op": "add", "confirm": "1"})
    assert response.status_code == 302
    assert [m.message for m in response.wsgi_request._messages] == ["请先勾选要处理的条目。"]
    response = client.post(URL, {"ids": ["²"], "tag": tag.pk, "op": "add", "confirm": "1"})
    assert response.status_code == 302
    assert "无效" in [m.message for m in response.wsgi_request._messages][-1]


def test_the_list_shows_checkboxes_to_roles_that_change_residents_only(world, login):
    page = login(world.users["secretary"]).get(reverse("residents:resident_list")).content.decode()
    assert 'name="ids"' in page and "添加标签" in page
