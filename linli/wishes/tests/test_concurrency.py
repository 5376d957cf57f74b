"""Races that only a real database settles: run on PostgreSQL."""

import pytest
from django.db import connection

from linli.accounts.choices import Role
from linli.core.audit import actor_of
from linli.core.testing_db import race
from linli.testing import SYSTEM, make_user
from linli.wishes import services
from linli.wishes.choices import Direction, DonationKind, WishStatus
from linli.wishes.models import Claimer, DonationMove, DonationStock, WishClaim, WishEvent
from linli.wishes.testing import build_wish_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent constraint checks are tested on PostgreSQL")


def test_of_many_people_claiming_one_wish_at_once_one_wins_and_the_others_are_told(world):
    ww = build_wish_world(world)
    e1, wish = ww.communities["e1"], ww.wishes["e1"]
    users = []
    for i in range(8):
        user = make_user(f"party{i}", Role.VOLUNTEER)
        services.save_claimer(Claimer(community=e1, name=f"党员{i}", user=user), actor=SYSTEM)
        users.append(user)

    outcomes = race(len(users), lambda i: services.claim_wish(wish, actor=actor_of(users[i])) and "claimed").outcomes
    assert outcomes.count("claimed") == 1
    assert all("已被其他人认领" in o for o in outcomes if o != "claimed"), outcomes
    assert WishClaim.objects.filter(wish=wish).count() == 1
    assert WishEvent.objects.filter(wish=wish, action="claimed").count() == 1
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED


def test_simultaneous_takes_never_take_more_than_the_rack_holds(world):
    e1 = world.communities["e1"]
    services.record_donation(e1, actor=SYSTEM, kind=DonationKind.BOOKS, direction=Direction.IN, quantity=5)

    def take(i):
        services.record_donation(e1, actor=SYSTEM, kind=DonationKind.BOOKS, direction=Direction.OUT, quantity=2)
        return "taken"

    outcomes = race(10, take).outcomes
    assert outcomes.count("taken") == 2
    stock = DonationStock.objects.get(community=e1, kind=DonationKind.BOOKS)
    assert (stock.quantity, stock.total_out) == (1, 4)
    assert DonationMove.objects.filter(direction=Direction.OUT).count() == 2


def test_the_first_donations_of_a_kind_at_once_make_one_stock_row(world):
    e1 = world.communities["e1"]
    donations = race(
        6,
        lambda i: services.record_donation(
            e1, actor=SYSTEM, kind=DonationKind.TOYS, direction=Direction.IN, quantity=1
        ),
    )
    assert donations.failures == [] and donations.refusals == []
    stock = DonationStock.objects.get(community=e1, kind=DonationKind.TOYS)
    assert stock.quantity == 6


def test_four_reminder_sweeps_at_once_remind_each_claim_once(world):
    import datetime

    from django.utils import timezone

    from linli.notifications.models import Notification
    from linli.wishes.notify import remind_overdue_claims
    from linli.wishes.testing import new_wish

    ww = build_wish_world(world)
    e1 = ww.communities["e1"]
    wishes = [ww.wishes["e1"], *(new_wish(e1, title=f"心愿{i}") for i in range(5))]
    for wish in wishes:
        services.claim_wish(wish, actor=ww.actor("staff"), claimer=ww.claimers["xia"])
    WishClaim.objects.update(claimed_at=timezone.now() - datetime.timedelta(days=30))
    Notification.objects.all().delete()

    outcomes = race(4, lambda i: remind_overdue_claims()[0]).outcomes
    assert sum(outcomes) == 6
    assert WishEvent.objects.filter(action="reminded").count() == 6
    assert Notification.objects.filter(user=ww.users["volunteer"]).count() == 6
    # However the sweeps split the claims between them, the managers hear of each claim exactly once.
    told = " ".join(Notification.objects.filter(user=ww.users["staff"]).values_list("body", flat=True))
    for title in ["一个新书包", *(f"心愿{i}（" for i in range(5))]:
        assert told.count(title) == 1, title
