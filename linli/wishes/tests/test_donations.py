"""爱心衣物: donations in, takes out, a stock that never goes below zero."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.testing import SYSTEM
from linli.wishes import services
from linli.wishes.choices import Direction, DonationKind
from linli.wishes.models import DonationMove, DonationStock

pytestmark = pytest.mark.django_db


def move(community, direction, quantity, *, actor=SYSTEM, kind=DonationKind.CLOTHES, **kwargs):
    return services.record_donation(community, actor=actor, kind=kind, direction=direction, quantity=quantity, **kwargs)


def test_donations_in_and_takes_out_keep_a_running_stock(world):
    e1 = world.communities["e1"]
    move(e1, Direction.IN, 20, donor_name="王阿姨", note="冬衣")
    move(e1, Direction.OUT, 5)
    last = move(e1, Direction.IN, 3)
    stock = DonationStock.objects.get(community=e1, kind=DonationKind.CLOTHES)
    assert (stock.quantity, stock.total_in, stock.total_out) == (18, 23, 5)
    assert last.balance_after == 18
    assert DonationMove.objects.filter(community=e1).count() == 3


def test_a_take_beyond_the_stock_is_refused_and_changes_nothing(world):
    e1 = world.communities["e1"]
    move(e1, Direction.IN, 2)
    with pytest.raises(ValidationError) as exc:
        move(e1, Direction.OUT, 3)
    assert exc.value.message_dict == {"quantity": ["衣物现有2件，不能领取3件。"]}
    with pytest.raises(ValidationError, match="现有0件"):
        move(e1, Direction.OUT, 1, kind=DonationKind.BOOKS)
    assert DonationStock.objects.get(community=e1, kind=DonationKind.CLOTHES).quantity == 2


@pytest.mark.parametrize("quantity", [0, -1, 1.5])
def test_quantities_must_be_positive_whole_numbers(world, quantity):
    with pytest.raises(ValidationError):
        move(world.communities["e1"], Direction.IN, quantity)


def test_the_database_refuses_a_negative_or_unbalanced_stock(world):
    move(world.communities["e1"], Direction.IN, 1)
    stock = DonationStock.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        DonationStock.objects.filter(pk=stock.pk).update(total_out=5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from([Direction.IN, Direction.OUT]), st.integers(1, 12)), max_size=25))
def test_the_stock_is_the_sum_of_its_moves_and_never_negative(world, moves):
    e1 = world.communities["e1"]
    DonationMove.objects.all().delete()
    DonationStock.objects.all().delete()
    expected = 0
    for direction, quantity in moves:
        try:
            move(e1, direction, quantity)
        except ValidationError:
            assert direction == Direction.OUT and quantity > expected
            continue
        expected += quantity if direction == Direction.IN else -quantity
        assert expected >= 0
    got = DonationStock.objects.filter(community=e1).values_list("quantity", flat=True).first() or 0
    ins = sum(m.quantity for m in DonationMove.objects.filter(direction=Direction.IN))
    outs = sum(m.quantity for m in DonationMove.objects.filter(direction=Direction.OUT))
    assert got == expected == ins - outs


def test_only_staff_of_the_community_record_moves(world):
    from linli.core.audit import actor_of

    e1 = world.communities["e1"]
    with pytest.raises(PermissionDenied):
        move(e1, Direction.IN, 1, actor=actor_of(world.users["volunteer"]))
    with pytest.raises(Http404):
        move(world.communities["w1"], Direction.IN, 1, actor=actor_of(world.users["staff"]))
    move(e1, Direction.IN, 1, actor=actor_of(world.users["staff"]))


def test_the_stock_page_records_a_take_and_shows_a_refusal(world, client):
    e1 = world.communities["e1"]
    move(e1, Direction.IN, 4)
    client.force_login(world.users["staff"])
    url = reverse("wishes:donation_stock")
    data = {"community": e1.pk, "direction": "out", "kind": "clothes", "quantity": 3, "moved_on": "2026-11-30"}
    response = client.post(url, data, follow=True)
    assert "现有1件" in response.content.decode()
    response = client.post(url, {**data, "quantity": 2})
    assert response.status_code == 200 and "衣物现有1件，不能领取2件" in response.content.decode()
    assert DonationMove.objects.filter(direction=Direction.OUT).get().moved_on == datetime.date(2026, 11, 30)
    client.force_login(world.users["secretary"])
    assert client.get(url).status_code == 200
    client.force_login(world.users["volunteer"])
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403


def test_staff_see_only_their_communitys_stock(world, client):
    move(world.communities["w1"], Direction.IN, 7)
    client.force_login(world.users["staff"])
    response = client.get(reverse("wishes:donation_stock"))
    assert list(response.context["stock"]) == [] and list(response.context["moves"]) == []
