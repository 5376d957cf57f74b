"""Shared set-up of the booking tests: a fixed "now" for the services, rooms of 东一社区, a volunteer team."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.places.choices import BookerKind
from linli.places.models import Room

#: The services' clock in these tests: Monday 2026-03-02 08:00 (Tuesday is 03-03).
NOW = timezone.make_aware(datetime.datetime(2026, 3, 2, 8, 0))


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def room(world, name="书法室", community="e1", **fields) -> Room:
    fields.setdefault("capacity", 20)
    fields.setdefault("opens_at", datetime.time(8, 30))
    fields.setdefault("closes_at", datetime.time(20, 30))
    return Room.objects.create(community=world.communities[community], name=name, **fields)


def single(room, *, actor, start, end, kind=BookerKind.TEAM, name="书法队", **fields):
    from linli.places import services

    fields.setdefault("purpose", "练字")
    fields.setdefault("expected_attendance", 10)
    fields.setdefault("now", NOW)
    return services.book(room, actor=actor, starts_at=start, ends_at=end, booker_kind=kind, booker_name=name, **fields)


def team_led_by(world, user, name="书法队", community="e1"):
    """A volunteer team of the community led by `user` (a Volunteer record links the account)."""
    from linli.volunteers.models import Team, TeamMembership, Volunteer

    c = world.communities[community]
    volunteer, _ = Volunteer.objects.get_or_create(community=c, user=user, defaults={"name": user.username})
    team = Team.objects.create(community=c, name=name)
    TeamMembership.objects.create(team=team, volunteer=volunteer, is_leader=True)
    return team
