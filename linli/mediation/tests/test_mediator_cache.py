"""Whether a user is a mediator (the 顺顺吧 menu entry on every page) is kept in the shared cache per user
(linli.core.pagecache.for_user), as a party secretary is: read once, never one user's answer for another,
forgotten by every change of a mediator."""

import pytest

from linli.accounts.models import User
from linli.mediation.models import Mediator
from linli.mediation.services import is_mediator, save_mediator
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def mediator(user) -> bool:
    return is_mediator(User.objects.get(pk=user.pk))  # a fresh object: only the shared cache remembers


def test_the_answer_is_read_once_per_user(mw, world, django_assert_num_queries):
    assert mediator(world.users["volunteer"])  # 唐调解's account
    fresh = User.objects.get(pk=world.users["volunteer"].pk)
    with django_assert_num_queries(0):
        assert is_mediator(fresh)


def test_one_users_answer_never_answers_for_another(mw, world):
    assert mediator(world.users["volunteer"])
    assert not mediator(world.users["grid_worker_2"])


def test_a_new_mediator_a_stood_down_one_and_a_deleted_one_take_effect_at_once(mw, world):
    worker = world.users["grid_worker_2"]
    assert not mediator(worker)
    added = save_mediator(Mediator(community=world.communities["e1"], name="新调解员", user=worker), actor=SYSTEM)
    assert mediator(worker)
    added.is_active = False
    save_mediator(added, actor=SYSTEM)
    assert not mediator(worker)
    added.is_active = True
    save_mediator(added, actor=SYSTEM)
    assert mediator(worker)
    Mediator.objects.filter(pk=added.pk).delete()
    assert not mediator(worker)
