"""Who may manage which account (issue 13 §1): every managing role × every kind of target × every action.

The rule (UserQuerySet.manageable_by, services.check_manageable): a manager acts only on accounts whose role
they may grant and all of whose assignments lie inside their own scope; superusers act on everyone. Anything
else is refused (edit, password reset, 停用, 解除锁定: 403 when the manager can see the account, 404 when they cannot) and left exactly as it was.
"""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from linli.accounts.choices import Role
from linli.accounts.models import User
from linli.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-new-2026x"

MANAGERS = ["street_admin", "secretary", "staff", "grid_worker_1", "dept_handler", "volunteer", "resident", "root"]
TARGETS = [
    "grid_worker_same",  # a grid worker of the secretary's community
    "staff_same",  # staff of the secretary's community
    "staff_wide",  # staff of the secretary's community AND of a community of another street
    "street_admin_wide",  # a street administrator of 东街 also assigned the secretary's community
    "other_secretary",  # the secretary of another street's community
    "resident_in",  # a resident account whose resident lives in the secretary's community
    "resident_out",  # a resident account of another street
    "superuser",  # a superuser assigned the secretary's community
]

#: (manager, target) pairs that are allowed; every other pair is refused.
ALLOWED = {
    ("street_admin", "grid_worker_same"),
    ("street_admin", "staff_same"),
    ("street_admin", "street_admin_wide"),  # 东街 + 东一社区: all inside 东街, and street admins grant every role
    ("street_admin", "resident_in"),
    ("secretary", "grid_worker_same"),
    ("secretary", "staff_same"),
    ("secretary", "resident_in"),
} | {("root", target) for target in TARGETS}


def build_targets(world):
    e1, w1, east = world.communities["e1"], world.communities["w1"], world.streets["east"]
    sun_account = make_user("resident_out", Role.RESIDENT, resident=world.residents["sun"])
    root = make_user("superuser", Role.STAFF, e1)
    root.is_superuser = True
    root.save()
    manager_root = User.objects.create_superuser("root", password=PASSWORD)
    return {
        "managers": {**world.users, "root": manager_root},
        "targets": {
            "grid_worker_same": world.users["grid_worker_2"],
            "staff_same": make_user("staff_same", Role.STAFF, e1),
            "staff_wide": make_user("staff_wide", Role.STAFF, e1, w1),
            "street_admin_wide": make_user("street_admin_wide", Role.STREET_ADMIN, east, e1),
            "other_secretary": make_user("other_secretary", Role.SECRETARY, w1),
            "resident_in": world.users["resident"],
            "resident_out": sun_account,
            "superuser": root,
        },
    }


def state(user):
    user = User.objects.get(pk=user.pk)
    return (
        user.full_name,
        user.role,
        user.is_active,
        user.password,
        user.must_change_password,
        sorted(user.assigned_nodes()),
    )


FIELD_OF_LEVEL = {"street": "streets", "community": "communities", "grid": "grids", "building": "buildings"}


def edit_data(target, full_name):
    """The edit form as the page would post it: the target's own role and assignments, a new name."""
    data = {"full_name": full_name, "phone": "", "role": target.role, "is_active": "on"}
    for level, node_id in target.assigned_nodes():
        data.setdefault(FIELD_OF_LEVEL[level], []).append(node_id)
    return data


@pytest.mark.parametrize("target_name", TARGETS)
@pytest.mark.parametrize("manager_name", MANAGERS)
def test_account_management_matrix(world, client, manager_name, target_name):
    people = build_targets(world)
    manager, target = people["managers"][manager_name], people["targets"][target_name]
    allowed = (manager_name, target_name) in ALLOWED
    before = state(target)
    edit = reverse("accounts:user_edit", args=[target.pk])
    password = reverse("accounts:user_password", args=[target.pk])
    deactivate = reverse("accounts:user_deactivate", args=[target.pk])
    unlock = reverse("accounts:user_unlock", args=[target.pk])
    for _ in range(5):  # lock the target out (from another client's address)
        client.post(
            reverse("accounts:login"),
            {"username": target.username, "password": "wrong-Password-1"},
            REMOTE_ADDR="192.0.2.9",
        )
    assert AccessAttempt.objects.filter(username=target.username).exists()
    client.force_login(manager)

    get_edit, get_password = client.get(edit), client.get(password)
    post_unlock = client.post(unlock)  # before the password reset, which lifts a lockout too
    still_locked = AccessAttempt.objects.filter(username=target.username).exists()
    post_edit = client.post(edit, edit_data(target, "改过的名字"))
    post_password = client.post(password, {"password": NEW_PASSWORD})
    post_deactivate = client.post(deactivate)
    statuses = [r.status_code for r in (get_edit, get_password, post_unlock, post_edit, post_password, post_deactivate)]

    after = User.objects.get(pk=target.pk)
    if allowed:
        assert statuses == [200, 200, 302, 302, 302, 302], statuses
        assert not still_locked
        assert after.full_name == "改过的名字"
        assert sorted(after.assigned_nodes()) == before[-1], "assignments must survive a save"
        assert after.check_password(NEW_PASSWORD) and after.must_change_password
        assert not after.is_active
    else:
        assert all(s in (403, 404) for s in statuses), statuses
        assert state(after) == before
        assert still_locked
