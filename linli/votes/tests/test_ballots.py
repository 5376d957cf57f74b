"""Casting, replacing, closing and counting (services)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from linli.areas.models import Household
from linli.core.audit import actor_of
from linli.core.models import ChangeRecord
from linli.residents.services import mark_resident_left
from linli.testing import SYSTEM, make_resident
from linli.votes import services
from linli.votes.choices import Channel, Choice, VoteRule, VoteStatus
from linli.votes.models import Ballot, BallotChange, EligibleHousehold
from linli.votes.testing import cast, open_vote, set_area

pytestmark = pytest.mark.django_db


def test_opening_fixes_the_list_of_households_in_scope(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    assert vote.status == VoteStatus.OPEN
    assert EligibleHousehold.objects.filter(vote=vote).count() == 24
    # A household added to the building afterwards is not on the list.
    late = Household.objects.create(building=world.buildings["b1"], entrance=3, floor=1, room="101")
    resident = make_resident(world.buildings["b1"], "新住户", entrance=3, room="101", seq=40)
    with pytest.raises(ValidationError, match="不在这次表决的名单里"):
        cast(vote, resident)
    assert services.tally(vote).counts.eligible == 24
    assert late.pk


def test_a_household_that_moves_out_while_the_vote_is_open_stays_eligible(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    zhang = world.residents["zhang"]
    cast(vote, zhang, Choice.FOR)
    mark_resident_left(zhang, status="moved_out", date=zhang.created_at.date(), actor=SYSTEM)
    t = services.tally(vote)
    assert (t.counts.eligible, t.counts.participating, t.counts.yes) == (24, 1, 1)
    cast(vote, zhang, Choice.AGAINST)  # their household may still change its ballot
    assert services.tally(vote).counts.no == 1


def test_a_second_ballot_replaces_the_first_and_is_recorded(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    li = world.residents["li"]
    first = cast(vote, li, Choice.FOR, channel=Channel.DOOR)
    second = cast(vote, li, Choice.AGAINST, channel=Channel.PAPER, paper_number="0007")
    assert first.pk == second.pk and Ballot.objects.filter(vote=vote).count() == 1
    change = BallotChange.objects.get(ballot=first)
    assert (change.old_choice, change.new_choice, change.old_channel, change.new_channel) == (
        "for",
        "against",
        "door",
        "paper",
    )
    records = ChangeRecord.objects.filter(object_id=first.pk, content_type__model="ballot").order_by("id")
    assert [r.action for r in records] == ["create", "update"]
    t = services.tally(vote)
    assert (t.counts.yes, t.counts.no, t.counts.participating) == (0, 1, 1)
    assert services.recount(vote).as_json() == t.as_json()


def test_the_same_paper_ballot_entered_twice_counts_once(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    chen = world.residents["chen"]
    a = cast(vote, chen, Choice.FOR, channel=Channel.PAPER, paper_number="A-12")
    b = cast(vote, chen, Choice.FOR, channel=Channel.PAPER, paper_number="A-12")
    assert a.pk == b.pk and not BallotChange.objects.exists()
    assert services.tally(vote).counts.yes == 1
    with pytest.raises(ValidationError, match="内容不同"):
        cast(vote, chen, Choice.AGAINST, channel=Channel.PAPER, paper_number="A-12")
    with pytest.raises(ValidationError, match="已经录入为"):
        cast(vote, world.residents["zhang"], Choice.FOR, channel=Channel.PAPER, paper_number="A-12")
    with pytest.raises(ValidationError, match="票面编号"):
        cast(vote, world.residents["zhang"], Choice.FOR, channel=Channel.PAPER)


def test_the_database_refuses_a_second_ballot_row_for_a_household(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    ballot = cast(vote, world.residents["li"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            vote=vote,
            household=ballot.household,
            choice="against",
            representative=ballot.representative,
            channel="door",
            cast_at=ballot.cast_at,
        )


def test_a_representative_must_be_of_the_household(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    zhang, li = world.residents["zhang"], world.residents["li"]
    with pytest.raises(ValidationError, match="不是"):
        services.cast_ballot(SYSTEM, vote, zhang.household, Choice.FOR, li, Channel.DOOR)
    assert not Ballot.objects.exists()


def test_a_household_outside_the_matter_cannot_vote(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    with pytest.raises(ValidationError, match="名单"):
        cast(vote, world.residents["wang"])  # building 2


def test_results_are_frozen_when_the_vote_closes(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    cast(vote, world.residents["li"], Choice.FOR)
    vote = services.close_vote(vote, actor=SYSTEM)
    frozen = vote.result
    assert frozen["households"] == {"eligible": 24, "participating": 1, "for": 1, "against": 0, "abstain": 0}
    with pytest.raises(ValidationError, match="已结束"):
        cast(vote, world.residents["zhang"])
    with pytest.raises(ValidationError, match="已结束"):
        services.close_vote(vote, actor=SYSTEM)
    # The database itself refuses a ballot written for a closed vote, and a changed result.
    ballot = Ballot.objects.get(vote=vote)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.filter(pk=ballot.pk).update(choice="against")
    with pytest.raises(IntegrityError), transaction.atomic():
        type(vote).objects.filter(pk=vote.pk).update(result={"passed": True})
    vote.refresh_from_db()
    assert vote.result == frozen and services.tally(vote).as_json() == frozen


def test_an_area_weighted_vote_counts_households_without_area_as_zero(world, b1_matter, neighbours):
    # 24 households: three of 100 ㎡, one of 50 ㎡ (陈奶奶), twenty without an area → eligible area 350 ㎡.
    zhang, li, chen = (world.residents[k] for k in ("zhang", "li", "chen"))
    for resident, area in ((zhang, "100"), (li, "100"), (neighbours[0], "100"), (chen, "50")):
        set_area(resident.household, area)
    vote = open_vote(world.communities["e1"], matter=b1_matter, rule=VoteRule.CIVIL_CODE_MAJOR, weigh_by_area=True)
    set_area(zhang.household, "999")  # changed after opening: the snapshot counts
    for resident in (zhang, li, neighbours[0]):
        cast(vote, resident, Choice.FOR)
    cast(vote, chen, Choice.AGAINST)
    for resident in neighbours[1:]:
        cast(vote, resident, Choice.FOR)  # households without area
    t = services.tally(vote)
    c = t.counts
    assert (c.eligible, c.participating, c.yes, c.no, c.without_area) == (24, 7, 6, 1, 20)
    assert (c.eligible_area, c.participating_area, c.yes_area) == (Decimal("350"), Decimal("350"), Decimal("300"))
    assert [th.text for th in t.thresholds] == [
        "参与户数 7/24 = 29.2%，需 ≥ 66.7%，未达到",
        "参与面积 350.00㎡/350.00㎡ = 100.0% ≥ 66.7% 达到",
        "同意户数 6/7 = 85.7% ≥ 75.0% 达到",
        "同意面积 300.00㎡/350.00㎡ = 85.7% ≥ 75.0% 达到",
    ]
    assert not t.passed
    assert services.recount(vote).as_json() == t.as_json()


def test_a_resident_votes_only_for_their_own_household(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    me = actor_of(world.users["resident"])  # 陈奶奶
    chen, zhang = world.residents["chen"], world.residents["zhang"]
    services.cast_ballot(me, vote, chen.household, Choice.ABSTAIN, chen, Channel.PHONE)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.cast_ballot(me, vote, zhang.household, Choice.FOR, zhang, Channel.PHONE)
    with pytest.raises(PermissionDenied):
        services.cast_ballot(me, vote, zhang.household, Choice.FOR, zhang, Channel.DOOR)


def test_a_grid_worker_takes_ballots_only_in_their_grid(world):
    from django.http import Http404

    vote = open_vote(world.communities["e1"])  # the whole community: both grids
    wang, zhang = world.residents["wang"], world.residents["zhang"]
    gw2 = actor_of(world.users["grid_worker_2"])
    services.cast_ballot(gw2, vote, wang.household, Choice.FOR, wang, Channel.DOOR)
    with pytest.raises(Http404):
        services.cast_ballot(gw2, vote, zhang.household, Choice.FOR, zhang, Channel.DOOR)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.cast_ballot(gw2, vote, wang.household, Choice.FOR, wang, Channel.PAPER, paper_number="1")


def test_opening_tells_residents_of_the_households_in_scope(world, b1_matter):
    from linli.notifications.models import Notification

    vote = open_vote(world.communities["e1"], matter=b1_matter)
    told = Notification.objects.filter(user=world.users["resident"])
    assert told.count() == 1 and "你所在楼栋有表决" in told.get().title
    services.close_vote(vote, actor=SYSTEM)
    assert told.count() == 2 and "表决结果公示" in told.order_by("-id").first().title


def test_votes_past_their_deadline_are_closed_by_the_sweep(world, b1_matter):
    import datetime

    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    soon = timezone.now() + datetime.timedelta(hours=1)
    due = open_vote(world.communities["e1"], matter=b1_matter, closes_at=soon)
    later = open_vote(world.communities["e1"], matter=b1_matter, closes_at=soon + datetime.timedelta(days=3))
    cast(due, world.residents["li"])
    assert services.close_due_votes(now=soon - datetime.timedelta(minutes=1)) == []
    closed = services.close_due_votes(now=soon)
    assert [v.pk for v in closed] == [due.pk]
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == ("closed", "open") and due.result["households"]["for"] == 1
    call_command("votes_close_due")  # nothing due now: runs and closes nothing
    assert settings.CELERY_BEAT_SCHEDULE["votes-close-due"]["task"] == "linli.votes.tasks.votes_close_due"


def test_a_ballot_after_the_deadline_is_refused(world, b1_matter):
    import datetime

    from django.utils import timezone

    past = timezone.now() - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="晚于现在"):
        open_vote(world.communities["e1"], matter=b1_matter, closes_at=past)
    vote = open_vote(world.communities["e1"], matter=b1_matter, closes_at=timezone.now() + datetime.timedelta(hours=1))
    type(vote).objects.filter(pk=vote.pk).update(closes_at=past)
    with pytest.raises(ValidationError, match="截止时间"):
        cast(vote, world.residents["li"])
