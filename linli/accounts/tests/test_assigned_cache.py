"""The assigned area nodes every page reads are kept in the shared cache per user (linli.core.pagecache.for_user):
read once, never one user's for another, and forgotten by every change of an assignment."""

import pytest
from django.db import transaction

from linli.accounts.choices import Role
from linli.accounts.models import AreaAssignment, User
from linli.accounts.services import update_user
from linli.core.audit import actor_of
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def nodes(user):
    return set(User.objects.get(pk=user.pk).assigned_nodes())  # a fresh object: only the shared cache remembers


def test_the_nodes_are_read_once_per_user(world, django_assert_num_queries):
    worker = world.users["grid_worker_1"]
    assert nodes(worker) == {("grid", world.grids["g1"].pk)}
    fresh = User.objects.get(pk=worker.pk)
    with django_assert_num_queries(0):
        assert fresh.assigned_nodes() == (("grid", world.grids["g1"].pk),)


def test_one_users_nodes_never_answer_for_another(world):
    one, two = world.users["grid_worker_1"], world.users["grid_worker_2"]
    assert nodes(one) == {("grid", world.grids["g1"].pk)}
    assert nodes(two) == {("grid", world.grids["g2"].pk)}
    assert nodes(world.users["nobody"]) == set()


def test_a_new_or_removed_assignment_takes_effect_at_once(world):
    worker = world.users["grid_worker_1"]
    g1, g2 = world.grids["g1"], world.grids["g2"]
    assert nodes(worker) == {("grid", g1.pk)}
    extra = AreaAssignment.objects.create(user=worker, grid=g2)
    assert nodes(worker) == {("grid", g1.pk), ("grid", g2.pk)}
    AreaAssignment.objects.filter(user=worker, grid=g1).delete()
    assert nodes(worker) == {("grid", g2.pk)}
    extra.delete()
    assert nodes(worker) == set()


def test_editing_an_account_replaces_its_cached_nodes(world):
    worker = world.users["grid_worker_2"]
    admin = world.users["street_admin"]
    assert nodes(worker) == {("grid", world.grids["g2"].pk)}
    update_user(
        worker, actor=actor_of(admin), role=Role.GRID_WORKER, full_name=worker.full_name, phone="",
        is_active=True, nodes=[world.grids["g3"]],
    )  # fmt: skip
    assert nodes(worker) == {("grid", world.grids["g3"].pk)}


def test_an_account_without_nodes_that_gains_one_sees_it(world):
    newcomer = make_user("newcomer", Role.STAFF)
    assert nodes(newcomer) == set()
    admin = world.users["street_admin"]
    update_user(
        newcomer, actor=actor_of(admin), role=Role.STAFF, full_name="newcomer", phone="", is_active=True,
        nodes=[world.communities["e1"]],
    )  # fmt: skip
    assert nodes(newcomer) == {("community", world.communities["e1"].pk)}


def test_nothing_read_inside_a_rolled_back_transaction_is_kept(world):
    worker = world.users["grid_worker_1"]
    assert nodes(worker) == {("grid", world.grids["g1"].pk)}
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            AreaAssignment.objects.create(user=worker, street=world.streets["west"])
            assert ("street", world.streets["west"].pk) in nodes(worker)
            raise RuntimeError("rolled back")
    assert nodes(worker) == {("grid", world.grids["g1"].pk)}


def test_prefetched_assignments_are_used_as_they_are(world, django_assert_num_queries):
    users = list(User.objects.filter(role=Role.GRID_WORKER).prefetch_related("assignments").order_by("pk"))
    with django_assert_num_queries(0):
        assert [u.assigned_nodes() for u in users][0] == (("grid", world.grids["g1"].pk),)
