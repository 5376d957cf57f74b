"""Whether a user is a party organisation's secretary (the 党建 menu on every page) is kept in the shared cache per
user (linli.core.pagecache.for_user): read once, never one user's answer for another, forgotten by every change (the
shared tests of linli.core.testing_cache)."""

import pytest

from linli.core.testing_cache import PerUserCacheTests
from linli.party.models import PartyOrg
from linli.party.querysets import is_secretary

pytestmark = pytest.mark.django_db


def a_new_secretary_or_a_closed_organisation_takes_effect_at_once(pw, world, worker):
    branch = pw.orgs["e1_b2"]
    branch.secretary = worker
    branch.save()
    yield True
    branch.is_active = False
    branch.save()
    yield False


def deleting_the_organisation_forgets_its_secretary(pw, world, worker):
    group = pw.orgs["e1_group"]
    group.secretary = worker
    group.save()
    yield True
    PartyOrg.objects.filter(pk=group.pk).delete()
    yield False


class TestSecretaryCache(PerUserCacheTests):
    answer = is_secretary
    app_world = "pw"
    holder = "grid_worker_1"
    other = "grid_worker_2"
    changes = (
        a_new_secretary_or_a_closed_organisation_takes_effect_at_once,
        deleting_the_organisation_forgets_its_secretary,
    )
