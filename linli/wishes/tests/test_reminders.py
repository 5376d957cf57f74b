"""The daily sweep: a claim live for more than N days without fulfilment reminds its claimer once and tells the
community's wish managers; running it again the same day (or later) tells nobody twice."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from linli.__main__ import DASHED_COMMANDS
from linli.notifications.models import Notification
from linli.wishes import services
from linli.wishes.choices import WishEventAction
from linli.wishes.models import WishClaim
from linli.wishes.notify import remind_overdue_claims
from linli.wishes.tasks import wishes_remind
from linli.wishes.testing import jpeg, new_wish
from linli.wishes.tests.test_privacy import assert_private_absent

pytestmark = pytest.mark.django_db


def claimed_days_ago(ww, days, wish=None, actor="volunteer", **kwargs):
    wish = wish or ww.wishes["e1"]
    claim = services.claim_wish(wish, actor=ww.actor(actor), **kwargs)
    WishClaim.objects.filter(pk=claim.pk).update(claimed_at=timezone.now() - datetime.timedelta(days=days))
    return claim


def titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_a_claim_older_than_the_setting_reminds_the_claimer_once_and_tells_the_managers(ww):
    claim = claimed_days_ago(ww, 15)
    assert remind_overdue_claims() == (1, 3)  # the claimer, the secretary and the staff member
    [reminder] = Notification.objects.filter(user=ww.users["volunteer"])
    assert reminder.title == "心愿提醒：一个新书包" and "已经15天了" in reminder.body
    assert_private_absent(reminder.title + reminder.body)
    for manager in ("secretary", "staff"):
        assert titles(ww.users[manager]) == ["心愿认领超期：1个心愿认领超过14天还未实现"]
        body = Notification.objects.get(user=ww.users[manager]).body
        assert "一个新书包（夏党员）" in body
    claim.refresh_from_db()
    assert claim.reminded_at is not None
    event = claim.wish.events.get(action=WishEventAction.REMINDED)
    assert event.actor_name == "每日巡查" and event.note == "认领已15天，尚未实现"
    assert titles(ww.users["w1_staff"]) == [] and titles(ww.users["street_admin"]) == []


def test_running_the_sweep_again_the_same_day_or_the_next_tells_nobody_twice(ww):
    claimed_days_ago(ww, 20)
    today = timezone.localdate()
    assert remind_overdue_claims(today)[1] == 3
    assert remind_overdue_claims(today) == (0, 0)
    assert remind_overdue_claims(today + datetime.timedelta(days=1)) == (0, 0)
    assert Notification.objects.count() == 3


def test_young_fulfilled_and_released_claims_are_not_reminded(ww):
    claimed_days_ago(ww, 14)  # fourteen days: not yet *more than* fourteen
    assert remind_overdue_claims() == (0, 0)
    done = new_wish(ww.communities["e1"], title="帮忙修门锁")
    claimed_days_ago(ww, 30, wish=done, actor="volunteer2")
    services.confirm_fulfilment(done, actor=ww.actor("staff"), photos=[jpeg()])
    given_back = new_wish(ww.communities["e1"], title="陪老人聊天")
    claimed_days_ago(ww, 30, wish=given_back, actor="staff", claimer=ww.claimers["bank"])
    services.release_claim(given_back, actor=ww.actor("staff"), reason="单位人员调整")
    Notification.objects.all().delete()
    assert remind_overdue_claims() == (0, 0)


def test_an_organisation_without_an_account_is_still_reported_to_the_managers(ww):
    claimed_days_ago(ww, 15, actor="staff", claimer=ww.claimers["bank"])
    Notification.objects.all().delete()
    assert remind_overdue_claims() == (1, 2)
    assert "东一银行党支部" in Notification.objects.filter(user=ww.users["staff"]).get().body


def test_the_number_of_days_is_a_setting(ww, settings):
    settings.LINLI_WISH_CLAIM_REMIND_DAYS = 3
    claimed_days_ago(ww, 4)
    assert remind_overdue_claims()[0] == 1
    assert "超过3天" in titles(ww.users["staff"])[0]


def test_the_command_the_celery_task_and_the_beat_entry(ww):
    claimed_days_ago(ww, 15)
    out = io.StringIO()
    call_command("wishes_remind", stdout=out)
    assert out.getvalue().strip() == "认领超过14天未实现的心愿：新提醒 1 个，发送消息 3 条"
    assert wishes_remind.delay().get() == "新提醒 0 个心愿，发送消息 0 条"  # eager without Redis; already done
    assert DASHED_COMMANDS["wishes-remind"] == "wishes_remind"
    entry = settings.CELERY_BEAT_SCHEDULE["wishes-remind"]
    assert entry["task"] == "linli.wishes.tasks.wishes_remind" and entry["schedule"].hour == {7}
    with pytest.raises(CommandError, match="日期格式"):
        call_command("wishes_remind", date="12/01")
    with pytest.raises(CommandError, match="大于0"):
        call_command("wishes_remind", days=0)
