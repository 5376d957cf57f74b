"""Demo wishes: every state, zhiyuan's claims, a donation stock, built through the services."""

import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone

from linli.accounts.choices import Role
from linli.testing import make_user
from linli.wishes.choices import WishStatus
from linli.wishes.demo import PLAN, WISHES, build_demo_wishes, forget_orphan_photos
from linli.wishes.models import Claimer, DonationStock, Wish, WishClaim

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(world):
    make_user("shequ", Role.STAFF, world.communities["e1"])
    zhiyuan = make_user("zhiyuan", Role.VOLUNTEER)
    today = timezone.localdate() - datetime.timedelta(days=2)
    lines = []
    build_demo_wishes(world.communities["e1"], rng=random.Random("wishes"), today=today, log=lines.append)
    return zhiyuan, lines


def test_it_builds_wishes_in_every_state_with_zhiyuan_as_a_claimer(world, demo):
    zhiyuan, lines = demo
    assert len(WISHES) == len(PLAN) == Wish.objects.count()
    assert Counter(Wish.objects.values_list("status", flat=True)) == Counter(p[0] for p in PLAN)
    mine = WishClaim.objects.live().filter(claimer__user=zhiyuan)
    assert {c.wish.status for c in mine} == {WishStatus.CLAIMED, WishStatus.FULFILLED}
    assert Claimer.objects.get(user=zhiyuan).in_service
    # zhiyuan has no area: the claimer registry shows him 东一社区's wishes.
    assert Wish.objects.restrict(zhiyuan).count() == Wish.objects.count()
    assert Wish.objects.exclude(fulfilled_at=None).filter(fulfilled_at__gt=timezone.now()).count() == 0
    assert "微心愿" in lines[0]


def test_the_rack_has_stock_and_reset_leaves_no_orphan_photo(world, demo):
    from linli.attachments.models import Photo

    assert DonationStock.objects.get(kind="clothes").quantity == 125 - 41
    assert Photo.objects.count() == 7
    WishClaim.objects.all().delete()
    forget_orphan_photos()
    assert Photo.objects.count() == 0
