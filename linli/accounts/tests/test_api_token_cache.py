"""The per-process cache of API tokens (linli.accounts.tokens.live_token): a token and its user are read once per
process, and every change that decides what a token may do — revocation, deactivation, a new role or area — is
applied on the very next request, in this process and (through the shared version) in every other."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.accounts import services, tokens
from linli.accounts.choices import Role
from linli.accounts.models import ApiToken, User
from linli.core import versioned
from linli.core.audit import actor_of

pytestmark = pytest.mark.django_db

LIST = "/api/residents"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {r["name"] for r in response.json()["items"]}


def edit(world, target, *, role=None, nodes=None):
    """The account page's edit, by the community's secretary: another role or other areas, still active."""
    services.update_user(
        target,
        actor=actor_of(world.users["secretary"]),
        role=role or target.role,
        full_name=target.full_name,
        phone=target.phone,
        is_active=True,
        nodes=nodes or [world.grids["g1"]],
    )


def test_a_cached_token_is_answered_without_reading_the_token_or_the_users_areas(world, client):
    _, key = ApiToken.issue(world.users["grid_worker_1"], "看板")
    client.get(LIST, **bearer(key))  # read once: the token, its user, the user's area assignments
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, **bearer(key)).status_code == 200
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "accounts_apitoken" not in read and "accounts_areaassignment" not in read


def test_a_revoked_token_is_refused_on_the_next_request(world, client):
    token, key = ApiToken.issue(world.users["grid_worker_1"], "看板")
    assert client.get(LIST, **bearer(key)).status_code == 200
    tokens.revoke_token(token, actor=actor_of(world.users["grid_worker_1"]), reason=tokens.REASON_OWNER)
    assert client.get(LIST, **bearer(key)).status_code == 401


def test_a_deactivated_users_token_is_refused_on_the_next_request(world, client):
    target = world.users["grid_worker_1"]
    _, key = ApiToken.issue(target, "看板")
    assert client.get(LIST, **bearer(key)).status_code == 200
    services.deactivate_user(target, actor=actor_of(world.users["secretary"]))
    assert client.get(LIST, **bearer(key)).status_code == 401


def test_a_new_role_applies_on_the_next_request(world, client):
    target = world.users["grid_worker_1"]
    _, key = ApiToken.issue(target, "看板")
    assert client.get(LIST, **bearer(key)).status_code == 200
    edit(world, target, role=Role.VOLUNTEER)  # volunteers do not see the residents' register
    assert client.get(LIST, **bearer(key)).status_code == 403


def test_a_new_area_applies_on_the_next_request(world, client):
    target = world.users["grid_worker_1"]
    _, key = ApiToken.issue(target, "看板")
    _, other = ApiToken.issue(world.users["grid_worker_2"], "看板")
    before = names(client.get(LIST, **bearer(key)))
    edit(world, target, nodes=[world.grids["g2"]])
    after = names(client.get(LIST, **bearer(key)))
    assert after == names(client.get(LIST, **bearer(other))) and after != before


def test_another_process_revoking_a_token_is_noticed_through_the_shared_version(world, client):
    token, key = ApiToken.issue(world.users["grid_worker_1"], "看板")
    assert client.get(LIST, **bearer(key)).status_code == 200
    # What another worker's revocation leaves behind for this one: the row changed (no signal in this process)
    # and a new version in the shared cache.
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    assert client.get(LIST, **bearer(key)).status_code == 200  # this process's copy, until the version changes
    versioned.set_new_version(tokens.LIVE.key)
    assert client.get(LIST, **bearer(key)).status_code == 401


def test_a_login_does_not_empty_the_token_cache(world, client):
    _, key = ApiToken.issue(world.users["grid_worker_1"], "看板")
    client.get(LIST, **bearer(key))
    table = tokens.LIVE.get()
    User.objects.get(pk=world.users["staff"].pk).save(update_fields=["last_login"])
    assert tokens.LIVE.get() is table and len(table) == 1


def test_a_request_changing_its_user_object_does_not_change_the_next_requests(world):
    _, key = ApiToken.issue(world.users["grid_worker_1"], "看板")
    first = tokens.live_token(ApiToken.hash_key(key))
    first.user.role = Role.STREET_ADMIN
    first.personal_data = True
    again = tokens.live_token(ApiToken.hash_key(key))
    assert again.user.role == Role.GRID_WORKER and not again.personal_data


def test_each_request_gets_its_own_copy_of_the_cached_token_and_user(world):
    _, key = ApiToken.issue(world.users["grid_worker_1"], "看板")
    first = tokens.live_token(ApiToken.hash_key(key))
    again = tokens.live_token(ApiToken.hash_key(key))
    assert first is not again and first.user is not again.user and first.user == again.user
    assert first._state is not again._state and not first._state.adding and first._state.db == "default"
    assert first._state.fields_cache is not again._state.fields_cache
    assert again.user_id == again.user.pk and again.user.assigned_nodes() == first.user.assigned_nodes()
    first.user.full_name = "改过"
    assert tokens.live_token(ApiToken.hash_key(key)).user.full_name != "改过"
