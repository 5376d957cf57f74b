"""Scope: another community's staff get 404; pages and buttons decide by role and area."""

import pytest
from django.urls import reverse

from linli.wishes import services
from linli.wishes.choices import WishStatus
from linli.wishes.models import Claimer, Wish

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["wish_detail", "wish_edit"])
def test_another_communitys_staff_get_404(ww, client, name):
    client.force_login(ww.users["w1_staff"])
    assert client.get(reverse(f"wishes:{name}", args=[ww.wishes["e1"].pk])).status_code == 404
    assert client.get(reverse(f"wishes:{name}", args=[ww.wishes["w1"].pk])).status_code == 200


@pytest.mark.parametrize("action, data", [("claim", {}), ("release", {"reason": "x"}), ("cancel", {"reason": "x"})])
def test_posts_outside_scope_are_404_and_change_nothing(ww, client, action, data):
    client.force_login(ww.users["w1_staff"])
    wish = ww.wishes["e1"]
    assert client.post(reverse(f"wishes:wish_{action}", args=[wish.pk]), data).status_code == 404
    wish.refresh_from_db()
    assert wish.status == WishStatus.OPEN


def test_the_list_holds_only_the_users_communities(ww):
    assert set(Wish.objects.restrict(ww.users["staff"])) == {ww.wishes["e1"]}
    assert set(Wish.objects.restrict(ww.users["w1_staff"])) == {ww.wishes["w1"]}
    assert set(Wish.objects.restrict(ww.users["street_admin"])) == {ww.wishes["e1"]}
    assert not Wish.objects.restrict(ww.users["nobody"]).exists()
    assert not Wish.objects.restrict(ww.users["grid_worker_1"]).exists()
    assert not Wish.objects.restrict(ww.users["resident"]).exists()


def test_a_claimer_without_an_area_sees_the_wishes_of_the_community_they_registered_with(ww):
    # volunteer2 has no area assignment: the claimer registry is what gives them 东一社区.
    assert set(Wish.objects.restrict(ww.users["volunteer2"])) == {ww.wishes["e1"]}
    Claimer.objects.filter(user=ww.users["volunteer2"]).update(is_active=False)
    assert not Wish.objects.restrict(ww.users["volunteer2"]).exists()


def test_a_claimer_keeps_seeing_the_wish_they_hold(ww):
    services.claim_wish(ww.wishes["e1"], actor=ww.actor("volunteer2"))
    Claimer.objects.filter(user=ww.users["volunteer2"]).update(is_active=False)
    assert set(Wish.objects.restrict(ww.users["volunteer2"])) == {ww.wishes["e1"]}


def test_the_list_and_detail_pages_keep_their_query_count(ww, client, django_assert_max_num_queries):
    from linli.wishes.testing import new_wish

    for n in range(10):
        new_wish(ww.communities["e1"], title=f"心愿{n}")
    client.force_login(ww.users["volunteer"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("wishes:wish_list") + "?status=all").status_code == 200
    client.force_login(ww.users["staff"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("wishes:wish_detail", args=[ww.wishes["e1"].pk])).status_code == 200
