"""Keyed POSTs are limited per key (issue 13, finding 8): 40 in 0.4 s used to be accepted."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from linli.appeals.models import Appeal
from linli.open311.tests.conftest import post, valid


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_it_refuses_the_31st_post_of_a_key_within_a_minute_and_files_nothing(ow, client, settings):
    settings.LINLI_OPEN311_POSTS_PER_MINUTE = 30
    for i in range(30):
        response = post(client, valid(ow, description=f"楼道灯坏了，第{i}次"))
        assert response.status_code == 201, (i, response.content.decode())
    assert Appeal.objects.count() == 30

    refused = post(client, valid(ow, description="楼道灯坏了，第31次"))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    [error] = refused.json()
    assert error["code"] == 429 and "每分钟最多提交30条" in error["description"]
    assert Appeal.objects.count() == 30  # nothing filed

    # In XML too (the GeoReport error list), and still refused.
    xml = post(client, valid(ow), fmt="xml")
    assert xml.status_code == 429 and b"<errors>" in xml.content and "每分钟".encode() in xml.content

    # Another key has its own counter.
    other = post(client, valid(ow, api_key=ow.keys["hotline"]))
    assert other.status_code == 201, other.content.decode()
    assert Appeal.objects.count() == 31


def test_a_bad_post_counts_too_so_a_script_cannot_probe_without_limit(ow, client, settings):
    settings.LINLI_OPEN311_POSTS_PER_MINUTE = 3
    for _ in range(3):
        assert post(client, valid(ow, service_code="no-such-service")).status_code == 400
    assert post(client, valid(ow)).status_code == 429
    assert not Appeal.objects.exists()


def test_reads_without_a_key_are_not_counted(ow, client, settings):
    settings.LINLI_OPEN311_POSTS_PER_MINUTE = 1
    for _ in range(3):
        assert client.get("/open311/v2/requests.json").status_code == 200
    assert post(client, valid(ow)).status_code == 201
