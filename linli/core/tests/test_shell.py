"""The shell registry: menu groups and entries in order, demo steps after the steps they wait for, and mistakes
(an unknown group or step, a name registered twice, steps waiting for each other) refused at start-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from linli.core.shell import Registry, perm, registry


class Someone:
    def __init__(self, *perms):
        self.perms = set(perms)

    def has_role_perm(self, p):
        return p in self.perms


def test_menu_groups_and_entries_come_in_their_order_whoever_registers_first():
    shell = Registry()
    shell.menu_entry("管理", "accounts:user_list", "账号", order=10)
    shell.menu_group("管理", order=70)
    shell.menu_group("居民", order=10)
    shell.menu_entry("居民", "areas:area_tree", "区域与楼栋", order=20)
    shell.menu_entry("居民", "residents:resident_list", "居民", order=10)
    assert [(g.label, [e.label for e in entries]) for g, entries in shell.menu()] == [
        ("居民", ["居民", "区域与楼栋"]),
        ("管理", ["账号"]),
    ]


def test_an_entry_in_an_unknown_group_is_refused():
    shell = Registry()
    shell.menu_entry("党建", "party:member_list", "党员", order=10)
    with pytest.raises(ImproperlyConfigured, match="unknown group"):
        shell.menu()


def test_a_name_registered_twice_differently_is_refused():
    shell = Registry()
    shell.menu_group("居民", order=10)
    shell.menu_group("居民", order=10)  # the same registration again is harmless
    with pytest.raises(ImproperlyConfigured, match="twice"):
        shell.menu_group("居民", order=20)


def test_demo_steps_run_in_order_each_after_the_steps_it_names():
    shell = Registry()
    shell.demo_step("lovebank", print, order=10, after=("volunteers",))
    shell.demo_step("volunteers", print, order=40)
    shell.demo_step("visits", print, order=5)
    assert [s.name for s in shell.demo_plan()] == ["visits", "volunteers", "lovebank"]


@pytest.mark.parametrize(
    "steps,message",
    [
        ({"a": ("b",), "b": ("a",)}, "wait for each other"),
        ({"a": ("nowhere",)}, "unknown step"),
    ],
)
def test_impossible_demo_plans_are_refused(steps, message):
    shell = Registry()
    for name, after in steps.items():
        shell.demo_step(name, print, order=1, after=after)
    with pytest.raises(ImproperlyConfigured, match=message):
        shell.demo_plan()


def test_a_block_in_an_unknown_section_is_refused():
    shell = Registry()
    shell.home_block("wishes.figures", "wishes/_home_figures.html", order=1, section="nowhere")
    with pytest.raises(ImproperlyConfigured, match="unknown section"):
        shell.home()


def test_perm_accepts_a_user_with_any_of_the_permissions():
    visible = perm("activity.view", "activity.signup")
    assert visible(Someone("activity.signup")) and not visible(Someone("wish.view"))


def test_the_apps_registered_a_consistent_shell():
    """What the installed apps' shell.py modules registered: every group, section and step name resolves."""
    assert registry.menu() and registry.home() and registry.demo_plan()


@pytest.mark.parametrize("kind", ["resident", "building", "household"])
def test_page_panels_come_in_order_for_the_users_they_are_visible_to_unless_their_context_is_none(kind):
    shell = Registry()
    add = {"resident": shell.resident_panel, "building": shell.building_panel, "household": shell.household_panel}[kind]
    shown_for = {
        "resident": shell.panels_for,
        "building": shell.building_panels_for,
        "household": shell.household_panels_for,
    }[kind]
    add("late", "x.html", order=30, context=lambda user, obj: {"obj": obj})
    add("early", "x.html", order=10, context=lambda user, obj: {"obj": obj})
    add("secret", "x.html", order=20, context=lambda user, obj: {}, visible=perm("mediation.view"))
    add("empty", "x.html", order=5, context=lambda user, obj: None)
    assert [(p.name, c) for p, c in shown_for(Someone(), "A")] == [("early", {"obj": "A"}), ("late", {"obj": "A"})]
    assert [p.name for p, _ in shown_for(Someone("mediation.view"), "A")] == ["early", "secret", "late"]


def test_self_blocks_come_in_order_for_the_users_they_are_visible_to_unless_their_context_is_none():
    shell = Registry()
    shell.self_block("votes", "x.html", order=20, context=lambda user: {"n": 1})
    shell.self_block("matters", "x.html", order=10)
    shell.self_block("none", "x.html", order=15, context=lambda user: None)
    shell.self_block("hidden", "x.html", order=5, visible=lambda user: False)
    assert [(b.name, c) for b, c in shell.self_blocks_for(Someone())] == [("matters", {}), ("votes", {"n": 1})]


def test_self_tiles_come_in_order_with_a_count_and_note_unless_hidden():
    shell = Registry()
    shell.self_tile("votes", "待我家投票", order=20, context=lambda user: {"url": "/v/", "count": 2})
    shell.self_tile("report", "我要反映", order=10, context=lambda user: {"url": "/s/e1/"})
    shell.self_tile("none", "空", order=15, context=lambda user: None)
    shell.self_tile("hidden", "藏", order=5, context=lambda user: {"url": "/x/"}, visible=perm("party.view"))
    tiles = shell.self_tiles_for(Someone())
    assert [(t.label, c) for t, c in tiles] == [
        ("我要反映", {"url": "/s/e1/", "count": None, "note": ""}),
        ("待我家投票", {"url": "/v/", "count": 2, "note": ""}),
    ]


def test_family_blocks_get_the_elder_and_hide_on_none():
    shell = Registry()
    shell.family_block("notices", "x.html", order=10, context=lambda user, elder: {"elder": elder})
    shell.family_block("none", "x.html", order=5, context=lambda user, elder: None)
    assert [(b.name, c) for b, c in shell.family_blocks_for(Someone(), "奶奶")] == [("notices", {"elder": "奶奶"})]


def test_household_marks_gather_every_apps_badges_for_the_users_they_are_for():
    shell = Registry()
    shell.household_marks("b", context=lambda user, building: {1: [("联系户", "covered")]})
    shell.household_marks("a", context=lambda user, building: {1: [("党员中心户", "centre")], 2: []})
    shell.household_marks("hidden", context=lambda user, building: {3: [("秘密", "x")]}, visible=perm("party.view"))
    shell.household_marks("none", context=lambda user, building: None)
    marks = shell.marks_for(Someone(), object())
    assert marks == {1: [("党员中心户", "centre"), ("联系户", "covered")], 2: []}
    assert 3 in shell.marks_for(Someone("party.view"), object())
