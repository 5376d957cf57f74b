"""The love bank's pages: the counter, statements, deeds, catalogue, honour board, 我的积分; scope and privacy."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linli.lovebank import services
from linli.lovebank.choices import DeedStatus, RedemptionStatus
from linli.lovebank.models import CatalogueItem, Deed, Redemption, Transaction
from linli.lovebank.testing import SETUP, add_lovebank, give

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(world):
    return add_lovebank(world)


def form_key(body: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]+)"', body).group(1)


def test_the_counter_finds_a_person_by_name_or_phone_and_redeems_once_on_a_double_submit(bank, login):
    client = login(bank.users["staff"])
    for q in ("陈", "0001", "13700000001"):
        body = client.get(
            reverse("lovebank:account_list"), {"q": q}, headers={"HX-Request": "true", "HX-Target": "account-results"}
        ).content.decode()
        assert "陈奶奶" in body and "50分" in body and "赵六" not in body
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    url = reverse("lovebank:redemption_add", args=[chen.pk])
    body = client.get(url).content.decode()
    assert "大米" in body and "食用油" not in body  # another community's catalogue
    data = {"item": rice.pk, "quantity": 2, "collected": "on", "key": form_key(body)}
    first = client.post(url, data, follow=True)
    assert "已兑换大米×2，扣40分，陈奶奶还剩10分" in first.content.decode()
    client.post(url, data)  # the same form again (double tap, resubmit)
    assert Redemption.objects.filter(account=chen).count() == 1
    assert Redemption.objects.get(account=chen).status == RedemptionStatus.COLLECTED
    rice.refresh_from_db()
    assert rice.stock == 1


def test_the_counter_refuses_too_few_points_in_chinese_and_gives_a_fresh_key(bank, login):
    client = login(bank.users["staff"])
    url = reverse("lovebank:redemption_add", args=[bank.accounts["chen"].pk])
    key = form_key(client.get(url).content.decode())
    body = client.post(url, {"item": bank.items["rice"].pk, "quantity": 3, "key": key}).content.decode()
    assert "积分不足：兑换3袋“大米”需要60分，陈奶奶现有50分" in body
    assert form_key(body) != key
    assert not Redemption.objects.exists()


def test_a_statement_shows_every_movement_with_its_running_balance(bank, login):
    chen = bank.accounts["chen"]
    r = services.redeem(chen, bank.items["haircut"], source_key="x", actor=SETUP)
    services.cancel_redemption(r, actor=SETUP, reason="没空")
    body = login(bank.users["staff"]).get(reverse("lovebank:account_detail", args=[chen.pk])).content.decode()
    assert "兑换理发×1" in body and "取消兑换理发×1：没空" in body
    assert re.search(r"-10</td>\s*<td>40</td>", body) and re.search(r"\+10</td>\s*<td>50</td>", body)
    assert "冲正" not in body.split("积分明细")[1].split("<tbody>")[0]  # staff do not reverse: no column


def test_a_secretary_reverses_a_wrong_award_from_the_statement(bank, login):
    txn = give(bank.residents["chen"], 5, "wrong")
    client = login(bank.users["secretary"])
    response = client.post(reverse("lovebank:transaction_reverse", args=[txn.pk]), {"reason": "录错了人"}, follow=True)
    assert "已冲正" in response.content.decode()
    assert Transaction.objects.filter(reverses=txn).count() == 1
    assert login(bank.users["staff"]).post(reverse("lovebank:transaction_reverse", args=[txn.pk])).status_code == 403


def test_redemptions_are_collected_or_cancelled_from_the_list(bank, login):
    r = services.redeem(bank.accounts["chen"], bank.items["rice"], source_key="x", actor=SETUP)
    client = login(bank.users["staff"])
    assert "陈奶奶" in client.get(reverse("lovebank:redemption_list")).content.decode()
    client.post(reverse("lovebank:redemption_cancel", args=[r.pk]), {"reason": "不要了"})
    r.refresh_from_db()
    assert r.status == RedemptionStatus.CANCELLED and CatalogueItem.objects.get(pk=bank.items["rice"].pk).stock == 3
    r2 = services.redeem(bank.accounts["chen"], bank.items["rice"], source_key="y", actor=SETUP)
    client.post(reverse("lovebank:redemption_collect", args=[r2.pk]))
    r2 = Redemption.objects.get(pk=r2.pk)
    assert (r2.status, r2.collected_by) == (RedemptionStatus.COLLECTED, bank.users["staff"])
    page = client.get(reverse("lovebank:redemption_list") + "?status=collected").content.decode()
    assert f"由{bank.users['staff']}发放" in page
    other = services.redeem(bank.accounts["zhao"], bank.items["oil"], source_key="z", actor=SETUP)
    assert client.post(reverse("lovebank:redemption_cancel", args=[other.pk])).status_code == 404


def test_staff_approve_a_deed_picking_the_resident_by_the_reported_name(bank, login):
    deed = bank.deeds["e1"]  # 张三, reported without an account
    client = login(bank.users["staff"])
    body = client.get(reverse("lovebank:deed_detail", args=[deed.pk])).content.decode()
    zhang = bank.residents["zhang"]
    assert f'value="{zhang.pk}"' in body and "1栋1单元101" in body
    client.post(reverse("lovebank:deed_approve", args=[deed.pk]), {"resident": zhang.pk, "points": 6})
    client.post(reverse("lovebank:deed_approve", args=[deed.pk]), {"resident": zhang.pk, "points": 6})
    deed.refresh_from_db()
    assert deed.status == DeedStatus.APPROVED and deed.account.resident == zhang
    assert services.resident_account(zhang).balance == 6
    assert Transaction.objects.filter(deed=deed).count() == 1


def test_a_resident_sees_their_own_balance_in_large_type_and_nothing_of_anyone_else(bank, login):
    client = login(bank.users["resident"])
    body = client.get(reverse("lovebank:my_account")).content.decode()
    assert 'class="large-type"' in body and "<b>50</b>" in body
    assert "大米" in body and "食用油" not in body  # their own community's catalogue
    assert "赵六" not in body and "孙七" not in body
    for name, args in (
        ("lovebank:account_detail", [bank.accounts["zhao"].pk]),
        ("lovebank:account_list", []),
        ("lovebank:honour_board", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403


def test_a_resident_reports_a_deed_for_themselves_and_staff_decide_the_points(bank, login):
    client = login(bank.users["resident"])
    response = client.post(
        reverse("lovebank:deed_add"),
        {"subject_name": "陈奶奶", "occurred_on": "2026-11-28", "description": "帮楼下看孩子", "points": 50},
    )
    assert response.status_code == 302
    deed = Deed.objects.get(description="帮楼下看孩子")
    assert deed.account == bank.accounts["chen"] and deed.points == 0 and deed.community == bank.communities["e1"]
    assert "帮楼下看孩子" in client.get(reverse("lovebank:my_account")).content.decode()


def test_the_honour_board_ranks_points_earned_in_scope_net_of_reversals(bank, login):
    give(bank.residents["zhang"], 80, "lots")
    wrong = give(bank.residents["li"], 90, "wrong")
    services.reverse_transaction(wrong, actor=SETUP, reason="错发")
    body = login(bank.users["staff"]).get(reverse("lovebank:honour_board")).content.decode()
    assert body.index("张三") < body.index("陈奶奶")
    assert "李四" not in body and "赵六" not in body  # reversed to nothing; another community
    body = login(bank.users["street_admin"]).get(reverse("lovebank:honour_board"), {"period": "year"}).content.decode()
    assert "赵六" in body and "孙七" not in body


def test_monthly_totals_count_points_issued_and_redeemed(bank, login):
    services.redeem(bank.accounts["chen"], bank.items["rice"], source_key="x", actor=SETUP)
    body = login(bank.users["secretary"]).get(reverse("lovebank:monthly_totals")).content.decode()
    row = re.search(r"<tr><td>\d{4}年\d+月</td>(.*?)</tr>", body).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["50", "20", "0", "1", "0"]


def test_catalogue_items_are_added_in_the_staffs_community(bank, login):
    client = login(bank.users["staff"])
    response = client.post(
        reverse("lovebank:item_add"),
        {
            "community": bank.communities["e1"].pk,
            "name": "鸡蛋",
            "kind": "goods",
            "unit": "盒",
            "price": 8,
            "stock": 10,
            "order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert CatalogueItem.objects.get(name="鸡蛋").community == bank.communities["e1"]
    client.post(
        reverse("lovebank:item_add"),
        {
            "community": bank.communities["e2"].pk,
            "name": "面粉",
            "kind": "goods",
            "unit": "袋",
            "price": 8,
            "stock": 1,
            "order": 1,
        },
    )
    assert not CatalogueItem.objects.filter(name="面粉").exists()


def test_an_outside_volunteer_gets_an_account_by_name_and_phone(bank, login):
    client = login(bank.users["staff"])
    response = client.post(
        reverse("lovebank:holder_add"),
        {"name": "刘志愿", "phone": "13900001111", "community": bank.communities["e1"].pk},
    )
    assert response.status_code == 302
    body = client.get(reverse("lovebank:account_list"), {"q": "刘"}).content.decode()
    assert "刘志愿" in body and "139****1111" in body


def test_the_account_list_costs_the_same_few_queries_for_many_accounts(bank, login):
    client = login(bank.users["street_admin"])
    url = reverse("lovebank:account_list")
    client.get(url)  # session and per-process caches warmed
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for key in ("zhang", "li", "wang"):
        give(bank.residents[key], 3, f"more:{key}")
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


def test_a_street_admin_says_which_community_a_deed_belongs_to(bank, login):
    client = login(bank.users["street_admin"])
    assert 'name="community"' in client.get(reverse("lovebank:deed_add")).content.decode()
    client.post(
        reverse("lovebank:deed_add"),
        {
            "subject_name": "赵六",
            "occurred_on": "2026-11-28",
            "description": "扫雪",
            "community": bank.communities["e2"].pk,
        },
    )
    assert Deed.objects.get(description="扫雪").community == bank.communities["e2"]
    assert 'name="community"' not in login(bank.users["staff"]).get(reverse("lovebank:deed_add")).content.decode()


def test_a_redemption_action_does_not_redirect_off_site(bank, login):
    r = services.redeem(bank.accounts["chen"], bank.items["rice"], source_key="x", actor=SETUP)
    response = login(bank.users["staff"]).post(
        reverse("lovebank:redemption_collect", args=[r.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("lovebank:redemption_list")
