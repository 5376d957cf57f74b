"""积分规则: points per hour per activity type, set through set_earning_rule, audited, bounded, never re-pricing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from linli.core.audit import actor_of
from linli.core.models import ChangeRecord
from linli.lovebank import services
from linli.lovebank.models import Account, EarningRule
from linli.testing import SYSTEM
from linli.volunteers.services import mark_attendance
from linli.volunteers.tests.helpers import activity, volunteer

pytestmark = pytest.mark.django_db

RULES = "lovebank:rule_list"


def post_rule(client, community, code, value):
    return client.post(reverse(RULES), {"community": community.pk, "code": code, "points_per_hour": value}, follow=True)


def test_the_page_lists_every_activity_type_and_the_default_with_the_rate_in_force(world, login):
    e1 = world.communities["e1"]
    services.set_earning_rule(e1, "", 2, label="其他服务", actor=SYSTEM)
    services.set_earning_rule(e1, "elderly_visit", "1.5", actor=SYSTEM)
    body = login(world.users["staff"]).get(reverse(RULES)).content.decode()
    for label in ("默认（未单独设置的类型）", "巡逻", "清洁", "探访老人", "巡河", "文艺演出", "其他"):
        assert label in body
    assert "每小时1.5分" in body and "每小时2分" in body and "（按默认）" in body
    assert "修改规则不会重新计算已经发放的积分" in body
    assert 'href="/lovebank/rules/"' in body  # in the love bank's tabs


def test_staff_set_a_rule_and_the_change_is_recorded(world, login):
    e1 = world.communities["e1"]
    client = login(world.users["staff"])
    body = post_rule(client, e1, "patrol", "1.5").content.decode()
    assert "已保存：巡逻每小时1.5分" in body and "已发放的积分不变" in body
    rule = EarningRule.objects.get(community=e1, activity_type_code="patrol")
    assert rule.points_per_hour == Decimal("1.5") and rule.label == "巡逻"
    post_rule(client, e1, "patrol", "2")
    post_rule(client, e1, "", "0.5")
    assert EarningRule.objects.get(community=e1, activity_type_code="").points_per_hour == Decimal("0.5")
    records = ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(EarningRule)).order_by("id")
    assert [r.action for r in records] == ["create", "update", "create"]
    assert records[1].changes == {"每小时积分": ["1.50", "2.00"]} and records[1].actor == world.users["staff"]
    assert "1.50 → 2.00" in client.get(reverse(RULES)).content.decode()  # the page shows the change log


@pytest.mark.parametrize(
    "value, message",
    [
        ("-1", "每小时积分不能是负数。"),
        ("101", "每小时积分不能超过100分，请检查是否多输了位数。"),
        ("1e9", "每小时积分不能超过100分，请检查是否多输了位数。"),
        ("abc", "请填写数字，如 1 或 1.5。"),
        ("NaN", "请填写数字，如 1 或 1.5。"),
        ("1.234", "每小时积分最多保留两位小数。"),
        ("", "请填写每小时积分。"),
    ],
)
def test_a_negative_or_absurd_rate_is_refused_in_chinese_and_nothing_changes(world, login, value, message):
    e1 = world.communities["e1"]
    services.set_earning_rule(e1, "patrol", 1, actor=SYSTEM)
    response = post_rule(login(world.users["secretary"]), e1, "patrol", value)
    assert response.status_code == 200 and message in response.content.decode()
    assert EarningRule.objects.get(community=e1, activity_type_code="patrol").points_per_hour == Decimal("1")
    assert EarningRule.objects.count() == 1


def test_an_unknown_activity_type_is_refused(world, login):
    body = post_rule(login(world.users["staff"]), world.communities["e1"], "karaoke", "1").content.decode()
    assert "没有这个活动类型。" in body and not EarningRule.objects.exists()


def test_changing_a_rule_does_not_reprice_points_already_given(world):
    e1 = world.communities["e1"]
    zhang = world.residents["zhang"]
    ended = activity(world, start=-3, length=2, kind="patrol")
    mark_attendance(ended, volunteer(world, name=zhang.name, resident=zhang), actor=SYSTEM)
    account = Account.objects.get(resident=zhang)
    assert account.balance == 2
    services.set_earning_rule(e1, "patrol", 5, actor=actor_of(world.users["secretary"]))
    account.refresh_from_db()
    assert account.balance == 2 and services.ledger_balance(account) == 2
    later = activity(world, start=-3, length=2, kind="patrol", title="晚班巡逻")
    mark_attendance(later, zhang.volunteer_records.get(), actor=SYSTEM)
    account.refresh_from_db()
    assert account.balance == 12  # the new rule is for hours confirmed from now on


def test_other_communities_rules_are_out_of_reach(world, login):
    e2 = world.communities["e2"]
    client = login(world.users["staff"])
    assert client.get(reverse(RULES), {"community": e2.pk}).status_code == 404
    assert post_rule(client, e2, "patrol", "3").status_code == 404
    assert not EarningRule.objects.exists()
    street = login(world.users["street_admin"])
    body = street.get(reverse(RULES), {"community": e2.pk}).content.decode()
    assert "东二社区" in body and 'name="community"' in body
    assert post_rule(street, e2, "patrol", "3").status_code == 200
    assert EarningRule.objects.get().community == e2
    with pytest.raises(Http404):
        services.set_earning_rule(world.communities["w1"], "", 1, actor=actor_of(world.users["street_admin"]))


def test_roles_without_the_manage_permission_get_403(world, login):
    e1 = world.communities["e1"]
    for persona in ("grid_worker_1", "volunteer", "resident", "dept_handler"):
        client = login(world.users[persona])
        assert client.get(reverse(RULES)).status_code == 403
        assert post_rule(client, e1, "patrol", "3").status_code == 403
    with pytest.raises(PermissionDenied):
        services.set_earning_rule(e1, "", 1, actor=actor_of(world.users["grid_worker_1"]))
    assert not EarningRule.objects.exists()


def test_the_service_refuses_bad_values_too(world):
    with pytest.raises(ValidationError) as exc:
        services.set_earning_rule(world.communities["e1"], "", -0.5, actor=SYSTEM)
    assert exc.value.message_dict == {"points_per_hour": ["每小时积分不能是负数。"]}
