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


#: base.html's loop over nav_items before nav_html wrote the menu in Python (2026-12-07)
NAV_LOOP = """{% for item in nav_items %}{% if item.children %}<li>
          <details class="dropdown">
            <summary{% if item.active %} aria-current="true"{% endif %}>{{ item.label }}</summary>
            <ul>{% for c in item.children %}<li><a href="{{ c.url }}"{% if c.active %} aria-current="page"{% endif %}>{{ c.label }}</a></li>{% endfor %}</ul>
          </details>
        </li>{% else %}<li><a href="{{ item.url }}"{% if item.active %} aria-current="page"{% endif %}>{{ item.label }}</a></li>{% endif %}{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("path", ["/", "/appeals/", "/residents/", "/visits/", "/accounts/users/"])
def test_the_menu_written_in_python_is_the_templates_markup(world, path):
    from django.template import Context, Template

    from linli.site.context_processors import nav_html

    loop = Template(NAV_LOOP)
    for user in world.users.values():
        items = menu(user, path)
        assert nav_html(items) == loop.render(Context({"nav_items": items})), (user.username, path)
    link = {"url": "/a?b=1&c=<x>", "label": "<b>名</b>", "active": True}
    odd = [link, {"label": "组&", "active": False, "children": [link, {**link, "active": False}]}]
    assert nav_html(odd) == loop.render(Context({"nav_items": odd}))


def test_the_page_draws_the_menu(world, login):
    html = login(world.users["secretary"]).get("/residents/").content.decode()
    assert '<summary aria-current="true">居民</summary>' in html or 'href="/residents/" aria-current="page"' in html
