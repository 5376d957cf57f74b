"""The day before a must-confirm notice's deadline, each grid worker with open households hears once how many
remain, with a link to them (today is passed in: no real clock)."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from linli.core.audit import actor_of
from linli.notices import confirm
from linli.notices.models import NoticeHousehold
from linli.notices.reminders import remind_confirmations
from linli.notices.testing_confirm import sent_notice
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db


def messages_of(user):
    return list(Notification.objects.filter(user=user).order_by("pk"))


def test_each_grid_worker_is_reminded_once_the_day_before(world):
    notice = sent_notice(world.communities["e1"], days=3)
    eve = notice.confirm_by - datetime.timedelta(days=1)
    assert remind_confirmations(eve - datetime.timedelta(days=1)) == (0, 0)  # two days before: nothing yet
    assert remind_confirmations(eve) == (1, 2)
    (mine,) = messages_of(world.users["grid_worker_1"])
    assert mine.title == f"明天截止：“{notice.title}”您负责的网格还有 3 户未确认告知"
    list_url = reverse("notices:notice_household_list", args=[notice.pk])
    assert mine.url == f"{list_url}?state=open&grid={world.grids['g1'].pk}"
    (theirs,) = messages_of(world.users["grid_worker_2"])
    assert "还有 1 户" in theirs.title
    assert remind_confirmations(eve) == (1, 0)  # a second run tells nobody twice
    assert Notification.objects.count() == 2


def test_a_grid_with_every_household_told_hears_nothing(world):
    notice = sent_notice(world.communities["e1"], days=2)
    staff = actor_of(world.users["staff"])
    for row in NoticeHousehold.objects.filter(notice=notice, grid=world.grids["g2"]):
        confirm.mark_told(row, actor=staff, via="phone")
    remind_confirmations(notice.confirm_by - datetime.timedelta(days=1))
    assert messages_of(world.users["grid_worker_2"]) == []
    assert len(messages_of(world.users["grid_worker_1"])) == 1


def test_withdrawn_and_optional_notices_are_not_reminded(world):
    from linli.notices import services

    e1 = world.communities["e1"]
    withdrawn = sent_notice(e1, days=2)
    services.withdraw_notice(withdrawn, actor=actor_of(world.users["staff"]), reason="取消")
    sent_notice(e1, title="活动通知", must_confirm=False)
    assert remind_confirmations(withdrawn.confirm_by - datetime.timedelta(days=1)) == (0, 0)


def test_the_command_the_task_and_the_schedule(world):
    from io import StringIO

    from linli.__main__ import DASHED_COMMANDS
    from linli.notices.tasks import notices_remind

    notice = sent_notice(world.communities["e1"], days=2)
    out = StringIO()
    call_command("notices_remind", "--date", (notice.confirm_by - datetime.timedelta(days=1)).isoformat(), stdout=out)
    assert out.getvalue().strip() == "通知确认提醒：明天截止的通知 1 条，发送提醒 2 条"
    assert notices_remind.delay().get() == "明天截止的通知 0 条，发送提醒 0 条"  # today: due the day after tomorrow
    assert DASHED_COMMANDS["notices-remind"] == "notices_remind"
    beat = settings.CELERY_BEAT_SCHEDULE["notices-remind"]
    assert beat["task"] == "linli.notices.tasks.notices_remind"
    assert (beat["schedule"].hour, beat["schedule"].minute) == ({7}, {30})
