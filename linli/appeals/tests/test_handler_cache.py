"""The organisations a handler works for are kept in the shared cache per user (appeals.querysets.handler_org_ids):
read once, never one handler's for another, forgotten by every change of a membership, from either side, and by an
organisation's deletion (the shared tests of linli.core.testing_cache)."""

import pytest

from linli.appeals.models import Organisation, UnitBinding
from linli.appeals.querysets import handler_org_ids
from linli.core.testing_cache import PerUserCacheTests

pytestmark = pytest.mark.django_db


def organisations(user) -> set[int]:
    """The ids of the organisations `user` handles for (handler_org_ids reads a list)."""
    return set(handler_org_ids(user))


def adding_and_removing_a_handler_takes_effect_at_once(aw, world, handler):
    water = aw.orgs["water"]
    water.handlers.add(handler)
    yield {aw.orgs["property"].pk, water.pk}
    handler.handled_orgs.remove(aw.orgs["property"])  # the reverse side
    yield {water.pk}
    water.handlers.clear()
    yield set()


def deleting_an_organisation_forgets_its_handlers(aw, world, handler):
    doomed = aw.orgs["e2_property"]
    doomed.handlers.add(handler)
    yield {aw.orgs["property"].pk, doomed.pk}
    UnitBinding.objects.filter(organisation=doomed).delete()
    Organisation.objects.filter(pk=doomed.pk).delete()  # its memberships go without a signal
    yield {aw.orgs["property"].pk}


class TestHandlerCache(PerUserCacheTests):
    answer = organisations
    app_world = "aw"
    holder, other = "water_handler", "dept_handler"
    holder_answer = staticmethod(lambda aw: {aw.orgs["water"].pk})
    other_answer = staticmethod(lambda aw: {aw.orgs["property"].pk})
    changes = (adding_and_removing_a_handler_takes_effect_at_once, deleting_an_organisation_forgets_its_handlers)

    def test_each_handler_has_their_own_organisations_and_a_non_handler_none(self, aw, world):
        users, orgs = world.users, aw.orgs
        expected = {"dept_handler": "property", "water_handler": "water", "e2_handler": "e2_property"}
        for name, org in expected.items():
            assert self.fresh_answer(users[name]) == {orgs[org].pk}, name
        assert self.fresh_answer(users["grid_worker_1"]) == set()


def test_a_new_handler_sees_the_queue_at_once(aw, client):
    handler = aw.users["water_handler"]
    client.force_login(handler)
    assert "本单位待办" in client.get("/appeals/").content.decode()
    aw.orgs["water"].handlers.remove(handler)
    handler.role = "staff"
    handler.save()
    assert "本单位待办" not in client.get("/appeals/").content.decode()


def test_a_bulk_write_of_memberships_or_of_the_directory_bumps_what_their_signals_would(db):
    """versioned.touched(model) for writes that send no signal bumps the groups pagecache.invalidate_on watches the
    model for, its many-to-many tables included."""
    from linli.appeals.models import HandlingUnit
    from linli.appeals.querysets import HANDLERS_GROUP
    from linli.areas.models import Grid
    from linli.core import versioned
    from linli.core.pagecache import PREFIX
    from linli.residents.models import Tag

    groups = ("areas", "tags", "appeals", HANDLERS_GROUP)
    bumped = []
    for model in (Grid, Tag, HandlingUnit, Organisation.handlers.through, Organisation):
        before = versioned.versions([f"{PREFIX}v:{group}" for group in groups])
        versioned.touched(model)
        after = versioned.versions(before)
        bumped.append({key.removeprefix(f"{PREFIX}v:") for key in before if before[key] != after[key]})
    assert bumped == [{"areas"}, {"tags"}, {"appeals"}] + [{"appeals", HANDLERS_GROUP}] * 2
