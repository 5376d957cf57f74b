"""The resident's one-view page draws the panels other apps register (linli.core.shell.resident_panel), the
resident's own page the self blocks (self_block), the building page the building panels (building_panel): each
for the users its `visible` accepts, hidden when its context is None, in order, with the page's context too."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from linli.core.shell import BuildingPanel, ResidentPanel, SelfBlock, registry
from linli.site.tests.test_layers import imported_modules

pytestmark = pytest.mark.django_db

PROBE = '<section class="section" id="probe-{{ key }}"><h2>{{ label }}</h2><p>{{ object.name }}</p></section>\n'


@pytest.fixture
def probe_templates(tmp_path, settings):
    """A template directory with `probe.html` (shows its context's label and the page's object)."""
    (tmp_path / "probe.html").write_text(PROBE, encoding="utf-8")
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with override_settings(TEMPLATES=templates):
        yield


def panel(name, order, context, visible=lambda user: True):
    return ResidentPanel(name, "probe.html", order, context, visible)


def test_a_registered_panel_shows_on_the_resident_page_with_its_context_and_the_pages(
    world, login, probe_templates, monkeypatch
):
    monkeypatch.setitem(
        registry.resident_panels, "test.probe", panel("test.probe", 50, lambda u, r: {"key": "a", "label": "议题测试"})
    )
    zhang = world.residents["zhang"]
    html = login(world.users["grid_worker_1"]).get(reverse("residents:resident_detail", args=[zhang.pk])).text
    assert '<section class="section" id="probe-a"><h2>议题测试</h2><p>张三</p></section>' in html


def test_a_panel_is_hidden_from_users_its_visible_refuses(world, login, probe_templates, monkeypatch):
    seen = panel("test.probe", 50, lambda u, r: {"key": "a", "label": "调解"}, lambda user: user.role == "secretary")
    monkeypatch.setitem(registry.resident_panels, "test.probe", seen)
    url = reverse("residents:resident_detail", args=[world.residents["zhang"].pk])
    assert "probe-a" in login(world.users["secretary"]).get(url).text
    assert "probe-a" not in login(world.users["grid_worker_1"]).get(url).text


def test_a_panel_whose_context_is_none_is_hidden_for_that_resident(world, login, probe_templates, monkeypatch):
    only_zhang = panel("test.probe", 50, lambda u, r: {"key": "a", "label": "投票"} if r.name == "张三" else None)
    monkeypatch.setitem(registry.resident_panels, "test.probe", only_zhang)
    client = login(world.users["grid_worker_1"])
    assert "probe-a" in client.get(reverse("residents:resident_detail", args=[world.residents["zhang"].pk])).text
    assert "probe-a" not in client.get(reverse("residents:resident_detail", args=[world.residents["li"].pk])).text


def test_panels_come_in_their_order_after_the_registry_data_and_before_the_history(
    world, login, probe_templates, monkeypatch
):
    monkeypatch.setitem(registry.resident_panels, "test.late", panel("test.late", 95, lambda u, r: {"key": "late"}))
    monkeypatch.setitem(registry.resident_panels, "test.early", panel("test.early", 1, lambda u, r: {"key": "early"}))
    url = reverse("residents:resident_detail", args=[world.residents["zhang"].pk])
    html = login(world.users["secretary"]).get(url).text
    positions = [html.index(mark) for mark in ("同户成员", "probe-early", 'id="visits"', "probe-late", "修改记录")]
    assert positions == sorted(positions)


def test_the_residents_own_page_shows_their_self_blocks_and_not_the_panels(world, login, probe_templates, monkeypatch):
    monkeypatch.setitem(registry.resident_panels, "test.panel", panel("test.panel", 1, lambda u, r: {"key": "panel"}))
    monkeypatch.setitem(
        registry.self_blocks,
        "test.mine",
        SelfBlock("test.mine", "probe.html", 10, lambda user: {"key": "mine", "label": "我的投票"}),
    )
    monkeypatch.setitem(registry.self_blocks, "test.none", SelfBlock("test.none", "probe.html", 20, lambda user: None))
    monkeypatch.setitem(
        registry.self_blocks,
        "test.hidden",
        SelfBlock("test.hidden", "probe.html", 30, lambda user: {"key": "hidden"}, lambda user: False),
    )
    monkeypatch.setitem(
        registry.self_blocks, "test.first", SelfBlock("test.first", "probe.html", 5, lambda user: {"key": "first"})
    )
    html = login(world.users["resident"]).get(reverse("residents:my_record")).text
    assert '<section class="section" id="probe-mine"><h2>我的投票</h2><p>陈奶奶</p></section>' in html
    assert html.index("probe-first") < html.index("probe-mine")
    assert "probe-none" not in html and "probe-hidden" not in html and "probe-panel" not in html


def test_self_blocks_are_not_on_a_resident_page_seen_by_staff(world, login, probe_templates, monkeypatch):
    monkeypatch.setitem(
        registry.self_blocks, "test.mine", SelfBlock("test.mine", "probe.html", 10, lambda user: {"key": "mine"})
    )
    url = reverse("residents:resident_detail", args=[world.residents["chen"].pk])
    assert "probe-mine" not in login(world.users["secretary"]).get(url).text


def test_a_building_panel_shows_on_the_building_page_in_order_for_those_it_is_visible_to(
    world, login, probe_templates, monkeypatch
):
    def building_panel(name, order, context, visible=lambda user: True):
        return BuildingPanel(name, "probe.html", order, context, visible)

    monkeypatch.setitem(
        registry.building_panels, "test.b", building_panel("test.b", 50, lambda u, b: {"key": "b", "label": b.name})
    )
    monkeypatch.setitem(registry.building_panels, "test.a", building_panel("test.a", 1, lambda u, b: {"key": "a"}))
    monkeypatch.setitem(registry.building_panels, "test.none", building_panel("test.none", 2, lambda u, b: None))
    monkeypatch.setitem(
        registry.building_panels,
        "test.secret",
        building_panel("test.secret", 3, lambda u, b: {"key": "secret"}, lambda user: user.role == "street_admin"),
    )
    building = world.buildings["b1"]
    html = login(world.users["grid_worker_1"]).get(reverse("areas:building_detail", args=[building.pk])).text
    assert f"<h2>{building.name}</h2>" in html
    assert html.index("probe-a") < html.index('id="appeals"') < html.index("probe-b")
    assert "probe-none" not in html and "probe-secret" not in html


def test_the_resident_page_shows_visits_diary_and_appeals_through_their_panels(world, login):
    url = reverse("residents:resident_detail", args=[world.residents["zhang"].pk])
    html = login(world.users["grid_worker_1"]).get(url).text
    assert 'id="visits"' in html and 'id="field-notes"' in html and 'id="appeals"' in html
    assert "记录走访" in html
    # A department handler sees appeals by organisation, not by area: none of these panels is theirs.
    handler = world.users["dept_handler"]
    assert not [p.name for p, _ in registry.panels_for(handler, world.residents["zhang"])]


def test_the_resident_and_area_pages_import_no_feature_app():
    from pathlib import Path

    import linli

    root = Path(linli.__file__).parent
    for path in (root / "residents" / "views.py", root / "areas" / "views.py"):
        names = {name for _, name in imported_modules(path)}
        assert not {n for n in names if n.startswith(("linli.visits", "linli.appeals"))}, path
