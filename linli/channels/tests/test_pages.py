"""The channel pages: registering groups (odd input refused in Chinese, nothing stored, the secret never echoed),
the rules page, a batch's page with its self-refreshing progress, cancel, the notice page's panel, and what grid
workers may see but not do."""

import datetime
import types
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from linli.channels import demo, services
from linli.channels.choices import DispatchStatus
from linli.channels.models import ChannelSettings, Outbound, WechatGroup
from linli.channels.panels import dispatch_panel
from linli.channels.testing import KEY, URL, make_group, queue_sms
from linli.channels.tests.conftest import at
from linli.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def post_group(client, world, **data):
    form = {
        "community": world.communities["e1"].pk,
        "name": "1栋居民群",
        "webhook_url": URL,
        "grid": "",
        "building": "",
    }
    form.update(data)
    return client.post(reverse("channels:wechat_group_add"), form)


def test_staff_register_a_group_bound_to_a_building(client, world):
    client.force_login(world.users["staff"])
    response = post_group(client, world, building=world.buildings["b1"].pk)
    assert response.status_code == 302
    group = WechatGroup.objects.get()
    assert (group.name, group.building, group.webhook_tail, group.created_by) == (
        "1栋居民群",
        world.buildings["b1"],
        KEY[-4:],
        world.users["staff"],
    )
    record = ChangeRecord.objects.get(object_id=group.pk, action="create", object_repr="1栋居民群")
    assert KEY not in str(record.changes) and record.changes["Webhook末四位"] == [None, KEY[-4:]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"webhook_url": "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh1234"}, "必须以 https:// 开头"),
        ({"webhook_url": "https://example.com/hook?key=abcdefgh1234"}, "这不是企业微信群机器人的地址"),
        ({"webhook_url": ""}, "请填写群机器人的Webhook地址"),
        ({"name": "   "}, "请填写群名称"),
        ({"name": ""}, "群名称"),
    ],
)
def test_odd_input_is_refused_in_chinese_and_nothing_is_stored(client, world, data, message):
    client.force_login(world.users["staff"])
    response = post_group(client, world, **data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "abcdefgh1234" not in html and KEY not in html  # the address typed is not put back into the page
    assert not WechatGroup.objects.exists()


def test_a_group_cannot_be_bound_to_another_communitys_grid_or_to_both(client, world):
    client.force_login(world.users["street_admin"])
    response = post_group(client, world, grid=world.grids["g3"].pk)  # 东二's grid
    assert response.status_code == 400 and "这个网格不属于所选社区" in response.content.decode()
    response = post_group(client, world, grid=world.grids["g1"].pk, building=world.buildings["b1"].pk)
    assert response.status_code == 400 and "只能绑定整个社区、一个网格或一个楼栋" in response.content.decode()
    assert not WechatGroup.objects.exists()


def test_a_second_group_of_the_same_name_is_refused(client, world):
    make_group(world.communities["e1"], "1栋居民群")
    client.force_login(world.users["staff"])
    response = post_group(client, world)
    assert response.status_code == 400 and "已有同名的群" in response.content.decode()
    assert WechatGroup.objects.count() == 1


def test_editing_without_a_new_address_keeps_the_old_one(client, world):
    group = make_group(world.communities["e1"], "居民群")
    cipher = bytes(group.webhook_cipher)
    client.force_login(world.users["secretary"])
    url = reverse("channels:wechat_group_edit", args=[group.pk])
    response = client.post(url, {"community": group.community_id, "name": "青和居居民群", "webhook_url": ""})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "青和居居民群" and bytes(group.webhook_cipher) == cipher


def test_a_grid_worker_sees_the_groups_but_no_manage_buttons(client, world):
    make_group(world.communities["e1"], "青和居居民群")
    make_group(world.communities["w1"], "西一居民群")
    client.force_login(world.users["grid_worker_1"])
    html = client.get(reverse("channels:wechat_group_list")).content.decode()
    assert "青和居居民群" in html and "西一居民群" not in html
    assert "发送测试消息" not in html and "登记新群" not in html
    assert client.post(reverse("channels:wechat_group_add"), {}).status_code == 403


def test_a_deactivated_group_gets_no_new_notices(client, world):
    group = make_group(world.communities["e1"], "居民群")
    client.force_login(world.users["staff"])
    client.post(reverse("channels:wechat_group_active", args=[group.pk]), {"active": "0"})
    assert not services.groups_for(world.communities["e1"]).exists()
    client.post(reverse("channels:wechat_group_active", args=[group.pk]), {"active": "1"})
    assert list(services.groups_for(world.communities["e1"])) == [group]


def test_the_test_message_reaches_the_group_by_day_and_waits_by_night(client, world, outboxes):
    wechat_outbox, _ = outboxes
    group = make_group(world.communities["e1"], "居民群")
    client.force_login(world.users["staff"])
    with mock.patch("linli.channels.sender.clock", return_value=at(10, 0)):
        response = client.post(reverse("channels:wechat_group_test", args=[group.pk]), follow=True)
    assert "测试消息已发到“居民群”" in response.content.decode()
    assert wechat_outbox[0].msgtype == "text" and "测试消息" in wechat_outbox[0].content
    group.refresh_from_db()
    assert group.last_ok_at == at(10, 0)
    with mock.patch("linli.channels.sender.clock", return_value=at(22, 0)):
        response = client.post(reverse("channels:wechat_group_test", args=[group.pk]), follow=True)
    assert "现在是免打扰时段，测试消息请在 08:00 以后再发" in response.content.decode()
    assert len(wechat_outbox) == 1


def test_the_rules_page_refuses_more_than_twenty_a_minute_per_robot(client, world):
    e1 = world.communities["e1"]
    client.force_login(world.users["secretary"])
    url = reverse("channels:channel_settings_edit", args=[e1.pk])
    data = {"quiet_from": "22:00", "quiet_until": "07:30", "sms_per_minute": "200", "wechat_per_minute": "30"}
    response = client.post(url, data)
    assert response.status_code == 400 and "每分钟最多20条" in response.content.decode()
    assert not ChannelSettings.objects.exists()
    response = client.post(url, {**data, "wechat_per_minute": "15"})
    assert response.status_code == 302
    rules = ChannelSettings.objects.get(community=e1)
    assert (rules.quiet_from, rules.quiet_until, rules.sms_per_minute) == (datetime.time(22), datetime.time(7, 30), 200)
    record = ChangeRecord.objects.get(object_id=rules.pk, action="update")
    assert record.changes["免打扰时段"] == ["21:00–08:00", "22:00–07:30"]


def test_the_batch_page_refreshes_while_sending_and_masks_phones(client, world, outboxes):
    dispatch = queue_sms(world.communities["e1"], ["13900001111", "13900002222"])
    client.force_login(world.users["grid_worker_2"])
    url = reverse("channels:dispatch_detail", args=[dispatch.pk])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 3s"' in html and "已发送 0 / 2" in html
    assert "13900001111" not in html and "139****1111" in html
    assert "取消发送" not in html  # a grid worker who did not start it
    from linli.channels.sender import send_due

    send_due(now=at(10, 0))
    part = client.get(url + "?part=progress", HTTP_HX_REQUEST="true").content.decode()
    assert part.startswith('<div id="dispatch-progress"') and "hx-trigger" not in part and "已发送 2 / 2" in part


def test_a_manager_cancels_a_running_batch_from_its_page(client, world):
    dispatch = queue_sms(world.communities["e1"], ["13900001111"])
    client.force_login(world.users["secretary"])
    response = client.post(reverse("channels:dispatch_cancel", args=[dispatch.pk]), follow=True)
    assert "已取消发送" in response.content.decode()
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.CANCELLED
    assert Outbound.objects.get(dispatch=dispatch).status == "cancelled"


def test_the_notice_panel_summarises_each_channel_for_staff_only(world):
    queue_sms(world.communities["e1"], ["13900001111"], source_id=77)
    panel = dispatch_panel(world.users["staff"], "notices.notice", 77)
    (row,) = panel["dispatches"]
    assert (row["p"]["total"], row["p"]["sent"], row["p"]["percent"]) == (1, 0, 0)
    assert dispatch_panel(world.users["resident"], "notices.notice", 77) is None
    assert dispatch_panel(world.users["staff"], "notices.notice", 78) is None


def test_eager_sending_sends_a_first_batch_in_the_request_and_the_command_the_rest(world, outboxes, settings):
    _, sms_outbox = outboxes
    settings.CELERY_TASK_ALWAYS_EAGER = True
    phones = [f"1390000{n:04d}" for n in range(services.FIRST_BATCH + 20)]
    with mock.patch("django.utils.timezone.now", return_value=at(10, 0)):
        dispatch = queue_sms(world.communities["e1"], phones)
        services._start(dispatch.pk)  # what queue() runs on commit
        assert len(sms_outbox) == services.FIRST_BATCH
        call_command("channels_send", stdout=open("/dev/null", "w"))
    assert len(sms_outbox) == len(phones)
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE


def test_the_deploy_check_warns_about_the_log_backend_in_production(settings):
    from linli.channels.apps import check_wechat_backend

    settings.PRODUCTION = True
    settings.LINLI_WECHAT_BACKEND = "linli.channels.wechat.LogBackend"
    assert [w.id for w in check_wechat_backend()] == ["linli.channels.W001"]
    settings.LINLI_WECHAT_BACKEND = "linli.channels.wechat.WebhookBackend"
    assert check_wechat_backend() == []


def test_the_demo_registers_two_groups_once(world):
    fake = types.SimpleNamespace(community=world.communities["e1"], rng=lambda name: __import__("random").Random(1))
    demo.demo_step(fake)
    demo.demo_step(fake)
    names = sorted(WechatGroup.objects.values_list("name", flat=True))
    assert names == ["东一居民群", "第1网格居民群"]
    assert WechatGroup.objects.get(name="第1网格居民群").grid == world.grids["g1"]
    assert ChannelSettings.objects.filter(community=world.communities["e1"]).exists()
