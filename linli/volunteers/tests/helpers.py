"""A small volunteer world on top of the personas: a team in 东一社区 led by the `volunteer` persona's record."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.core.audit import actor_of
from linli.testing import SYSTEM
from linli.volunteers import services
from linli.volunteers.models import Activity, Team, Volunteer


def at(hours: float) -> datetime.datetime:
    """Now plus `hours` (negative: in the past), to the minute."""
    return timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=hours)


def volunteer(world, name="外来志愿者", community="e1", **kwargs) -> Volunteer:
    return services.save_volunteer(Volunteer(community=world.communities[community], name=name, **kwargs), actor=SYSTEM)


def activity(world, *, start=1.0, length=2.0, capacity=5, community="e1", team=None, **kwargs) -> Activity:
    a = Activity(
        community=world.communities[community],
        team=team,
        title=kwargs.pop("title", "楼道清洁"),
        kind=kwargs.pop("kind", "cleaning"),
        starts_at=at(start),
        ends_at=at(start + length),
        place="1栋",
        capacity=capacity,
        **kwargs,
    )
    return services.save_activity(a, actor=SYSTEM)


def team_led_by(world, leader: Volunteer, name="新长征志愿服务队") -> Team:
    team = services.save_team(Team(community=world.communities["e1"], name=name), actor=SYSTEM)
    services.set_membership(team, leader, actor=SYSTEM, is_leader=True)
    return team


def as_(world, persona):
    return actor_of(world.users[persona])
