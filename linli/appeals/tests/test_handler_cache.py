"""The organisations a handler works for are kept in the shared cache per user (appeals.querysets.handler_org_ids):
read once, never one handler's for another, forgotten by every change of a membership, from either side."""

import pytest

from linli.accounts.models import User
from linli.appeals.models import Organisation, UnitBinding
from linli.appeals.querysets import handler_org_ids

pytestmark = pytest.mark.django_db


def orgs(user):
    return set(handler_org_ids(User.objects.get(pk=user.pk)))  # a fresh object: only the shared cache remembers


def test_a_handlers_organisations_are_read_once(aw, django_assert_num_queries):
    handler = aw.users["dept_handler"]
    assert orgs(handler) == {aw.orgs["property"].pk}
    fresh = User.objects.get(pk=handler.pk)
    with django_assert_num_queries(0):
        assert handler_org_ids(fresh) == [aw.orgs["property"].pk]


def test_one_handlers_organisations_never_answer_for_another(aw):
    assert orgs(aw.users["dept_handler"]) == {aw.orgs["property"].pk}
    assert orgs(aw.users["water_handler"]) == {aw.orgs["water"].pk}
    assert orgs(aw.users["grid_worker_1"]) == set()


def test_adding_and_removing_a_handler_takes_effect_at_once(aw):
    handler, water = aw.users["dept_handler"], aw.orgs["water"]
    assert orgs(handler) == {aw.orgs["property"].pk}
    water.handlers.add(handler)
    assert orgs(handler) == {aw.orgs["property"].pk, water.pk}
    handler.handled_orgs.remove(aw.orgs["property"])  # the reverse side
    assert orgs(handler) == {water.pk}
    water.handlers.clear()
    assert orgs(handler) == set()


def test_deleting_an_organisation_forgets_its_handlers(aw):
    handler = aw.users["e2_handler"]
    assert orgs(handler) == {aw.orgs["e2_property"].pk}
    UnitBinding.objects.filter(organisation=aw.orgs["e2_property"]).delete()
    Organisation.objects.filter(pk=aw.orgs["e2_property"].pk).delete()
    assert orgs(handler) == set()


def test_a_new_handler_sees_the_queue_at_once(aw, client):
    handler = aw.users["water_handler"]
    client.force_login(handler)
    assert "本单位待办" in client.get("/appeals/").content.decode()
    aw.orgs["water"].handlers.remove(handler)
    handler.role = "staff"
    handler.save()
    assert "本单位待办" not in client.get("/appeals/").content.decode()
