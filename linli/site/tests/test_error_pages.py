"""Error pages are Chinese, offer a way back, and never show Django's technical page (issue 14) — DEBUG on too.

Under `make demo` DEBUG is on, and a missing page or a crash showed Django's English debug page (with the
traceback and settings of a crash). Now every error page is ours; the API answers JSON.
"""

import json
import logging

import pytest
from django.urls import reverse

from linli.testing import make_user

pytestmark = pytest.mark.django_db

TECHNICAL = ("Traceback", "Django", "DEBUG = True", "URLconf", "Request Method")


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def assert_chinese_page(response, status, title):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert title in text and "返回首页" in text
    for word in TECHNICAL:
        assert word not in text


def test_a_grid_worker_opening_the_community_page_gets_the_chinese_404(world, login, debug):
    response = login(world.users["grid_worker_1"]).get(
        reverse("areas:community_detail", args=[world.communities["e1"].pk])
    )
    assert_chinese_page(response, 404, "找不到这个页面")


def test_a_wrong_tracking_code_gets_the_chinese_404(world, client, debug):
    assert_chinese_page(client.get("/s/no-such-community/"), 404, "找不到这个页面")


def test_an_address_that_matches_no_page_gets_the_chinese_404(world, login, debug):
    assert_chinese_page(login(world.users["secretary"]).get("/no/such/page/"), 404, "找不到这个页面")


def test_a_role_without_the_right_gets_the_chinese_403(world, login, debug):
    response = login(world.users["grid_worker_1"]).get(reverse("accounts:user_list"))
    assert_chinese_page(response, 403, "没有权限")
    assert "您的角色没有这项权限。" in response.content.decode()


def test_a_crash_gets_the_chinese_500_and_its_traceback_goes_to_the_log(world, client, debug, monkeypatch, caplog):
    from linli.site import views

    def boom(self, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.HelpView, "get_context_data", boom)
    client.raise_request_exception = False
    client.force_login(world.users["secretary"])
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(reverse("core:help"))
    assert_chinese_page(response, 500, "系统出错了")
    assert "secret internals" not in response.content.decode()
    assert any(r.exc_info and "secret internals" in str(r.exc_info[1]) for r in caplog.records)


def test_a_too_large_post_gets_the_chinese_413(world, client, debug, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post(reverse("accounts:login"), {"username": "x" * 500, "password": "y"})
    assert_chinese_page(response, 413, "上传的内容太大")


def test_the_way_back_is_the_page_the_user_came_from_on_this_site_only(world, login, debug):
    client = login(world.users["secretary"])
    here = client.get("/no/such/page/", HTTP_REFERER="http://testserver/residents/?q=1")
    assert 'href="/residents/?q=1"' in here.content.decode() and "返回上一页" in here.content.decode()
    elsewhere = client.get("/no/such/page/", HTTP_REFERER="https://evil.example/phish")
    assert "evil.example" not in elsewhere.content.decode() and "返回上一页" not in elsewhere.content.decode()


def test_api_errors_stay_json(world, client, debug):
    token_user = make_user("api_user", "secretary", world.communities["e1"])
    client.force_login(token_user)
    for path in ("/api/no-such-endpoint", "/api/v1/no/such/thing/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert json.loads(response.content)["detail"]


def test_the_area_tree_links_only_pages_the_user_may_open(world, login):
    e1, g1 = world.communities["e1"], world.grids["g1"]
    client = login(world.users["grid_worker_1"])
    text = client.get(reverse("areas:area_tree")).content.decode()
    assert e1.name in text
    assert reverse("areas:community_detail", args=[e1.pk]) not in text
    assert reverse("areas:grid_detail", args=[g1.pk]) in text
    for link in (reverse("areas:grid_detail", args=[g1.pk]),):
        assert client.get(link).status_code == 200
    secretary_text = login(world.users["secretary"]).get(reverse("areas:area_tree")).content.decode()
    assert reverse("areas:community_detail", args=[e1.pk]) in secretary_text


def test_a_building_worker_sees_the_grid_name_without_a_link(world, login):
    building = world.buildings[next(iter(world.buildings))]
    worker = make_user("building_worker", "grid_worker", building)
    text = login(worker).get(reverse("areas:building_detail", args=[building.pk])).content.decode()
    if building.grid_id:
        assert reverse("areas:grid_detail", args=[building.grid_id]) not in text
        assert building.grid.name in text


def test_an_api_method_not_allowed_stays_405(world, login, debug):
    response = login(world.users["street_admin"]).get(f"/api/residents/{world.residents['zhang'].pk}/reveal-id")
    assert response.status_code == 405
