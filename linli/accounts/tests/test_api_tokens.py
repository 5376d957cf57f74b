"""API tokens (issue 13, finding 6): expiry, read-only scope, revocation on password reset and deactivation,
and the managers' view of an account's tokens."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from linli.accounts import services, tokens
from linli.accounts.choices import Role, TokenScope
from linli.accounts.models import ApiToken, User
from linli.core.audit import actor_of, history_of
from linli.residents.models import Resident, RevealRecord
from linli.testing import make_user

pytestmark = pytest.mark.django_db

LIST = "/api/residents"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def new_resident(world):
    from linli.areas.models import Household

    household = Household.objects.get(building=world.buildings["b1"], entrance=1, room="102")
    return {"household": household.pk, "name": "周八", "relation": "head"}


def tokens_page(account):
    return f"/accounts/users/{account.pk}/tokens/"


def revoke_url(token):
    return f"/accounts/users/{token.user_id}/tokens/{token.pk}/revoke/"


# --- expiry ---------------------------------------------------------------------------------


def test_a_new_token_is_read_only_and_lives_90_days_by_default(world):
    token, _ = ApiToken.issue(world.users["grid_worker_1"], "手机端")
    assert token.scope == TokenScope.READ and not token.personal_data
    assert abs(token.expires_at - (timezone.now() + datetime.timedelta(days=90))) < datetime.timedelta(minutes=1)
    assert token.state == "有效"


def test_it_refuses_an_expired_token_with_the_same_401(world, client, monkeypatch):
    token, key = ApiToken.issue(world.users["grid_worker_1"], "旧脚本")
    assert client.get(LIST, **bearer(key)).status_code == 200  # the token is now in this process's cache
    later = token.expires_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(LIST, **bearer(key))
    assert response.status_code == 401
    assert response.json()["detail"] == "API令牌无效、已撤销、已过期，或其用户已停用。"
    token.refresh_from_db()
    assert token.state == "已过期"


# --- scope ----------------------------------------------------------------------------------


def test_a_read_only_token_reads_but_every_write_is_403_and_changes_nothing(world):
    _, key = ApiToken.issue(world.users["secretary"], "看板")
    client = Client()
    zhang = world.residents["zhang"]
    assert client.get(LIST, **bearer(key)).status_code == 200
    responses = [
        client.post(LIST, new_resident(world), content_type="application/json", **bearer(key)),
        client.patch(f"{LIST}/{zhang.pk}", {"note": "改"}, content_type="application/json", **bearer(key)),
        client.post(f"{LIST}/{zhang.pk}/reveal-id", **bearer(key)),
        client.post("/api/appeals", {}, content_type="application/json", **bearer(key)),
    ]
    # (The API has no PUT or DELETE endpoint; the check in BearerToken covers every unsafe method.)
    assert [r.status_code for r in responses] == [403] * len(responses)
    assert "只读" in responses[0].json()["detail"]
    assert not Resident.objects.filter(name="周八").exists()
    assert Resident.objects.get(pk=zhang.pk).note == ""
    assert not RevealRecord.objects.exists()


def test_a_read_write_token_writes(world):
    _, key = ApiToken.issue(world.users["grid_worker_1"], "导入脚本", scope=TokenScope.WRITE)
    response = Client().post(LIST, new_resident(world), content_type="application/json", **bearer(key))
    assert response.status_code == 201, response.content


# --- revocation -----------------------------------------------------------------------------


def test_a_password_reset_revokes_every_token_of_the_account(world, client):
    target = world.users["grid_worker_1"]
    token, key = ApiToken.issue(target, "手机端")
    other, other_key = ApiToken.issue(world.users["grid_worker_2"], "手机端")
    secretary = world.users["secretary"]
    services.reset_password(target, "Xin-mima-2026!", actor=actor_of(secretary))
    response = client.get(LIST, **bearer(key))
    assert response.status_code == 401
    token.refresh_from_db()
    assert token.revoked and token.revoked_reason == "密码已重置" and token.revoked_by == secretary
    assert token.revoked_at is not None
    assert any("已作废（密码已重置）" in str(r.changes) for r in history_of(target))
    assert client.get(LIST, **bearer(other_key)).status_code == 200  # another account's token lives on


def test_a_password_reset_on_the_page_revokes_the_tokens(world, login):
    target = world.users["grid_worker_1"]
    token, key = ApiToken.issue(target, "手机端")
    response = login(world.users["secretary"]).post(
        f"/accounts/users/{target.pk}/password/", {"password": "Xin-mima-2026!"}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert Client().get(LIST, **bearer(key)).status_code == 401


def test_deactivating_an_account_revokes_its_tokens(world, client):
    target = world.users["grid_worker_1"]
    token, key = ApiToken.issue(target, "手机端")
    services.update_user(
        target,
        actor=actor_of(world.users["secretary"]),
        role=target.role,
        full_name=target.full_name,
        phone=target.phone,
        is_active=False,
        nodes=[world.grids["g1"]],
    )
    token.refresh_from_db()
    assert token.revoked and token.revoked_reason == "账号已停用"
    # Re-activating does not bring the token back.
    target.refresh_from_db()
    services.update_user(
        target,
        actor=actor_of(world.users["secretary"]),
        role=target.role,
        full_name=target.full_name,
        phone=target.phone,
        is_active=True,
        nodes=[world.grids["g1"]],
    )
    assert client.get(LIST, **bearer(key)).status_code == 401


def test_an_edit_that_keeps_the_account_active_keeps_its_tokens(world):
    target = world.users["grid_worker_1"]
    token, _ = ApiToken.issue(target, "手机端")
    services.update_user(
        target,
        actor=actor_of(world.users["secretary"]),
        role=target.role,
        full_name="新名字",
        phone="",
        is_active=True,
        nodes=[world.grids["g1"]],
    )
    token.refresh_from_db()
    assert not token.revoked


# --- the user's own token page --------------------------------------------------------------


def test_the_token_page_issues_a_token_with_the_chosen_lifetime_and_scope(world, login):
    client = login(world.users["secretary"])
    response = client.post("/accounts/tokens/", {"name": "看板", "days": "30", "scope": "write", "personal_data": "1"})
    assert response.status_code == 302
    token = ApiToken.objects.get(name="看板")
    assert token.scope == TokenScope.WRITE and token.personal_data
    assert abs(token.expires_at - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(minutes=1)
    page = client.get("/accounts/tokens/").content.decode()
    assert "读写" in page and "有效期至" in page


@pytest.mark.parametrize(
    "data", [{"name": "x", "days": "7"}, {"name": "x", "days": "²"}, {"name": "x", "scope": "all"}]
)
def test_the_token_page_refuses_a_lifetime_or_scope_not_offered(world, login, data):
    client = login(world.users["secretary"])
    response = client.post("/accounts/tokens/", data, follow=True)
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert "有效期" in response.content.decode() or "只读" in response.content.decode()


def test_revoking_ones_own_token_keeps_the_reason(world, login):
    token, _ = ApiToken.issue(world.users["secretary"], "看板")
    login(world.users["secretary"]).post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked and token.revoked_reason == "本人作废"


# --- managers -------------------------------------------------------------------------------


def test_a_manager_sees_every_token_of_an_account_and_revokes_one(world, login, client):
    target = world.users["grid_worker_1"]
    live, key = ApiToken.issue(target, "手机端", scope=TokenScope.WRITE)
    old, _ = ApiToken.issue(target, "旧平板")
    tokens.revoke_token(old, actor=actor_of(target), reason=tokens.REASON_OWNER)
    secretary = world.users["secretary"]
    manager = login(secretary)
    assert f'href="{tokens_page(target)}"' in manager.get("/accounts/users/").content.decode()
    page = manager.get(tokens_page(target))
    assert page.status_code == 200
    html = page.content.decode()
    assert "手机端" in html and live.prefix in html and "读写" in html and "有效" in html
    assert "旧平板" in html and "已作废" in html and "本人作废" in html

    response = manager.post(revoke_url(live))
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.revoked and live.revoked_reason == "管理员作废" and live.revoked_by == secretary
    assert Client().get(LIST, **bearer(key)).status_code == 401
    assert any("管理员作废" in str(r.changes) and r.actor == secretary for r in history_of(target))


def test_a_manager_of_another_community_can_neither_see_nor_revoke_the_tokens(world, login):
    target = world.users["grid_worker_1"]  # 东一社区
    token, key = ApiToken.issue(target, "手机端")
    other = make_user("secretary_e2", Role.SECRETARY, world.communities["e2"])
    client = login(other)
    assert client.get(tokens_page(target)).status_code == 404
    assert client.post(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert not token.revoked
    with pytest.raises(Exception, match="不在您的管理范围内"):
        tokens.revoke_token(token, actor=actor_of(other), reason="x")
    token.refresh_from_db()
    assert not token.revoked


def test_a_secretary_cannot_see_the_tokens_of_an_account_of_a_role_she_may_not_grant(world, login):
    admin = world.users["street_admin"]
    ApiToken.issue(admin, "街道看板")
    assert login(world.users["secretary"]).get(tokens_page(admin)).status_code == 404


@pytest.mark.parametrize("persona", ["staff", "grid_worker_1", "resident"])
def test_roles_that_do_not_manage_accounts_get_403(world, login, persona):
    target = world.users["grid_worker_2"]
    token, _ = ApiToken.issue(target, "手机端")
    client = login(world.users[persona])
    assert client.get(tokens_page(target)).status_code == 403
    assert client.post(revoke_url(token)).status_code == 403
    token.refresh_from_db()
    assert not token.revoked


def test_a_user_cannot_revoke_someone_elses_token_through_their_own_page(world, login):
    token, _ = ApiToken.issue(world.users["grid_worker_2"], "手机端")
    assert login(world.users["grid_worker_1"]).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert not token.revoked


# --- the services (linli.accounts.tokens): the views call them; they check and record on their own ---------------


def test_issuing_a_token_records_who_issued_it_and_never_the_key(world):
    owner = world.users["grid_worker_1"]
    before = history_of(owner).count()
    token, key = tokens.issue_token(owner, actor=actor_of(owner), name="手机端", scope=TokenScope.WRITE)
    records = list(history_of(owner))
    assert len(records) == before + 1
    record = records[0]
    assert record.actor == owner
    assert "手机端" in str(record.changes) and token.prefix in str(record.changes) and "读写" in str(record.changes)
    assert key not in str(record.changes) and key[len(token.prefix) :] not in str(record.changes)


def test_nobody_issues_a_token_for_another_account_not_even_its_manager(world):
    owner, secretary = world.users["grid_worker_1"], world.users["secretary"]
    assert owner in User.objects.manageable_by(secretary)
    with pytest.raises(PermissionDenied, match="只能为自己的账号"):
        tokens.issue_token(owner, actor=actor_of(secretary), name="代办")
    assert not ApiToken.objects.exists()
    assert not history_of(owner).exists()


def test_revoking_records_one_change_and_a_second_revoke_changes_nothing(world):
    owner, secretary = world.users["grid_worker_1"], world.users["secretary"]
    token, key = ApiToken.issue(owner, "手机端")
    assert tokens.revoke_token(token, actor=actor_of(secretary), reason=tokens.REASON_MANAGER) is True
    token.refresh_from_db()
    first = (token.revoked_at, token.revoked_reason, token.revoked_by)
    assert first[1:] == (tokens.REASON_MANAGER, secretary)
    [record] = history_of(owner)
    assert record.actor == secretary and "已作废（管理员作废）" in str(record.changes)
    assert key not in str(record.changes)

    # Twice (a double click, the owner and a manager at once): harmless, nothing recorded again.
    assert tokens.revoke_token(token, actor=actor_of(owner), reason=tokens.REASON_OWNER) is False
    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_reason, token.revoked_by) == first
    assert history_of(owner).count() == 1


@pytest.mark.parametrize("persona", ["grid_worker_2", "staff", "resident", "secretary_e2"])
def test_the_service_refuses_to_revoke_for_someone_who_may_not_manage_the_owner(world, persona):
    owner = world.users["grid_worker_1"]
    token, _ = ApiToken.issue(owner, "手机端")
    if persona == "secretary_e2":
        actor = make_user("secretary_e2", Role.SECRETARY, world.communities["e2"])
    else:
        actor = world.users[persona]
    with pytest.raises(PermissionDenied, match="不在您的管理范围内"):
        tokens.revoke_token(token, actor=actor_of(actor), reason=tokens.REASON_MANAGER)
    token.refresh_from_db()
    assert not token.revoked
    assert not history_of(owner).exists()


def test_a_secretary_may_not_revoke_the_token_of_a_role_she_may_not_grant(world):
    admin = world.users["street_admin"]
    token, _ = ApiToken.issue(admin, "街道看板")
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(token, actor=actor_of(world.users["secretary"]), reason=tokens.REASON_MANAGER)
    token.refresh_from_db()
    assert not token.revoked
