"""The demo's screen: one 大屏 for the demo community's service centre, its link printed by `linli demo` (only the
hash is kept: a new link is made on the screen's page, 重新生成链接). The demo volunteer login (zhiyuan, an outside
volunteer) agreed to show their name on the 好人好事墙, so the wall shows both kinds."""

from __future__ import annotations

from django.conf import settings

from linli.bigscreen.choices import DEFAULT_PANELS
from linli.bigscreen.models import Screen
from linli.bigscreen.services import create_screen, set_wall_consent
from linli.core.audit import Actor

SCREEN_NAME = "党群服务中心一楼大厅"


def demo_step(demo) -> None:
    from linli.volunteers.models import Volunteer

    actor = Actor.system("演示数据")
    community = demo.community
    screen, key = create_screen(
        Screen(street_id=community.street_id, community=community, name=SCREEN_NAME, panels=list(DEFAULT_PANELS)),
        actor=actor,
    )
    for volunteer in Volunteer.objects.filter(community=community, user__username="zhiyuan"):
        set_wall_consent(volunteer, True, actor=actor)
    base = getattr(settings, "LINLI_SITE_URL", "").rstrip("/") or "http://127.0.0.1:8000"
    demo.log(f"社区大屏“{screen.name}”的显示链接：{base}/bigscreen/show/{key}/")
