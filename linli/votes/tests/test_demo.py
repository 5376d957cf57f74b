"""The demo's votes: an open lift vote for 3栋 with about half its households (the matter 表决中), a closed vote
with its result published as its matter's 公示."""

import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from linli.areas.models import Household
from linli.deliberation.choices import MatterStatus
from linli.deliberation.models import Publication
from linli.testing import make_building, make_resident
from linli.votes import panels, services
from linli.votes.choices import VoteStatus
from linli.votes.demo import demo_step
from linli.votes.models import BallotChange, Vote

pytestmark = pytest.mark.django_db


def test_the_demo_builds_an_open_lift_vote_and_a_closed_one(world):
    e1 = world.communities["e1"]
    b3 = make_building(e1, world.grids["g2"], 3, entrances=1, floors=3, rooms=2)
    for n, room in enumerate(["101", "102", "201", "202", "301", "302"]):
        make_resident(b3, f"三栋住户{n}", room=room, seq=50 + n)
    lines = []
    demo = SimpleNamespace(community=e1, rng=lambda name: random.Random(name), log=lines.append)
    demo_step(demo)
    areas = list(Household.objects.order_by("pk").values_list("floor_area", flat=True))
    demo_step(demo)  # a second run changes nothing
    assert list(Household.objects.order_by("pk").values_list("floor_area", flat=True)) == areas
    lift = Vote.objects.get(matter__title="3栋加装电梯")
    assert lift.status == VoteStatus.OPEN and lift.weigh_by_area and lift.rule == "civil_major"
    assert services.tally(lift).counts.participating == 3  # half of 6
    assert lift.ballots.filter(channel="paper").exists() and lift.ballots.filter(channel="door").exists()
    assert BallotChange.objects.filter(vote=lift).count() == 1
    assert lift.matter.status == MatterStatus.VOTING
    closed = Vote.objects.get(status=VoteStatus.CLOSED)
    assert closed.result["households"]["participating"] > 0
    # The closed vote's result is its matter's publication, on the board once (the votes' section lists open votes).
    assert closed.matter.status == MatterStatus.PUBLICITY
    assert list(Publication.objects.public_board(e1, timezone.localdate())) == [closed.publication]
    assert closed.publication.title == f"表决结果公示：{closed.title}"  # the title passes the public wording check
    assert [v["title"] for v in panels.public_turnout(e1, timezone.localdate())["votes"]] == [lift.title]
    assert services.tally(lift).counts.without_area < 6
    assert lines
