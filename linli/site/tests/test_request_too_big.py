"""A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a Chinese 413 (JSON on the API, a page elsewhere), never a 500."""

from __future__ import annotations

import json

import pytest

from linli.accounts.choices import TokenScope
from linli.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000  # the finding sent 2.5 MB; the limit, not the size, matters
    return settings


def test_an_api_body_over_the_limit_is_a_413_in_chinese(world, client, small_limit):
    client.raise_request_exception = False
    _token, key = ApiToken.issue(world.users["secretary"], "脚本", scope=TokenScope.WRITE)
    body = json.dumps({"text": "楼道灯坏了" * 5000})
    response = client.post(
        "/api/appeals", body, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "太大" in response.json()["detail"]


def test_a_session_api_call_over_the_limit_is_a_413_in_json(world, client, small_limit):
    """The CSRF middleware reads the body first for a session call: the error page is then JSON too."""
    client.raise_request_exception = False
    client.force_login(world.users["secretary"])
    response = client.post("/api/appeals", json.dumps({"text": "灯" * 20000}), content_type="application/json")
    assert response.status_code == 413
    assert "太大" in response.json()["detail"]


def test_a_page_form_over_the_limit_is_a_chinese_413_page(world, client, small_limit):
    client.raise_request_exception = False
    client.force_login(world.users["secretary"])
    response = client.post("/residents/new/", {"name": "张" * 20000})
    assert response.status_code == 413
    assert "内容太大" in response.content.decode()
