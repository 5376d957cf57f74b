"""Care-group tags: global tags (独居老人, 精神障碍患者…) are the whole installation's and only a superuser
changes them; a secretary keeps the tags of their own community and nothing else.

Reproduces the attack of issue 13: a secretary of one street set 独居老人's visit interval to 365 days
for the whole city and switched off 精神障碍患者's sensitivity.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from linli.core.audit import Actor
from linli.core.models import ChangeRecord
from linli.residents import services
from linli.residents.models import Resident, Tag
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def tag_post(tag, **changes):
    data = {
        "name": tag.name,
        "code": tag.code,
        "visit_interval_days": tag.visit_interval_days or "",
        "color": tag.color,
        "order": tag.order,
        "is_active": "on" if tag.is_active else "",
    }
    if tag.sensitive:
        data["sensitive"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def own_tag(world, key="e1", **fields):
    fields = {"code": f"{key}_tag", "name": f"{key}关注对象", **fields}
    return services.save_tag(Tag(community=world.communities[key], **fields), SYSTEM)


@pytest.mark.parametrize("persona", ["secretary", "street_admin"])
def test_a_secretary_cannot_set_a_global_tags_visit_interval_for_the_whole_city(world, login, persona):
    living_alone = world.tag("living_alone")
    client = login(world.users[persona])
    response = client.post(
        reverse("residents:tag_edit", args=[living_alone.pk]), tag_post(living_alone, visit_interval_days=365)
    )
    assert response.status_code == 403
    living_alone.refresh_from_db()
    assert living_alone.visit_interval_days == 7
    assert not ChangeRecord.objects.filter(object_id=living_alone.pk, content_type__model="tag").exists()
    # and the residents' visit policy did not follow
    assert Resident.objects.get(pk=world.residents["zhang"].pk).visit_interval_days == 7


@pytest.mark.parametrize("persona", ["secretary", "street_admin"])
def test_a_secretary_cannot_switch_off_a_global_tags_sensitivity(world, login, persona):
    mental = world.tag("mental_disorder")
    data = tag_post(mental)
    data.pop("sensitive")
    response = login(world.users[persona]).post(reverse("residents:tag_edit", args=[mental.pk]), data)
    assert response.status_code == 403
    mental.refresh_from_db()
    assert mental.sensitive is True


def test_the_service_refuses_a_global_tag_change_too(world):
    """The API, commands and any later page go through save_tag: the rule holds there, not only in the view."""
    living_alone = world.tag("living_alone")
    living_alone.visit_interval_days = 365
    with pytest.raises(PermissionDenied):
        services.save_tag(living_alone, Actor(user=world.users["secretary"]))
    assert Tag.objects.get(pk=living_alone.pk).visit_interval_days == 7
    new_global = Tag(code="x", name="新全局标签")
    with pytest.raises(PermissionDenied):
        services.save_tag(new_global, Actor(user=world.users["secretary"]))
    assert not Tag.objects.filter(code="x").exists()


def test_a_global_tag_opens_read_only_with_a_note(world, login):
    page = login(world.users["secretary"]).get(reverse("residents:tag_edit", args=[world.tag("living_alone").pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "只读" in html and "全市通用标签" in html and "只有系统管理员可以修改" in html
    assert "保存</button>" not in html
    assert all(field.disabled for field in page.context["form"].fields.values())
    listing = login(world.users["secretary"]).get(reverse("residents:tag_list")).content.decode()
    assert "全市通用" in listing and "查看" in listing


def test_a_superuser_changes_a_global_tag(world, login):
    from linli.accounts.models import User

    root = User.objects.create_superuser(username="root", password="x-Very-long-2026")
    living_alone = world.tag("living_alone")
    response = login(root).post(
        reverse("residents:tag_edit", args=[living_alone.pk]), tag_post(living_alone, visit_interval_days=10)
    )
    assert response.status_code == 302
    living_alone.refresh_from_db()
    assert living_alone.visit_interval_days == 10
    assert Resident.objects.get(pk=world.residents["zhang"].pk).visit_interval_days == 10


def test_a_secretary_adds_and_edits_a_tag_of_their_own_community(world, login):
    client = login(world.users["secretary"])
    data = {"name": "重点关注", "code": "e1_focus", "community": world.communities["e1"].pk}
    data.update({"visit_interval_days": 20, "sensitive": "on", "color": "red", "order": 5, "is_active": "on"})
    assert client.post(reverse("residents:tag_add"), data).status_code == 302
    tag = Tag.objects.get(code="e1_focus")
    assert tag.community == world.communities["e1"] and tag.visit_interval_days == 20
    edit = tag_post(tag, visit_interval_days=30)
    assert client.post(reverse("residents:tag_edit", args=[tag.pk]), edit).status_code == 302
    tag.refresh_from_db()
    assert tag.visit_interval_days == 30


@pytest.mark.parametrize("community", ["w1", "e2", ""])
def test_a_secretary_cannot_add_a_tag_outside_their_community(world, login, community):
    client = login(world.users["secretary"])
    data = {"name": "越权标签", "code": "bad", "color": "red", "order": 5, "is_active": "on"}
    if community:
        data["community"] = world.communities[community].pk
    response = client.post(reverse("residents:tag_add"), data)
    assert response.status_code == 200 and (
        "的选项无效" in response.content.decode() or "请选择" in response.content.decode()
    )
    assert not Tag.objects.filter(code="bad").exists()


def test_a_secretary_cannot_touch_another_communitys_tag(world, login):
    theirs = own_tag(world, "e2", visit_interval_days=14)
    client = login(world.users["secretary"])
    url = reverse("residents:tag_edit", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, tag_post(theirs, visit_interval_days=365)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.visit_interval_days == 14
    # the street above keeps it
    assert login(world.users["street_admin"]).post(url, tag_post(theirs, visit_interval_days=21)).status_code == 302


def test_a_community_tag_cannot_move_to_another_community(world, login):
    mine = own_tag(world, "e1")
    data = tag_post(mine, community=world.communities["w1"].pk)
    assert login(world.users["secretary"]).post(reverse("residents:tag_edit", args=[mine.pk]), data).status_code == 302
    mine.refresh_from_db()
    assert mine.community == world.communities["e1"]


def test_a_community_tag_may_not_take_a_global_tags_name(world):
    with pytest.raises(ValidationError) as exc:
        services.save_tag(
            Tag(code="e1_alone", name="独居老人", community=world.communities["e1"]),
            Actor(user=world.users["secretary"]),
        )
    assert "同名" in str(exc.value)


def test_community_tags_are_seen_only_inside_their_area_and_fit_only_their_residents(world):
    e1, e2 = own_tag(world, "e1"), own_tag(world, "e2")
    seen = set(Tag.objects.restrict(world.users["grid_worker_1"]).values_list("code", flat=True))
    assert "e1_tag" in seen and "e2_tag" not in seen and "living_alone" in seen
    assert {"e1_tag", "e2_tag"} <= set(Tag.objects.restrict(world.users["street_admin"]).values_list("code", flat=True))
    zhang = world.residents["zhang"]  # 东一社区
    with pytest.raises(ValidationError):
        services.update_resident(zhang, actor=SYSTEM, tags=[e2])
    services.update_resident(zhang, actor=SYSTEM, tags=[e1])
    assert list(zhang.tags.values_list("code", flat=True)) == ["e1_tag"]
