"""社区大屏: staff set up a screen of their community (the street office: of the street), its link is shown once and
only its hash kept; the link shows that node's figures and no other's; stopping and renewing the link; every
change recorded; bad input refused in Chinese."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from linli.bigscreen import services
from linli.bigscreen.models import Screen
from linli.bigscreen.testing import make_screen
from linli.core.audit import actor_of, history_of

pytestmark = pytest.mark.django_db


def show(key):
    return reverse("bigscreen:screen_show", args=[key])


def data(key):
    return reverse("bigscreen:screen_data", args=[key])


def figure(payload, key):
    for panel in payload["panels"]:
        for cell in panel.get("cells", []):
            if cell["key"] == key:
                return cell["value"]
    raise AssertionError(f"{key} not on the screen")


def test_staff_set_up_a_screen_and_see_its_link_once(world, client):
    client.force_login(world.users["staff"])
    e1 = world.communities["e1"]
    response = client.post(
        reverse("bigscreen:screen_add"),
        {"name": "一楼大厅", "node": f"community:{e1.pk}", "panels": ["overview", "wall"], "rotate_seconds": "15"},
    )
    screen = Screen.objects.get(name="一楼大厅")
    assert response.status_code == 302 and response["Location"] == screen.get_absolute_url()
    page = client.get(screen.get_absolute_url()).content.decode()
    link = page.split("data-new-link>")[1].split('href="')[1].split('"')[0]
    key = link.rstrip("/").rsplit("/", 1)[1]
    assert screen.key_hash == Screen.hash_key(key) and key not in str(Screen.objects.values().get(pk=screen.pk))
    assert "data-new-link" not in client.get(screen.get_absolute_url()).content.decode()  # once
    assert (screen.community, screen.street, screen.panels, screen.rotate_seconds) == (
        e1,
        e1.street,
        ["overview", "wall"],
        15,
    )
    assert client.get(show(key)).status_code == 200
    assert [r.get_action_display() for r in history_of(screen)] == ["新建"]


def test_the_link_shows_its_own_communitys_figures_only(world, client):
    _, key_e1 = make_screen(community=world.communities["e1"])
    _, key_e2 = make_screen(community=world.communities["e2"])
    _, key_street = make_screen(street=world.streets["east"])
    e1, e2, street = (client.get(data(k)).json() for k in (key_e1, key_e2, key_street))
    assert figure(e1, "residents.population") == 4  # 张三, 李四, 陈奶奶, 王五
    assert figure(e2, "residents.population") == 1  # 赵六
    assert figure(street, "residents.population") == 5
    assert e1["node"] == "东一社区" and "东二" not in client.get(show(key_e1)).content.decode()
    assert [p["panel"] for p in e1["panels"]] == ["overview", "appeals", "trends", "wall"]


def test_a_stopped_screen_says_so_and_a_renewed_link_replaces_the_old_one(world, client):
    screen, key = make_screen(community=world.communities["e1"])
    staff = actor_of(world.users["staff"])
    services.stop_screen(screen, actor=staff)
    page = client.get(show(key))
    assert page.status_code == 410 and "已停用" in page.content.decode()
    assert client.get(data(key)).json()["stopped"] is True
    screen, new_key = services.renew_key(screen, actor=staff)
    assert client.get(show(key)).status_code == 404
    assert "找不到这块大屏" in client.get(show(key)).content.decode()
    assert client.get(show(new_key)).status_code == 200 and screen.is_active
    notes = [r.note for r in history_of(screen).order_by("at", "id")]
    assert notes == ["", "停用大屏", "重新生成显示链接"]


def test_a_made_up_link_finds_nothing(world, client):
    for key in ("dp_" + "x" * 43, "abc", "dp_"):
        response = client.get(show(key))
        assert response.status_code == 404 and "找不到这块大屏" in response.content.decode()


def test_staff_set_up_screens_only_within_their_scope(world, client):
    client.force_login(world.users["staff"])  # 东一社区
    e2 = world.communities["e2"]
    east = world.streets["east"]
    for node in (f"community:{e2.pk}", f"street:{east.pk}"):
        response = client.post(
            reverse("bigscreen:screen_add"),
            {"name": "大厅", "node": node, "panels": ["overview"], "rotate_seconds": 20},
        )
        assert response.status_code == 200 and "请选择您管辖的社区或街道" in response.content.decode()
    with pytest.raises(ValidationError):
        services.create_screen(
            Screen(street=east, name="大厅", panels=["overview"]), actor=actor_of(world.users["staff"])
        )
    assert not Screen.objects.exists()


def test_a_street_admin_sets_up_the_streets_screen(world, client):
    client.force_login(world.users["street_admin"])
    east = world.streets["east"]
    response = client.post(
        reverse("bigscreen:screen_add"),
        {"name": "街道服务中心", "node": f"street:{east.pk}", "panels": ["overview"], "rotate_seconds": 30},
    )
    assert response.status_code == 302
    screen = Screen.objects.get()
    assert screen.street == east and screen.community is None and screen.level == "street"


@pytest.mark.parametrize(
    "form, message",
    [
        ({"name": "", "panels": ["overview"], "rotate_seconds": "20"}, "请填写大屏的名称"),
        ({"name": "大厅", "panels": [], "rotate_seconds": "20"}, "请至少选择一项轮播内容"),
        ({"name": "大厅", "panels": ["nonsense"], "rotate_seconds": "20"}, "没有这项轮播内容"),
        ({"name": "大厅", "panels": ["overview"], "rotate_seconds": "1"}, "每屏至少停留5秒"),
        ({"name": "大厅", "panels": ["overview"], "rotate_seconds": "一分钟"}, "请填写秒数"),
    ],
)
def test_bad_settings_are_refused_in_chinese_and_change_nothing(world, client, form, message):
    screen, _ = make_screen(community=world.communities["e1"])
    client.force_login(world.users["secretary"])
    response = client.post(reverse("bigscreen:screen_edit", args=[screen.pk]), form)
    assert response.status_code == 200 and message in response.content.decode()
    screen.refresh_from_db()
    assert (screen.name, screen.rotate_seconds) == ("一楼大厅", 20)


def test_an_edit_changes_the_panels_and_is_recorded(world, client):
    screen, key = make_screen(community=world.communities["e1"])
    client.force_login(world.users["secretary"])
    response = client.post(
        reverse("bigscreen:screen_edit", args=[screen.pk]),
        {"name": "二楼活动室", "panels": ["wall", "overview"], "rotate_seconds": "45"},
    )
    assert response.status_code == 302
    payload = client.get(data(key)).json()
    assert payload["name"] == "二楼活动室" and payload["rotate_seconds"] == 45
    assert payload["layout"] == ["wall", "overview"]
    change = history_of(screen).order_by("-at", "-id").first()
    assert change.actor == world.users["secretary"] and "每屏停留（秒）" in change.changes


def test_the_display_asks_for_no_login_and_notes_when_it_fetched(world, client):
    screen, key = make_screen(community=world.communities["e1"])
    assert screen.last_seen_at is None
    response = client.get(data(key))
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    screen.refresh_from_db()
    assert screen.last_seen_at is not None
