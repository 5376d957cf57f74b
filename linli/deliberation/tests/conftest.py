import datetime

import pytest
from django.utils import timezone

from linli.accounts.choices import Role
from linli.core.audit import actor_of
from linli.testing import make_user


class DW:
    """The persona world plus a staff account of 西一社区 and helpers to act as a persona."""

    def __init__(self, world):
        self.world = world
        self.users = dict(world.users)
        self.users["w1_staff"] = make_user("w1_staff_d", Role.STAFF, world.communities["w1"])
        self.today = timezone.localdate()

    def actor(self, key):
        return actor_of(self.users[key])

    def matter(self, key="staff", community="e1", **fields):
        from linli.deliberation import services

        fields.setdefault("title", "楼道加装扶手")
        return services.raise_matter(actor=self.actor(key), community=self.world.communities[community], **fields)

    def days(self, n):
        return self.today + datetime.timedelta(days=n)


@pytest.fixture
def dw(world):
    return DW(world)
