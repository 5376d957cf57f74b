"""常用名单: made from an audience or empty, members added by search and removed, scoped to what the user may see;
renamed and deleted by its creator or a manager; a send through a list reaches only what the sender may reach."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from linli.core.audit import actor_of
from linli.notices import services, services_saved
from linli.notices.audience import Audience
from linli.notices.models import SavedAudience
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def _list(world, *people, key="e1", name="楼栋长"):
    from linli.residents.models import Resident

    ids = [world.residents[p].pk for p in people]
    return services_saved.create_saved_audience(
        actor=SYSTEM, community=world.communities[key], name=name, residents=Resident.objects.filter(pk__in=ids)
    )


def test_a_list_is_made_from_the_audience_the_picker_shows(world, login):
    client = login(world.users["staff"])
    query = f"community={world.communities['e1'].pk}&tags={world.tag('living_alone').pk}"
    page = client.get(f"{reverse('notices:saved_audience_add')}?{query}").content.decode()
    assert "名单里将有 <b>2</b> 人" in page
    response = client.post(
        reverse("notices:saved_audience_add"),
        {"community": world.communities["e1"].pk, "name": "独居老人", "audience": query},
    )
    assert response.status_code == 302
    saved = SavedAudience.objects.get(name="独居老人")
    assert sorted(saved.residents.values_list("name", flat=True)) == ["张三", "陈奶奶"]


def test_an_empty_list_gets_members_by_search_and_loses_them_again(world, login):
    client = login(world.users["staff"])
    client.post(reverse("notices:saved_audience_add"), {"community": world.communities["e1"].pk, "name": "秧歌队"})
    saved = SavedAudience.objects.get(name="秧歌队")
    detail = reverse("notices:saved_audience_detail", args=[saved.pk])
    hits = client.get(detail, {"q": "张"}).content.decode()
    assert "张三" in hits
    members = reverse("notices:saved_audience_members", args=[saved.pk])
    client.post(members, {"add": [world.residents["zhang"].pk, world.residents["wang"].pk]})
    assert set(saved.residents.values_list("name", flat=True)) == {"张三", "王五"}
    client.post(members, {"remove": world.residents["wang"].pk})
    assert list(saved.residents.values_list("name", flat=True)) == ["张三"]


def test_a_name_is_unique_in_the_community(world, login):
    _list(world, name="楼栋长")
    response = login(world.users["staff"]).post(
        reverse("notices:saved_audience_add"), {"community": world.communities["e1"].pk, "name": "楼栋长"}
    )
    assert response.status_code == 400 and "同名" in response.content.decode()
    assert SavedAudience.objects.count() == 1


def test_a_grid_worker_adds_only_their_grids_residents(world):
    saved = _list(world)
    with pytest.raises(ValidationError):
        services_saved.add_members(
            saved, actor=actor_of(world.users["grid_worker_1"]), resident_ids=[world.residents["wang"].pk]
        )
    assert not saved.residents.exists()
    with pytest.raises(ValidationError):  # another community's resident, even for the street
        services_saved.add_members(
            saved, actor=actor_of(world.users["street_admin"]), resident_ids=[world.residents["zhao"].pk]
        )
    added = services_saved.add_members(
        saved, actor=actor_of(world.users["grid_worker_1"]), resident_ids=[world.residents["zhang"].pk]
    )
    assert added == 1


def test_a_grid_worker_sees_only_their_members_and_sends_only_to_them(world, login):
    saved = _list(world, "zhang", "li", "wang")
    page = login(world.users["grid_worker_2"]).get(reverse("notices:saved_audience_detail", args=[saved.pk]))
    text = page.content.decode()
    assert "王五" in text and "张三" not in text and "李四" not in text
    assert "其中 2 人不在您的管辖范围内" in text
    e1 = world.communities["e1"]
    audience = Audience(community_id=e1.pk, saved_list_id=saved.pk)
    assert audience.counts(world.users["grid_worker_2"]) == (1, 1)
    assert audience.counts(world.users["staff"]) == (3, 3)
    notice = services.create_notice(
        actor=actor_of(world.users["grid_worker_2"]),
        community=e1,
        audience=audience,
        title="排练通知",
        body="周六排练。",
        channels=["in_app"],
    )
    notice = services.send_notice(notice, actor=actor_of(world.users["grid_worker_2"]))
    assert notice.resident_count == 1


def test_only_the_creator_or_a_manager_renames_or_deletes(world, login):
    saved = _list(world)
    with pytest.raises(ValidationError):
        services_saved.update_saved_audience(saved, actor=actor_of(world.users["grid_worker_1"]), name="新名字")
    client = login(world.users["grid_worker_1"])
    client.post(reverse("notices:saved_audience_delete", args=[saved.pk]))
    assert SavedAudience.objects.filter(pk=saved.pk).exists()
    mine = services_saved.create_saved_audience(
        actor=actor_of(world.users["grid_worker_1"]), community=world.communities["e1"], name="一网格楼长"
    )
    response = client.post(reverse("notices:saved_audience_edit", args=[mine.pk]), {"name": "一网格楼栋长"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.name == "一网格楼栋长"
    client.post(reverse("notices:saved_audience_delete", args=[mine.pk]))
    assert not SavedAudience.objects.filter(pk=mine.pk).exists()
    login(world.users["secretary"]).post(reverse("notices:saved_audience_delete", args=[saved.pk]))
    assert not SavedAudience.objects.filter(pk=saved.pk).exists()


def test_odd_member_ids_change_nothing(world, login):
    saved = _list(world, "zhang")
    client = login(world.users["staff"])
    response = client.post(reverse("notices:saved_audience_members", args=[saved.pk]), {"add": ["²", "99999999"]})
    assert response.status_code == 302
    assert list(saved.residents.values_list("name", flat=True)) == ["张三"]
