"""Whether a user is a mediator (the 顺顺吧 menu entry on every page) is kept in the shared cache per user
(linli.core.pagecache.for_user), as a party secretary is: read once, never one user's answer for another,
forgotten by every change of a mediator (the shared tests of linli.core.testing_cache)."""

import pytest

from linli.core.testing_cache import PerUserCacheTests
from linli.mediation.models import Mediator
from linli.mediation.services import is_mediator, save_mediator
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def a_new_mediator_a_stood_down_one_and_a_deleted_one_take_effect_at_once(mw, world, worker):
    added = save_mediator(Mediator(community=world.communities["e1"], name="新调解员", user=worker), actor=SYSTEM)
    yield True
    added.is_active = False
    save_mediator(added, actor=SYSTEM)
    yield False
    added.is_active = True
    save_mediator(added, actor=SYSTEM)
    yield True
    Mediator.objects.filter(pk=added.pk).delete()
    yield False


class TestMediatorCache(PerUserCacheTests):
    answer = is_mediator
    app_world = "mw"
    holder = "volunteer"  # 唐调解's account
    other = "grid_worker_2"
    changes = (a_new_mediator_a_stood_down_one_and_a_deleted_one_take_effect_at_once,)
