"""The account takeovers of issue 13 §1, reproduced: each must now be refused and change nothing."""

import pytest
from django.urls import reverse

from linli.accounts import services
from linli.accounts.choices import Role
from linli.accounts.models import User
from linli.core.audit import actor_of
from linli.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_a_secretary_cannot_reset_the_password_of_a_street_admin_assigned_her_community(world, login):
    boss = make_user("boss", Role.STREET_ADMIN, world.streets["east"], world.communities["e1"])
    client = login(world.users["secretary"])
    response = client.post(reverse("accounts:user_password", args=[boss.pk]), {"password": "Taken-over-2026"})
    assert response.status_code == 403
    boss.refresh_from_db()
    assert boss.check_password(PASSWORD) and not boss.check_password("Taken-over-2026")
    client.logout()
    assert (
        client.post(reverse("accounts:login"), {"username": "boss", "password": "Taken-over-2026"}).status_code == 200
    )


def test_a_secretary_cannot_reset_the_password_of_staff_also_assigned_to_another_street(world, login):
    wide = make_user("wide", Role.STAFF, world.communities["e1"], world.communities["w1"])
    response = login(world.users["secretary"]).post(
        reverse("accounts:user_password", args=[wide.pk]), {"password": "Taken-over-2026"}
    )
    assert response.status_code == 403
    wide.refresh_from_db()
    assert wide.check_password(PASSWORD)


def test_saving_a_wider_account_no_longer_drops_its_assignment_outside_the_secretarys_scope(world, login):
    wide = make_user("wide", Role.STAFF, world.communities["e1"], world.communities["w1"])
    response = login(world.users["secretary"]).post(
        reverse("accounts:user_edit", args=[wide.pk]),
        {
            "full_name": "wide",
            "phone": "",
            "role": "staff",
            "is_active": "on",
            "communities": [world.communities["e1"].pk],
        },
    )
    assert response.status_code == 403
    assert sorted(User.objects.get(pk=wide.pk).assigned_nodes()) == sorted(
        [("community", world.communities["e1"].pk), ("community", world.communities["w1"].pk)]
    )


def test_the_services_refuse_even_when_called_without_the_view(world):
    """The check lives in the services (under the row lock), not only in the views: the API and commands
    calling them are covered too."""
    wide = make_user("wide", Role.STAFF, world.communities["e1"], world.communities["w1"])
    actor = actor_of(world.users["secretary"])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reset_password(wide, "Taken-over-2026", actor=actor)
    with pytest.raises(PermissionDenied):
        services.update_user(
            wide, actor=actor, role="staff", full_name="x", phone="", is_active=True, nodes=[world.communities["e1"]]
        )
    with pytest.raises(PermissionDenied):
        services.deactivate_user(wide, actor=actor)
    wide.refresh_from_db()
    assert wide.is_active and wide.check_password(PASSWORD) and len(wide.assigned_nodes()) == 2


def test_the_list_shows_a_wider_account_read_only(world, login):
    make_user("wide", Role.STAFF, world.communities["e1"], world.communities["w1"])
    response = login(world.users["secretary"]).get(reverse("accounts:user_list"))
    html = response.content.decode()
    wide = next(u for u in response.context["page"] if u.username == "wide")
    assert not wide.manageable
    assert "该账号的管辖范围超出您的权限，只能查看" in html
    assert reverse("accounts:user_password", args=[wide.pk]) not in html
    staff = next(u for u in response.context["page"] if u.username == "grid_worker_1")
    assert staff.manageable and reverse("accounts:user_password", args=[staff.pk]) in html


def test_manageable_by_is_the_one_rule(world):
    """The function other parts (API tokens) call."""
    wide = make_user("wide", Role.STAFF, world.communities["e1"], world.communities["w1"])
    secretary = world.users["secretary"]
    manageable = set(User.objects.manageable_by(secretary).values_list("username", flat=True))
    assert manageable == {
        "secretary",
        "staff",
        "grid_worker_1",
        "grid_worker_2",
        "dept_handler",
        "volunteer",
        "resident",
    }
    assert wide.username not in manageable
    assert not User.objects.manageable_by(world.users["staff"]).exists()
    assert not User.objects.manageable_by(world.users["grid_worker_1"]).exists()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.check_manageable(secretary, wide)
    services.check_manageable(secretary, world.users["grid_worker_1"])


def test_a_secretary_cannot_deactivate_herself(world, login):
    secretary = world.users["secretary"]
    response = login(secretary).post(reverse("accounts:user_deactivate", args=[secretary.pk]), follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    assert User.objects.get(pk=secretary.pk).is_active
