"""Screens on top of linli.testing's world, for the scope matrix and the app's tests: a screen of 东一社区, one of
东街 (the whole street) and one of 西一社区, each with its link key."""

from __future__ import annotations

from linli.bigscreen.models import Screen
from linli.bigscreen.services import create_screen
from linli.core.audit import Actor

SETUP = Actor.cli("bigscreen test setup")


def make_screen(*, community=None, street=None, name="一楼大厅", panels=None, rotate_seconds=20):
    """A screen of `community` (or of the whole `street`) and its link key."""
    screen = Screen(
        street=street or community.street,
        community=community,
        name=name,
        panels=panels or ["overview", "appeals", "trends", "wall"],
        rotate_seconds=rotate_seconds,
    )
    return create_screen(screen, actor=SETUP)


def matrix_objects(world) -> dict:
    screens = {
        "e1": make_screen(community=world.communities["e1"])[0],
        "east": make_screen(street=world.streets["east"], name="街道服务中心")[0],
        "w1": make_screen(community=world.communities["w1"])[0],
    }
    return {"screens": screens}
