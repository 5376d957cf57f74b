"""Open311密钥: who issues keys where (the page and `linli open311-key`), shown once, revoked at once."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from linli.core.models import ChangeRecord
from linli.open311.models import ApiKey
from linli.open311.services import authenticate

URL = "/open311/keys/"


def _command(*args) -> list[str]:
    out = io.StringIO()
    call_command("open311_key", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_the_command_prints_only_the_key_on_its_last_line(ow):
    lines = _command("--name", "12345热线平台", "--community", "e1", "--hotline")
    raw = lines[-1]
    assert raw.startswith("o311_") and " " not in raw
    key = authenticate(raw)
    assert key.name == "12345热线平台" and key.community == ow.communities["e1"] and key.hotline
    assert key.prefix == raw[:12] and raw not in key.key_hash
    assert ChangeRecord.objects.filter(object_id=key.pk, actor_label="linli open311-key").exists()


def test_the_command_without_scope_and_with_a_street(ow):
    anywhere = authenticate(_command("--name", "市级平台")[-1])
    assert anywhere.community is None and anywhere.street is None and anywhere.scope_label == "全部社区"
    street = authenticate(_command("--name", "街道看板", "--street", "east")[-1])
    assert street.street == ow.streets["east"]


def test_the_command_refuses_unknown_places(ow):
    with pytest.raises(CommandError, match="nowhere"):
        _command("--name", "x", "--community", "nowhere")
    with pytest.raises(CommandError, match="名称"):
        _command("--name", "  ")
    assert not ApiKey.objects.filter(name="x").exists()


def test_a_secretary_issues_a_key_for_her_community_shown_once(ow, login):
    client = login(ow.users["secretary"])
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "东一社区（e1）" in html and "西一社区" not in html and "全街道" not in html
    response = client.post(URL, {"name": "东一看板", "scope": f"c{ow.communities['e1'].pk}"}, follow=True)
    key = ApiKey.objects.get(name="东一看板")
    html = response.content.decode()
    raw = html.split('<code id="new-key">')[1].split("</code>")[0]
    assert authenticate(raw) == key and key.created_by == ow.users["secretary"] and not key.hotline
    assert raw not in client.get(URL).content.decode()  # shown once


def test_a_secretary_cannot_issue_for_another_community_or_the_street(ow, login):
    client = login(ow.users["secretary"])
    for scope in (f"c{ow.communities['w1'].pk}", f"c{ow.communities['e2'].pk}", f"s{ow.streets['east'].pk}"):
        response = client.post(URL, {"name": "越权", "scope": scope})
        assert response.status_code == 400
    assert not ApiKey.objects.filter(name="越权").exists()


def test_a_street_admin_issues_a_street_key(ow, login):
    client = login(ow.users["street_admin"])
    client.post(URL, {"name": "街道12345", "scope": f"s{ow.streets['east'].pk}", "hotline": "on"})
    key = ApiKey.objects.get(name="街道12345")
    assert key.street == ow.streets["east"] and key.hotline


def test_who_sees_the_page_and_which_keys(ow, login):
    for name in ("grid_worker_1", "staff", "dept_handler", "resident"):
        assert login(ow.users[name]).get(URL).status_code == 403, name
    html = login(ow.users["secretary"]).get(URL).content.decode()
    assert "东一随手拍" in html and "12345热线平台" in html and "街道看板" not in html
    html = login(ow.users["street_admin"]).get(URL).content.decode()
    assert "街道看板" in html and "东一随手拍" in html
    nav = login(ow.users["secretary"]).get("/").content.decode()
    assert URL in nav
    assert URL not in login(ow.users["staff"]).get("/").content.decode()


def test_revoking_from_the_page(ow, login):
    key = ApiKey.objects.get(name="东一随手拍")
    assert login(ow.users["grid_worker_1"]).post(f"{URL}{key.pk}/revoke/").status_code == 403
    street_key = ApiKey.objects.get(name="街道看板")
    assert login(ow.users["secretary"]).post(f"{URL}{street_key.pk}/revoke/").status_code == 404
    response = login(ow.users["secretary"]).post(f"{URL}{key.pk}/revoke/")
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked and key.revoked_at
    street_key.refresh_from_db()
    assert not street_key.revoked
    with pytest.raises(Exception, match="已作废"):
        authenticate(ow.keys["e1"])
