"""Account management: managers see and grant only within their own scope and rank."""

import pytest
from django.urls import reverse

from linli.accounts.models import User
from linli.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def usernames(response):
    return {u.username for u in response.context["page"]}


def test_a_secretary_sees_the_accounts_of_her_community_only(world, login):
    names = usernames(login(world.users["secretary"]).get(reverse("accounts:user_list")))
    assert {"secretary", "staff", "grid_worker_1", "grid_worker_2", "resident"} <= names
    assert "street_admin" not in names and "nobody" not in names


def test_grid_workers_cannot_manage_accounts(world, login):
    client = login(world.users["grid_worker_1"])
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_add")).status_code == 403


def test_a_secretary_creates_a_grid_worker_for_her_grid(world, login):
    client = login(world.users["secretary"])
    response = client.post(
        reverse("accounts:user_add"),
        {
            "username": "wg3",
            "full_name": "新网格员",
            "phone": "",
            "role": "grid_worker",
            "password": "Qinghe-2026x",
            "is_active": "on",
            "grids": [world.grids["g2"].pk],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="wg3")
    assert user.assigned_nodes() == (("grid", world.grids["g2"].pk),)
    assert ChangeRecord.objects.filter(object_id=user.pk, content_type__model="user", action="create").exists()
    client.logout()
    assert client.post(reverse("accounts:login"), {"username": "wg3", "password": "Qinghe-2026x"}).status_code == 302


def test_a_secretary_cannot_grant_a_grid_of_another_community(world, login):
    response = login(world.users["secretary"]).post(
        reverse("accounts:user_add"),
        {
            "username": "wg4",
            "full_name": "越权",
            "role": "grid_worker",
            "password": "Qinghe-2026x",
            "is_active": "on",
            "grids": [world.grids["g3"].pk],
        },
    )
    assert response.status_code == 200 and "grids" in response.context["form"].errors
    assert not User.objects.filter(username="wg4").exists()


def test_a_secretary_cannot_create_a_street_admin(world, login):
    response = login(world.users["secretary"]).post(
        reverse("accounts:user_add"),
        {
            "username": "boss",
            "full_name": "越权",
            "role": "street_admin",
            "password": "Qinghe-2026x",
            "is_active": "on",
            "communities": [world.communities["e1"].pk],
        },
    )
    assert response.status_code == 200 and "role" in response.context["form"].errors
    assert not User.objects.filter(username="boss").exists()


def test_a_weak_initial_password_is_refused(world, login):
    response = login(world.users["secretary"]).post(
        reverse("accounts:user_add"),
        {
            "username": "wg5",
            "full_name": "弱密码",
            "role": "grid_worker",
            "password": "12345678",
            "is_active": "on",
            "grids": [world.grids["g1"].pk],
        },
    )
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="wg5").exists()


def test_a_secretary_cannot_edit_accounts_outside_her_scope(world, login):
    client = login(world.users["secretary"])
    assert client.get(reverse("accounts:user_edit", args=[world.users["street_admin"].pk])).status_code == 404


def test_moving_a_grid_worker_changes_what_they_see(world, login):
    worker = world.users["grid_worker_1"]
    response = login(world.users["secretary"]).post(
        reverse("accounts:user_edit", args=[worker.pk]),
        {
            "full_name": "网格员一",
            "phone": "",
            "role": "grid_worker",
            "is_active": "on",
            "grids": [world.grids["g2"].pk],
        },
    )
    assert response.status_code == 302
    names = {
        r.name for r in login(User.objects.get(pk=worker.pk)).get(reverse("residents:resident_list")).context["page"]
    }
    assert names == {"王五"}


def test_resetting_a_password_lifts_a_lockout(world, login, client):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "grid_worker_1", "password": "wrong-Password-1"})
    login(world.users["secretary"]).post(
        reverse("accounts:user_password", args=[world.users["grid_worker_1"].pk]), {"password": "Brand-new-2026"}
    )
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "grid_worker_1", "password": "Brand-new-2026"})
    assert response.status_code == 302
