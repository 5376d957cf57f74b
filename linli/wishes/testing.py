"""Wish fixtures on top of the `world` personas (linli.testing).

In 东一社区 (e1): the volunteer persona is linked to claimer 夏党员 (an in-service party member), a second
volunteer account `volunteer2` to claimer 钱党员, and 东一银行党支部 is an organisation without an account.
西一社区 (w1) has its own staff `w1_staff` and a claimer 孙党员. Each community has one open wish whose
private part names the wisher, an address, a room and a phone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from linli.accounts.choices import Role
from linli.core.audit import actor_of
from linli.testing import SYSTEM, make_user
from linli.wishes import services
from linli.wishes.choices import ClaimerKind
from linli.wishes.models import Claimer

PRIVATE_NAME = "张三"
PRIVATE_ADDRESS = "1栋1单元101室"
PRIVATE_PHONE = "13812345678"


@dataclass
class WishWorld:
    world: object
    claimers: dict
    wishes: dict

    def __getattr__(self, name):
        return getattr(self.world, name)

    def actor(self, username: str):
        return actor_of(self.world.users[username])


def jpeg(name="photo.jpg") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "JPEG")
    out.seek(0)
    out.name = name
    return out


def new_wish(community, *, actor=SYSTEM, **kwargs):
    fields = {
        "title": "一个新书包",
        "description": "一位独居老人希望有人帮忙修理门锁",
        "category": "repair",
        "target_date": None,
        "beneficiary_name": PRIVATE_NAME,
        "address": PRIVATE_ADDRESS,
        "contact_phone": PRIVATE_PHONE,
        "delivery_notes": "上午在家，敲门声音大一点",
    }
    fields.update(kwargs)
    return services.create_wish(actor=actor, community=community, **fields)


def build_wish_world(world) -> WishWorld:
    e1, w1 = world.communities["e1"], world.communities["w1"]
    world.users["volunteer2"] = make_user("volunteer2", Role.VOLUNTEER)
    world.users["w1_staff"] = make_user("w1_staff", Role.STAFF, w1)

    def claimer(key, community, name, **kwargs):
        c = Claimer(community=community, name=name, phone="13900001111", **kwargs)
        return services.save_claimer(c, actor=SYSTEM)

    claimers = {
        "xia": claimer("xia", e1, "夏党员", workplace="区税务局", in_service=True, user=world.users["volunteer"]),
        "qian": claimer("qian", e1, "钱党员", workplace="区建设局", in_service=True, user=world.users["volunteer2"]),
        "bank": claimer("bank", e1, "东一银行党支部", kind=ClaimerKind.ORGANISATION),
        "sun": claimer("sun", w1, "孙党员"),
    }
    wishes = {"e1": new_wish(e1, resident=world.residents["zhang"]), "w1": new_wish(w1, beneficiary_name="孙七")}
    return WishWorld(world=world, claimers=claimers, wishes=wishes)


def matrix_objects(world) -> dict:
    """The wish world's objects for tests/test_scope_matrix.py (kind -> key -> object)."""
    ww = build_wish_world(world)
    codes = {key: c.code for key, c in world.communities.items()}
    return {"wishes": ww.wishes, "claimers": ww.claimers, "community_codes": codes}
