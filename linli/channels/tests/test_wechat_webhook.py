"""The WeChat Work group robot against a local fake server in the role of the webhook (started by each test):
messages arrive as the right JSON; errcode ≠ 0 and timeouts are retried with backoff and shown per group; an invalid
key fails at once; the webhook's key never appears in logs, errors, pages or change records."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from linli.channels import services, wechat
from linli.channels.choices import DispatchStatus, OutboundStatus
from linli.channels.models import Outbound, WechatGroup
from linli.channels.sender import send_due
from linli.channels.testing import fake_server, make_group, queue_wechat
from linli.channels.tests.conftest import at
from linli.core.audit import actor_of
from linli.core.models import ChangeRecord

pytestmark = pytest.mark.django_db

SECRET = "693a91f6-7xxx-4bc4-97a0-0ec2sif3f3hy"


@pytest.fixture
def webhook(settings):
    settings.LINLI_WECHAT_BACKEND = "linli.channels.wechat.WebhookBackend"
    settings.LINLI_WECHAT_TIMEOUT = 0.3
    settings.LINLI_WECHAT_WEBHOOK_PREFIXES = ["http://127.0.0.1:"]

    def start(*answers):
        return fake_server(answers or None)

    return start


def group_on(server, world, name="青和居居民群", **kw):
    return make_group(world.communities["e1"], name, url=f"{server.base}/cgi-bin/webhook/send?key={SECRET}", **kw)


def test_a_message_arrives_as_markdown_json_with_the_link(world, webhook):
    with webhook() as server:
        group = group_on(server, world)
        dispatch = queue_wechat(world.communities["e1"], [group])
        assert send_due(now=at(10, 0)).sent == 1
    (request,) = server.received
    assert request.path == f"/cgi-bin/webhook/send?key={SECRET}"
    assert request.headers["Content-Type"] == "application/json"
    body = request.json()
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["content"] == "【东一社区】停水通知 详情：[http://x/n/a/](http://x/n/a/)"
    group.refresh_from_db()
    assert group.last_ok_at == at(10, 0) and group.last_error == ""
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.sent) == (DispatchStatus.DONE, 1)


def test_an_errcode_is_retried_with_backoff_and_shown_on_the_group(world, webhook):
    busy = {"errcode": 45009, "errmsg": "api freq out of limit"}
    with webhook(busy, busy, {"errcode": 0, "errmsg": "ok"}) as server:
        group = group_on(server, world)
        queue_wechat(world.communities["e1"], [group])
        report = send_due(now=at(10, 0))
        assert (report.sent, report.retrying, report.wait_until) == (0, 1, at(10, 1))
        group.refresh_from_db()
        assert group.last_error.startswith("发送太频繁")
        row = Outbound.objects.get(group=group)
        assert (row.status, row.next_try_at) == (OutboundStatus.RETRYING, at(10, 1))
        assert send_due(now=at(10, 1)).retrying == 1
        row.refresh_from_db()
        assert row.next_try_at == at(10, 6)  # 1, then 5 minutes
        assert send_due(now=at(10, 6)).sent == 1
    assert len(server.received) == 3
    group.refresh_from_db()
    assert (group.last_ok_at, group.last_error) == (at(10, 6), "")


def test_a_timeout_is_retried(world, webhook):
    with webhook("hang", {"errcode": 0, "errmsg": "ok"}) as server:
        group = group_on(server, world)
        queue_wechat(world.communities["e1"], [group])
        assert send_due(now=at(10, 0)).retrying == 1
        row = Outbound.objects.get(group=group)
        assert row.last_error == "连接企业微信超时，稍后自动重试"
        assert send_due(now=at(10, 1)).sent == 1


def test_an_invalid_key_fails_at_once_and_is_reported_per_group(world, webhook):
    with webhook({"errcode": 93000, "errmsg": "invalid webhook url, hint: [..] key=" + SECRET}) as server:
        bad = group_on(server, world, "1网格群", grid=world.grids["g1"])
        dispatch = queue_wechat(world.communities["e1"], [bad])
        report = send_due(now=at(10, 0))
    assert (report.failed, report.retrying) == (1, 0)
    bad.refresh_from_db()
    assert bad.last_error == "Webhook地址无效（机器人已删除或地址抄错），请重新登记"
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.failed) == (DispatchStatus.DONE, 1)


def test_the_key_never_leaks_into_logs_errors_pages_or_change_records(world, webhook, client, caplog):
    caplog.set_level(logging.DEBUG)
    refusal = {"errcode": 93000, "errmsg": f"invalid webhook url key={SECRET}"}
    with webhook(refusal) as server:
        group = group_on(server, world)
        dispatch = queue_wechat(world.communities["e1"], [group])
        send_due(now=at(10, 0))
        with pytest.raises(ValidationError) as refused:
            services.send_test(group, actor=actor_of(world.users["secretary"]), now=at(10, 1))
    assert SECRET not in str(refused.value)
    client.force_login(world.users["secretary"])
    pages = [
        reverse("channels:wechat_group_list"),
        reverse("channels:wechat_group_edit", args=[group.pk]),
        reverse("channels:dispatch_detail", args=[dispatch.pk]),
        reverse("channels:dispatch_list"),
    ]
    for page in pages:
        response = client.get(page)
        html = response.content.decode()
        assert response.status_code == 200, page
        assert SECRET not in html and SECRET[:12] not in html, page
    # The group's pages tell robots apart by the last four characters only.
    assert group.webhook_tail == SECRET[-4:]
    assert f"…{SECRET[-4:]}" in client.get(pages[0]).content.decode()
    assert f"…{SECRET[-4:]}" in client.get(pages[1]).content.decode()
    for record in ChangeRecord.objects.all():
        assert SECRET not in str(record.changes) + record.note + record.object_repr
    assert SECRET not in caplog.text
    # The log backend masks the key too.
    caplog.clear()
    wechat.LogBackend().post(f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={SECRET}", "测试")
    assert SECRET not in caplog.text and "****" + SECRET[-4:] in caplog.text


def test_the_stored_webhook_is_encrypted(world):
    group = make_group(world.communities["e1"], url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={SECRET}")
    raw = bytes(WechatGroup.objects.values_list("webhook_cipher", flat=True).get(pk=group.pk))
    assert SECRET.encode() not in raw


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "请填写群机器人的Webhook地址。"),
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh123", "必须以 https:// 开头"),
        ("https://evil.example.com/cgi-bin/webhook/send?key=abcdefgh123", "这不是企业微信群机器人的地址"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=", "缺少有效的 key"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ab cd", "格式不正确"),
    ],
)
def test_a_bad_webhook_url_is_refused_in_chinese_and_nothing_is_stored(world, url, message):
    with pytest.raises(ValidationError) as refused:
        make_group(world.communities["e1"], url=url)
    assert message in " ".join(refused.value.messages)
    assert not WechatGroup.objects.exists()
