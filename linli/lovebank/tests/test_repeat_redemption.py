"""Two clerks at two counters, one resident, the same item at the same moment: the second is asked, not booked.

The form's key makes one counter's double tap one redemption; two counters have two keys. An identical
redemption (same account, item and quantity, not cancelled) within LINLI_LOVEBANK_REPEAT_MINUTES is refused
with a question until the clerk confirms. (The race itself, two threads on PostgreSQL: test_concurrency.py.)
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from linli.accounts.choices import TokenScope
from linli.accounts.models import ApiToken
from linli.core.audit import actor_of
from linli.lovebank import services
from linli.lovebank.models import Redemption
from linli.lovebank.testing import add_lovebank

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(world):
    return add_lovebank(world)


def clerk(bank, name="staff"):
    return actor_of(bank.users[name])


def test_an_identical_redemption_at_another_counter_is_refused_with_a_question(bank):
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    services.redeem(chen, rice, actor=clerk(bank, "staff"), source_key="counter:a")
    with pytest.raises(services.RepeatRedemption) as refused:
        services.redeem(chen, rice, actor=clerk(bank, "secretary"), source_key="counter:b")
    message = refused.value.message_dict["confirm_repeat"][0]
    assert message.startswith("该居民不到1分钟前刚兑换过同一物品（大米×1，经办人staff）")
    assert "确认再兑换一次吗" in message
    chen.refresh_from_db()
    rice.refresh_from_db()
    assert (Redemption.objects.count(), chen.balance, rice.stock) == (1, 30, 2)


def test_a_confirmed_repeat_is_made(bank):
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    services.redeem(chen, rice, actor=clerk(bank), source_key="counter:a")
    services.redeem(chen, rice, actor=clerk(bank, "secretary"), source_key="counter:b", confirm_repeat=True)
    chen.refresh_from_db()
    assert (Redemption.objects.count(), chen.balance) == (2, 10)


@pytest.mark.parametrize(
    "change",
    ["older than the window", "another quantity", "another item", "the first was cancelled", "another account"],
)
def test_only_an_identical_recent_redemption_asks(bank, change):
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    first = services.redeem(chen, rice, actor=clerk(bank), source_key="counter:a")
    account, item, quantity = chen, rice, 1
    if change == "older than the window":
        Redemption.objects.filter(pk=first.pk).update(
            created_at=first.created_at - services.repeat_window() - datetime.timedelta(seconds=1)
        )
    elif change == "another quantity":
        item, quantity = bank.items["haircut"], 2
        services.redeem(chen, item, actor=clerk(bank), source_key="counter:0")
    elif change == "another item":
        item = bank.items["haircut"]
    elif change == "the first was cancelled":
        services.cancel_redemption(first, actor=clerk(bank), reason="拿错了")
    else:
        services.award(bank.residents["li"], 40, reason="测试", source_key="li", actor=clerk(bank))
        account = services.resident_account(bank.residents["li"])
    services.redeem(account, item, quantity=quantity, actor=clerk(bank), source_key="counter:b")
    made = Redemption.objects.exclude(status="cancelled").count()
    assert made == {"the first was cancelled": 1, "another quantity": 3}.get(change, 2)


def test_the_window_is_a_setting(bank, settings):
    settings.LINLI_LOVEBANK_REPEAT_MINUTES = 0
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    services.redeem(chen, rice, actor=clerk(bank), source_key="counter:a")
    services.redeem(chen, rice, actor=clerk(bank), source_key="counter:b")
    assert Redemption.objects.count() == 2


def _key(body: str) -> str:
    return re.search(r'name="key" value="([^"]+)"', body).group(1)


def test_the_counter_page_asks_and_a_ticked_box_redeems_once_more(bank, login):
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    services.redeem(chen, rice, actor=clerk(bank, "secretary"), source_key="counter:other-desk")
    client = login(bank.users["staff"])
    url = reverse("lovebank:redemption_add", args=[chen.pk])
    form = client.get(url).content.decode()
    assert 'type="checkbox" name="confirm_repeat"' not in form  # no question before there is one
    asked = client.post(url, {"item": rice.pk, "quantity": 1, "collected": "on", "key": _key(form)})
    body = asked.content.decode()
    assert asked.status_code == 200
    assert "该居民不到1分钟前刚兑换过同一物品（大米×1，经办人secretary），确认再兑换一次吗？" in body
    assert 'type="checkbox" name="confirm_repeat"' in body
    assert Redemption.objects.count() == 1
    data = {"item": rice.pk, "quantity": 1, "collected": "on", "key": _key(body), "confirm_repeat": "on"}
    assert client.post(url, data).status_code == 302
    assert Redemption.objects.count() == 2


def test_the_api_answers_a_repeat_with_422_on_confirm_repeat(bank, client):
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    services.redeem(chen, rice, actor=clerk(bank, "secretary"), source_key="counter:other-desk")
    _token, key = ApiToken.issue(bank.users["staff"], "柜台程序", scope=TokenScope.WRITE)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = {"account": chen.pk, "item": rice.pk, "key": "k-0000000001"}
    asked = client.post("/api/lovebank/redemptions", body, content_type="application/json", **auth)
    assert asked.status_code == 422
    [detail] = asked.json()["detail"]
    assert detail["field"] == "confirm_repeat" and "确认再兑换一次吗" in detail["message"]
    body.update(key="k-0000000002", confirm_repeat=True)
    assert client.post("/api/lovebank/redemptions", body, content_type="application/json", **auth).status_code == 201
    assert Redemption.objects.count() == 2
