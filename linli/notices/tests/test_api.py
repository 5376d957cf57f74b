"""The notices API: read only, scoped like the pages, no personal data."""

import re

import pytest

from linli.accounts.choices import TokenScope
from linli.notices.testing import draft, sent
from linli.testing import bearer

#: A mobile number anywhere in a text (not a run of digits inside a longer one, such as a timestamp's).
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

pytestmark = pytest.mark.django_db


def _get(client, user, path, **params):
    return client.get(path, params, **bearer(user, scope=TokenScope.READ))


def test_the_list_holds_the_users_notices_with_counts_and_no_residents(world, client):
    notice = sent(world)
    draft(world, title="草稿")
    sent(world, "w1", title="西边的通知")
    data = _get(client, world.users["secretary"], "/api/notices").json()
    titles = {row["title"] for row in data["items"]}
    assert titles == {notice.title, "草稿"}
    row = next(r for r in data["items"] if r["id"] == notice.pk)
    assert row["household_count"] == 3 and row["audience_label"] == "1栋" and row["channels"] == ["in_app"]
    assert "张三" not in str(data) and not MOBILE.search(str(data))


def test_a_resident_reads_only_sent_notices_of_their_household(world, client):
    notice = sent(world)
    draft(world, title="草稿")
    sent(world, title="二栋的", building_ids=(world.buildings["b2"].pk,))
    data = _get(client, world.users["resident"], "/api/notices").json()
    assert [row["id"] for row in data["items"]] == [notice.pk]
    detail = _get(client, world.users["resident"], f"/api/notices/{notice.pk}").json()
    assert "停水" in detail["body"]


def test_a_bad_filter_is_a_422_in_chinese(world, client):
    response = _get(client, world.users["secretary"], "/api/notices", status="nonsense")
    assert response.status_code == 422
