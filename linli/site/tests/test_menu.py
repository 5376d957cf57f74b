"""The menu (issue 14): each role's daily pages come first; 接口令牌 only for the roles that use the API."""

import pytest
from django.test import RequestFactory

from linli.site.context_processors import navigation

pytestmark = pytest.mark.django_db


def menu(user, path="/"):
    request = RequestFactory().get(path)
    request.user, request.session = user, {}
    return navigation(request)["nav_items"]


def labels(items):
    out = []
    for item in items:
        out.extend(c["label"] for c in item["children"]) if "children" in item else out.append(item["label"])
    return out


@pytest.mark.parametrize(
    "persona,first",
    [
        ("grid_worker_1", ["今日走访", "居民", "登记诉求"]),
        ("secretary", ["诉求办理", "走访提醒", "居民"]),
        ("street_admin", ["诉求办理", "居民"]),
        ("dept_handler", ["诉求办理"]),
        ("resident", ["我的信息"]),
    ],
)
def test_the_roles_daily_pages_come_first_as_plain_links(world, persona, first):
    items = menu(world.users[persona])
    assert [item["label"] for item in items[: len(first)]] == first
    assert all("children" not in item for item in items[: len(first)])
    assert len(labels(items)) == len(set(labels(items)))  # each page once


@pytest.mark.parametrize("persona", ["grid_worker_1", "dept_handler", "volunteer", "resident"])
def test_roles_that_do_not_use_the_api_have_no_token_entry(world, persona):
    assert "接口令牌" not in labels(menu(world.users[persona]))


@pytest.mark.parametrize("persona", ["street_admin", "secretary", "staff"])
def test_roles_that_use_the_api_have_the_token_entry(world, persona):
    assert "接口令牌" in labels(menu(world.users[persona]))
