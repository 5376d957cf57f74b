"""The worker: quiet hours, rates, retries with backoff, counters and statuses, cancel and retry — on a frozen
clock (every call passes `now`)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from linli.channels import services
from linli.channels.choices import DispatchStatus, OutboundStatus
from linli.channels.models import ChannelSettings, Dispatch, Outbound
from linli.channels.sender import quiet_until, rules_for, send_due
from linli.channels.testing import make_group, queue_sms, queue_wechat
from linli.channels.tests.conftest import at
from linli.core.audit import actor_of
from linli.core.models import ChangeRecord
from linli.tracking import sms

pytestmark = pytest.mark.django_db

PHONES = [f"1390000{n:04d}" for n in range(30)]


def minutes(n):
    return datetime.timedelta(minutes=n)


# --- quiet hours ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [(20, 59, False), (21, 0, True), (23, 30, True), (0, 5, True), (7, 59, True), (8, 0, False), (12, 0, False)],
)
def test_the_default_quiet_hours_run_from_nine_at_night_to_eight_in_the_morning(world, hour, minute, quiet):
    rules = rules_for(world.communities["e1"].pk)
    assert (quiet_until(rules, at(hour, minute)) is not None) is quiet


def test_a_message_queued_at_night_waits_for_the_morning(world, outboxes):
    e1 = world.communities["e1"]
    dispatch = queue_sms(e1, PHONES[:3])
    report = send_due(now=at(22, 15))
    assert report.quiet and report.sent == 0 and sms.outbox == []
    assert report.wait_until == at(8, 0, day=8)  # the window's end, tomorrow morning
    assert send_due(now=at(7, 59, 59, day=8)).sent == 0
    assert send_due(now=at(8, 0, day=8)).sent == 3
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.sent) == (DispatchStatus.DONE, 3)


def test_a_community_sets_its_own_quiet_hours(world, outboxes):
    e1 = world.communities["e1"]
    services.save_settings(
        e1,
        actor=actor_of(world.users["secretary"]),
        quiet_from=datetime.time(12, 0),
        quiet_until=datetime.time(14, 0),
        sms_per_minute=100,
        wechat_per_minute=20,
    )
    queue_sms(e1, PHONES[:2])
    assert send_due(now=at(12, 30)).sent == 0  # 午休
    assert send_due(now=at(22, 30)).sent == 2  # no night window any more
    # Other communities keep the defaults.
    queue_sms(world.communities["w1"], PHONES[2:3])
    assert send_due(now=at(22, 31)).sent == 0


# --- rates ---------------------------------------------------------------------------------------------------------


def test_sms_keep_the_communitys_rate_per_minute(world, outboxes):
    e1 = world.communities["e1"]
    ChannelSettings.objects.create(community=e1, sms_per_minute=10)
    dispatch = queue_sms(e1, PHONES[:25])
    first = send_due(now=at(10, 0))
    assert first.sent == 10 and first.remaining == 15
    assert first.wait_until == at(10, 1)  # the minute's window frees up
    assert send_due(now=at(10, 0, 59)).sent == 0  # still the same minute
    assert send_due(now=at(10, 1)).sent == 10
    assert send_due(now=at(10, 2)).sent == 5
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.sent, dispatch.total) == (DispatchStatus.DONE, 25, 25)
    assert len(sms.outbox) == 25
    # Each number once, with the template's parameters in order.
    assert sorted(m.phone for m in sms.outbox) == PHONES[:25]
    assert sms.outbox[0].template == "notice" and sms.outbox[0].params == (e1.name, "停水通知", "http://x/n/a/")


def test_the_rate_counts_every_batch_of_the_community(world, outboxes):
    e1 = world.communities["e1"]
    ChannelSettings.objects.create(community=e1, sms_per_minute=4)
    queue_sms(e1, PHONES[:3], source_id=1)
    queue_sms(e1, PHONES[3:6], source_id=2)
    assert send_due(now=at(10, 0)).sent == 4
    # A batch of another community has its own budget.
    queue_sms(world.communities["w1"], PHONES[6:9])
    assert send_due(now=at(10, 0, 30)).sent == 3


def test_each_group_robot_gets_at_most_twenty_a_minute(world, outboxes):
    wechat_outbox, _ = outboxes
    e1 = world.communities["e1"]
    ChannelSettings.objects.create(community=e1, wechat_per_minute=20)
    one = make_group(e1, "1网格群", grid=world.grids["g1"])
    two = make_group(e1, "2网格群", grid=world.grids["g2"], url=make_url("other"))
    queue_wechat(e1, [one], copies=25)
    queue_wechat(e1, [two], copies=3, source_id=2)
    report = send_due(now=at(9, 0))
    assert report.sent == 23  # 20 to the first robot, 3 to the second
    assert send_due(now=at(9, 0, 30)).sent == 0
    assert send_due(now=at(9, 1)).sent == 5
    assert len(wechat_outbox) == 28


def make_url(key):
    return f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={key}-abcdefgh"


# --- retries -------------------------------------------------------------------------------------------------------


class FlakyBackend:
    """Refuses the first `failures` messages (temporarily), then sends."""

    failures = 0
    calls = 0
    permanent = False

    def send_template(self, phone, template, params, text=""):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise sms.SmsError("短信服务暂时无法连接", permanent=FlakyBackend.permanent)
        return f"SN{FlakyBackend.calls}"


@pytest.fixture
def flaky(settings):
    settings.LINLI_SMS_BACKEND = "linli.channels.tests.test_sender.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.calls, FlakyBackend.permanent = 0, 0, False
    return FlakyBackend


def test_a_failure_is_retried_after_1_5_15_and_60_minutes_then_fails_with_the_reason(world, flaky):
    flaky.failures = 99
    dispatch = queue_sms(world.communities["e1"], PHONES[:1])
    row = Outbound.objects.get(dispatch=dispatch)
    now = at(10, 0)
    for wait in (1, 5, 15, 60):
        send_due(now=now)
        row.refresh_from_db()
        assert row.status == OutboundStatus.RETRYING
        assert row.next_try_at == now + minutes(wait)
        assert send_due(now=now + minutes(wait) - datetime.timedelta(seconds=1)).sent == 0  # not before its time
        now += minutes(wait)
    send_due(now=now)
    row.refresh_from_db()
    dispatch.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboundStatus.FAILED, 5, "短信服务暂时无法连接")
    assert (dispatch.status, dispatch.sent, dispatch.failed) == (DispatchStatus.DONE, 0, 1)


def test_a_retried_message_that_goes_through_counts_as_sent(world, flaky):
    flaky.failures = 1
    dispatch = queue_sms(world.communities["e1"], PHONES[:1])
    report = send_due(now=at(10, 0))
    assert (report.retrying, report.wait_until) == (1, at(10, 1))
    send_due(now=at(10, 1))
    row = Outbound.objects.get(dispatch=dispatch)
    assert (row.status, row.provider_ref, row.last_error, row.attempts) == (OutboundStatus.SENT, "SN2", "", 2)


def test_a_permanent_error_fails_at_once(world, flaky):
    flaky.failures, flaky.permanent = 1, True
    dispatch = queue_sms(world.communities["e1"], PHONES[:2])
    send_due(now=at(10, 0))
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.sent, dispatch.failed) == (DispatchStatus.DONE, 1, 1)


def test_a_crashed_workers_claimed_rows_are_taken_again_after_the_lease(world, outboxes):
    dispatch = queue_sms(world.communities["e1"], PHONES[:2])
    # A worker claimed them at 10:00 and died before sending.
    Outbound.objects.filter(dispatch=dispatch).update(tried_at=at(10, 0), next_try_at=at(10, 5), attempts=1)
    assert send_due(now=at(10, 4)).sent == 0
    assert send_due(now=at(10, 5)).sent == 2


# --- counters, cancel, retry ---------------------------------------------------------------------------------------


def test_a_batch_goes_from_queued_to_sending_to_done(world, outboxes):
    e1 = world.communities["e1"]
    ChannelSettings.objects.create(community=e1, sms_per_minute=2)
    dispatch = queue_sms(e1, PHONES[:3])
    assert dispatch.status == DispatchStatus.QUEUED and dispatch.total == 3
    send_due(now=at(10, 0))
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.sent) == (DispatchStatus.SENDING, 2)
    send_due(now=at(10, 1))
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.sent, dispatch.finished_at) == (DispatchStatus.DONE, 3, at(10, 1))


def test_cancel_stops_what_is_not_sent_yet(world, outboxes):
    e1 = world.communities["e1"]
    ChannelSettings.objects.create(community=e1, sms_per_minute=2)
    dispatch = queue_sms(e1, PHONES[:5])
    send_due(now=at(10, 0))
    dispatch = services.cancel_dispatch(dispatch, actor=actor_of(world.users["secretary"]))
    assert (dispatch.status, dispatch.sent, dispatch.cancelled_by) == (
        DispatchStatus.CANCELLED,
        2,
        world.users["secretary"],
    )
    assert Outbound.objects.filter(dispatch=dispatch, status=OutboundStatus.CANCELLED).count() == 3
    assert send_due(now=at(10, 5)).sent == 0
    record = ChangeRecord.objects.filter(object_id=dispatch.pk, note__startswith="取消发送").get()
    assert record.note == "取消发送 3 条" and record.actor == world.users["secretary"]


def test_retry_failed_sends_the_failures_again(world, flaky):
    flaky.failures, flaky.permanent = 2, True
    dispatch = queue_sms(world.communities["e1"], PHONES[:3])
    send_due(now=at(10, 0))
    dispatch.refresh_from_db()
    assert (dispatch.sent, dispatch.failed) == (1, 2)
    assert services.retry_failed(dispatch, actor=actor_of(world.users["staff"])) == 2
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.failed) == (DispatchStatus.SENDING, 0)
    send_due(now=at(10, 1))
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.sent, dispatch.failed) == (DispatchStatus.DONE, 3, 0)


def test_a_grid_worker_cancels_their_own_batch_but_not_another(world, outboxes):
    e1 = world.communities["e1"]
    mine = queue_sms(e1, PHONES[:1], actor=actor_of(world.users["grid_worker_1"]))
    theirs = queue_sms(e1, PHONES[1:2], actor=actor_of(world.users["staff"]), source_id=2)
    assert services.cancel_dispatch(mine, actor=actor_of(world.users["grid_worker_1"])).status == "cancelled"
    with pytest.raises(PermissionDenied):
        services.cancel_dispatch(theirs, actor=actor_of(world.users["grid_worker_1"]))
    other = queue_sms(world.communities["w1"], PHONES[2:3], source_id=3)
    with pytest.raises(Http404):
        services.cancel_dispatch(other, actor=actor_of(world.users["secretary"]))
    assert Dispatch.objects.get(pk=theirs.pk).status == DispatchStatus.QUEUED
