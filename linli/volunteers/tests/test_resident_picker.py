"""The volunteer form links a registered resident through a live search, within the user's scope."""

import pytest
from django.urls import reverse

from linli.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

SEARCH = "volunteers:resident_search"


def form_data(world, **extra):
    data = {"community": world.communities["e1"].pk, "joined_on": "2026-03-01", "is_active": "on"}
    data.update(extra)
    return data


def test_the_search_finds_residents_by_name_pinyin_and_phone_in_scope_only(world, login):
    client = login(world.users["staff"])
    page = client.get(reverse(SEARCH), {"resident_q": "张"}).content.decode()
    zhang = world.residents["zhang"]
    assert f'value="{zhang.pk}"' in page and 'data-fill-name="张三"' in page and "1栋1单元101" in page
    assert f'value="{zhang.pk}"' in client.get(reverse(SEARCH), {"resident_q": "zs"}).content.decode()
    assert f'value="{zhang.pk}"' in client.get(reverse(SEARCH), {"resident_q": "5678"}).content.decode()
    # 孙七 lives in 西一社区, outside the staff's scope.
    page = client.get(reverse(SEARCH), {"resident_q": "孙"}).content.decode()
    assert str(world.residents["sun"].pk) not in page and "没有找到“孙”" in page
    assert client.get(reverse(SEARCH), {"resident_q": ""}).content.decode().strip() == ""


def test_the_search_masks_phones_for_roles_without_reveal_phone(world, login):
    from linli.accounts import roles

    saved = dict(roles.ROLE_PERMISSIONS)
    try:
        roles.ROLE_PERMISSIONS["staff"] = frozenset(saved["staff"] - {"resident.reveal_phone"})
        page = login(world.users["staff"]).get(reverse(SEARCH), {"resident_q": "张"}).content.decode()
    finally:
        roles.ROLE_PERMISSIONS.update(saved)
    assert "138****5678" in page and "13812345678" not in page


@pytest.mark.parametrize("persona", ["grid_worker_1", "dept_handler", "volunteer", "resident"])
def test_roles_that_do_not_register_volunteers_cannot_search(world, login, persona):
    assert login(world.users[persona]).get(reverse(SEARCH), {"resident_q": "张"}).status_code == 403


def test_the_form_shows_the_picker_and_picking_a_resident_links_the_record(world, login):
    client = login(world.users["staff"])
    zhang = world.residents["zhang"]
    page = client.get(reverse("volunteers:volunteer_add") + f"?resident={zhang.pk}").content.decode()
    assert 'name="resident_q"' in page and f'value="{zhang.pk}" checked' in page and "volunteers/volunteers.js" in page
    assert "居民档案编号" not in page
    response = client.post(reverse("volunteers:volunteer_add"), form_data(world, resident=zhang.pk, skills="修车"))
    assert response.status_code == 302, response.content.decode()
    v = Volunteer.objects.get(resident=zhang)
    assert (v.name, v.phone, v.community) == ("张三", "", world.communities["e1"])


def test_a_resident_outside_scope_or_of_another_community_is_refused(world, login):
    client = login(world.users["street_admin"])  # 东街: 东一 and 东二
    zhao = world.residents["zhao"]  # 东二社区
    response = client.post(reverse("volunteers:volunteer_add"), form_data(world, resident=zhao.pk))
    assert response.status_code == 200 and "赵六不是东一社区的居民" in response.content.decode()
    client = login(world.users["staff"])
    response = client.post(reverse("volunteers:volunteer_add"), form_data(world, resident=world.residents["sun"].pk))
    assert "找不到这位居民，或不在您的管辖范围内" in response.content.decode()
    response = client.post(reverse("volunteers:volunteer_add"), form_data(world, resident="abc"))
    assert response.status_code == 200
    assert not Volunteer.objects.exists()
