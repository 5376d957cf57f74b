"""Self-service password change, and the change required after an administrator set a password (issue 13 §10)."""

import pytest
from django.urls import reverse

from linli.accounts.models import ApiToken, User
from linli.core.models import ChangeRecord
from linli.testing import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Own-choice-2026x"
CHANGE = reverse("accounts:password_change")


def change(client, old=PASSWORD, new1=NEW, new2=NEW):
    return client.post(CHANGE, {"old_password": old, "new_password1": new1, "new_password2": new2})


def test_every_user_reaches_the_change_page_from_the_header(world, login):
    html = login(world.users["resident"]).get(reverse("core:home")).content.decode()
    assert f'href="{CHANGE}"' in html and "修改密码" in html


def test_a_user_changes_her_password_and_stays_logged_in(world, login):
    client = login(world.users["grid_worker_1"])
    response = change(client)
    assert response.status_code == 302
    assert client.get(reverse("residents:resident_list")).status_code == 200  # same session still works
    user = User.objects.get(username="grid_worker_1")
    assert user.check_password(NEW) and not user.must_change_password
    record = ChangeRecord.objects.filter(object_id=user.pk, content_type__model="user").last()
    assert record is not None and PASSWORD not in str(record.changes) and NEW not in str(record.changes)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"old": "Wrong-pass-2026"}, "old_password", "原密码不正确"),
        ({"new2": "Other-choice-2026"}, "new_password2", "两次输入的新密码不一致"),
        ({"new1": "abcdefgh", "new2": "abcdefgh"}, "new_password1", "至少"),
        ({"new1": PASSWORD, "new2": PASSWORD}, "new_password1", "不能与原密码相同"),
    ],
)
def test_a_bad_change_is_refused_with_a_chinese_message_and_changes_nothing(world, login, data, field, message):
    client = login(world.users["grid_worker_1"])
    response = change(client, **data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert User.objects.get(username="grid_worker_1").check_password(PASSWORD)


def test_an_account_created_by_an_administrator_must_change_its_password_first(world, login, client):
    login(world.users["secretary"]).post(
        reverse("accounts:user_add"),
        {
            "username": "wg9",
            "full_name": "新网格员",
            "role": "grid_worker",
            "password": "Qinghe-2026x",
            "is_active": "on",
            "grids": [world.grids["g1"].pk],
        },
    )
    assert User.objects.get(username="wg9").must_change_password
    client.logout()
    assert client.post(reverse("accounts:login"), {"username": "wg9", "password": "Qinghe-2026x"}).status_code == 302
    for url in (reverse("core:home"), reverse("residents:resident_list"), "/api/residents"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == CHANGE
    assert client.get(CHANGE).status_code == 200
    assert change(client, old="Qinghe-2026x").status_code == 302
    assert client.get(reverse("residents:resident_list")).status_code == 200


def test_a_password_reset_by_an_administrator_must_be_changed_at_next_login(world, login, client):
    worker = world.users["grid_worker_1"]
    login(world.users["secretary"]).post(
        reverse("accounts:user_password", args=[worker.pk]), {"password": "Set-by-admin-2026"}
    )
    client.logout()
    client.post(reverse("accounts:login"), {"username": "grid_worker_1", "password": "Set-by-admin-2026"})
    assert client.get(reverse("core:home"))["Location"] == CHANGE
    # logging out is always possible
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_bearer_api_requests_are_not_held_by_the_required_change(world, client):
    worker = User.objects.get(username="grid_worker_1")
    worker.must_change_password = True
    worker.save()
    _, key = ApiToken.issue(worker, "看板")
    response = client.get("/api/residents", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_the_deploy_check_warns_about_the_in_memory_sms_backend_in_production(settings):
    from linli.tracking.apps import check_sms_backend

    settings.PRODUCTION = True
    settings.LINLI_SMS_BACKEND = "linli.tracking.sms.LocMemBackend"
    assert [m.id for m in check_sms_backend()] == ["linli.tracking.W001"]
    settings.LINLI_SMS_BACKEND = "linli.accounts.tests.sms_gateway.GatewayBackend"
    assert check_sms_backend() == []
