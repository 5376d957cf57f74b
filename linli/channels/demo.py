"""The demo's channels in 青和居: the community's sending rules and two registered WeChat groups (the whole
community's residents' group and 第1网格's). The demo sends through the log backends (nothing leaves the machine):
the messages show in the server's console with the robots' keys masked."""

from __future__ import annotations

import datetime

from linli.areas.models import Grid
from linli.channels import services
from linli.channels.models import ChannelSettings, WechatGroup
from linli.core.audit import Actor

ACTOR = Actor.cli("演示数据")
PREFIX = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="


def demo_step(demo) -> None:
    community = demo.community
    if not ChannelSettings.objects.filter(community=community).exists():
        services.save_settings(
            community,
            actor=ACTOR,
            quiet_from=datetime.time(21, 0),
            quiet_until=datetime.time(8, 0),
            sms_per_minute=300,
            wechat_per_minute=20,
        )
    rng = demo.rng("channels")
    grid1 = Grid.objects.filter(community=community, number=1).first()
    for name, grid in ((f"{community.name.removesuffix('社区')}居民群", None), ("第1网格居民群", grid1)):
        if WechatGroup.objects.filter(community=community, name=name).exists():
            continue
        key = "demo-" + "".join(rng.choice("0123456789abcdef") for _ in range(32))
        services.save_group(None, actor=ACTOR, community=community, name=name, webhook_url=PREFIX + key, grid=grid)
