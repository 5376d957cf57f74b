"""Whether a user is a party organisation's secretary (the 党建 menu on every page) is kept in the shared cache per
user (linli.core.pagecache.for_user): read once, never one user's answer for another, forgotten by every change."""

import pytest

from linli.accounts.models import User
from linli.party.models import PartyOrg
from linli.party.querysets import is_secretary

pytestmark = pytest.mark.django_db


def secretary(user):
    return is_secretary(User.objects.get(pk=user.pk))  # a fresh object: only the shared cache remembers


def test_the_answer_is_read_once_per_user(pw, world, django_assert_num_queries):
    assert secretary(world.users["grid_worker_1"])
    fresh = User.objects.get(pk=world.users["grid_worker_1"].pk)
    with django_assert_num_queries(0):
        assert is_secretary(fresh)


def test_one_users_answer_never_answers_for_another(pw, world):
    assert secretary(world.users["grid_worker_1"])
    assert not secretary(world.users["grid_worker_2"])


def test_a_new_secretary_or_a_closed_organisation_takes_effect_at_once(pw, world):
    worker, branch = world.users["grid_worker_2"], pw.orgs["e1_b2"]
    assert not secretary(worker)
    branch.secretary = worker
    branch.save()
    assert secretary(worker)
    branch.is_active = False
    branch.save()
    assert not secretary(worker)


def test_deleting_the_organisation_forgets_its_secretary(pw, world):
    worker, group = world.users["grid_worker_2"], pw.orgs["e1_group"]
    group.secretary = worker
    group.save()
    assert secretary(worker)
    PartyOrg.objects.filter(pk=group.pk).delete()
    assert not secretary(worker)
