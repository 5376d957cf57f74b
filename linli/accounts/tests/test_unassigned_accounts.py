"""Accounts placed nowhere (no assignment, no resident) stay with the area that owns them (issue 14).

An account saved without an area, a department handler or a volunteer used to vanish from 账号 (its edit page a
404). Now it belongs to an owning area (User.owner_street / owner_community): its own nodes' community or street,
kept when they are taken away, else the creating manager's area. That area's managers list and manage it;
another street's secretary or administrator neither sees nor manages it; an account without any owner (made by a
command) is seen by street administrators only.
"""

import pytest
from django.urls import reverse

from linli.accounts.choices import Role
from linli.accounts.models import User
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def usernames(response):
    return {u.username for u in response.context["page"]}


def new_account(client, username, role="dept_handler", **extra):
    data = {"username": username, "full_name": "新账号", "role": role, "password": "Qinghe-2026x", "is_active": "on"}
    return client.post(reverse("accounts:user_add"), {**data, **extra})


def test_it_lists_an_account_saved_without_an_area_to_the_secretary_who_made_it(world, login):
    client = login(world.users["secretary"])
    assert new_account(client, "handler_new").status_code == 302
    account = User.objects.get(username="handler_new")
    assert (account.owner_street, account.owner_community) == (world.streets["east"], world.communities["e1"])
    assert "handler_new" in usernames(client.get(reverse("accounts:user_list")))
    assert client.get(reverse("accounts:user_edit", args=[account.pk])).status_code == 200
    # the street office above the community sees and manages it too
    client = login(world.users["street_admin"])
    assert "handler_new" in usernames(client.get(reverse("accounts:user_list")))
    assert client.get(reverse("accounts:user_edit", args=[account.pk])).status_code == 200


def test_it_keeps_an_account_whose_grids_were_all_taken_away(world, login):
    client = login(world.users["secretary"])
    target = world.users["grid_worker_2"]
    data = {"full_name": "刘志刚", "role": "grid_worker", "is_active": "on", "phone": ""}
    assert client.post(reverse("accounts:user_edit", args=[target.pk]), data).status_code == 302
    target.refresh_from_db()
    assert target.assigned_nodes() == () and target.owner_community == world.communities["e1"]
    assert "grid_worker_2" in usernames(client.get(reverse("accounts:user_list")))
    assert client.get(reverse("accounts:user_edit", args=[target.pk])).status_code == 200


def test_it_hides_another_streets_unassigned_account(world, login):
    west_secretary = make_user("west_secretary", Role.SECRETARY, world.communities["w1"])
    assert new_account(login(west_secretary), "west_handler").status_code == 302
    account = User.objects.get(username="west_handler")
    assert account.owner_street == world.streets["west"]
    for manager in ("secretary", "street_admin"):
        client = login(world.users[manager])
        assert "west_handler" not in usernames(client.get(reverse("accounts:user_list")))
        assert client.get(reverse("accounts:user_edit", args=[account.pk])).status_code == 404
        assert client.post(reverse("accounts:user_deactivate", args=[account.pk])).status_code == 404
    account.refresh_from_db()
    assert account.is_active
    assert not User.objects.manageable_by(world.users["street_admin"]).filter(pk=account.pk).exists()
    assert User.objects.manageable_by(west_secretary).filter(pk=account.pk).exists()


def test_it_shows_an_account_without_owner_to_street_administrators_only(world, login):
    # "nobody": made by a command, no assignment, no resident, no owner
    assert "nobody" in usernames(login(world.users["street_admin"]).get(reverse("accounts:user_list")))
    assert "nobody" not in usernames(login(world.users["secretary"]).get(reverse("accounts:user_list")))
    assert User.objects.manageable_by(world.users["street_admin"]).filter(username="nobody").exists()
    assert not User.objects.manageable_by(world.users["secretary"]).filter(username="nobody").exists()


def test_an_owned_account_that_holds_a_grid_elsewhere_is_not_seen_through_its_owner(world, login):
    # owner 东一 but an assignment in 西街: visible only where its assignment is, never via the owner
    account = make_user("moved", Role.STAFF, world.communities["w1"])
    account.owner_street, account.owner_community = world.streets["east"], world.communities["e1"]
    account.save()
    assert "moved" not in usernames(login(world.users["secretary"]).get(reverse("accounts:user_list")))


@pytest.mark.parametrize("raw", ["12345", "12012345678", "1381234567", "abc", "138123456789"])
def test_it_refuses_a_phone_that_is_no_phone(world, login, raw):
    response = new_account(login(world.users["secretary"]), "bad_phone", phone=raw)
    assert response.status_code == 200
    assert any("格式不正确" in e for e in response.context["form"].errors["phone"])
    assert not User.objects.filter(username="bad_phone").exists()


@pytest.mark.parametrize(
    "raw,stored",
    [("138 1234 5678", "13812345678"), ("+86 139-0718-1234", "13907181234"), ("027-87654321", "027-87654321")],
)
def test_it_stores_a_mobile_or_landline_in_canonical_form(world, login, raw, stored):
    assert new_account(login(world.users["secretary"]), "good_phone", phone=raw).status_code == 302
    assert User.objects.get(username="good_phone").phone == stored


def test_the_demo_handler_and_volunteer_are_listed_for_the_secretary(demo_output, db, client):
    client.force_login(User.objects.get(username="shuji"))
    names = {u.username for u in client.get(reverse("accounts:user_list"), {"page": 1}).context["page"]}
    assert {"bumen", "zhiyuan"} <= names
    for username in ("bumen", "zhiyuan"):
        pk = User.objects.get(username=username).pk
        assert client.get(reverse("accounts:user_edit", args=[pk])).status_code == 200


def test_the_migration_gives_existing_accounts_their_owner(world):
    import importlib

    from django.apps import apps

    from linli.core import audit
    from linli.core.audit import actor_of
    from linli.core.models import ChangeAction

    migration = importlib.import_module("linli.accounts.migrations.0006_user_owner_area")
    made_by_secretary = make_user("old_handler", Role.DEPT_HANDLER)
    audit.record(
        made_by_secretary,
        ChangeAction.CREATE,
        None,
        audit.snapshot(made_by_secretary),
        actor_of(world.users["secretary"]),
    )
    User.objects.update(owner_street=None, owner_community=None)
    migration.set_owners(apps, None)
    by_name = {u.username: (u.owner_street_id, u.owner_community_id) for u in User.objects.all()}
    e1 = world.communities["e1"]
    assert by_name["old_handler"] == (e1.street_id, e1.pk)  # from the change record's actor
    assert by_name["grid_worker_1"] == (e1.street_id, e1.pk)  # from its own grid
    assert by_name["street_admin"] == (world.streets["east"].pk, None)
    assert by_name["nobody"] == (None, None)  # made by a command: street administrators see it
