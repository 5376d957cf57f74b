"""Love bank rows on top of linli.testing's world, for scope and page tests.

Adds world.accounts (陈奶奶 in 东一, 赵六 in 东二, 孙七 in 西一, each with points), world.items (rice and
a haircut in 东一, oil in 东二) and world.deeds (one pending deed in 东一).
"""

from __future__ import annotations

import datetime

from linli.core.audit import Actor
from linli.lovebank import services
from linli.lovebank.choices import ItemKind
from linli.lovebank.models import CatalogueItem

SETUP = Actor.cli("lovebank test setup")


def make_item(community, name, price, stock, kind=ItemKind.GOODS, unit="份") -> CatalogueItem:
    return services.save_item(
        CatalogueItem(community=community, name=name, price=price, stock=stock, kind=kind, unit=unit), actor=SETUP
    )


def give(resident_or_account, points: int, key: str):
    return services.award(resident_or_account, points, reason="测试发放", source_key=key, actor=SETUP)


def add_lovebank(world):
    world.accounts = {}
    for key, points in (("chen", 50), ("zhao", 30), ("sun", 20)):
        give(world.residents[key], points, f"setup:{key}")
        world.accounts[key] = services.resident_account(world.residents[key])
    e1, e2 = world.communities["e1"], world.communities["e2"]
    world.items = {
        "rice": make_item(e1, "大米", 20, 3, unit="袋"),
        "haircut": make_item(e1, "理发", 10, None, kind=ItemKind.SERVICE, unit="次"),
        "oil": make_item(e2, "食用油", 15, 5, unit="桶"),
    }
    world.deeds = {
        "e1": services.report_deed(
            community=e1,
            subject_name="张三",
            description="帮邻居扛米上楼",
            occurred_on=datetime.date(2026, 11, 20),
            actor=SETUP,
        )
    }
    return world
