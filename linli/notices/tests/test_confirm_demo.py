"""The notices demo: a water cut for 1栋 with confirmations in progress and door households open on the grid worker's
今日走访, the pension notice to the whole community, a draft; built through the services, sending nothing out."""

import datetime
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from linli.channels.models import Outbound
from linli.notices.choices import NoticeStatus
from linli.notices.demo import POLICY_TITLE, demo_step
from linli.notices.models import Notice, NoticeHousehold
from linli.notices.shell_confirm import door_context
from linli.testing import make_resident

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_water_cut_in_progress_a_policy_notice_and_a_draft(world):
    e1, b1 = world.communities["e1"], world.buildings["b1"]
    rooms = [f"{floor}0{n}" for floor in range(1, 7) for n in (1, 2)]
    for n, room in enumerate(r for r in rooms if r not in ("101", "201")):
        alone = ["elderly60", "living_alone"] if n % 2 else []
        make_resident(b1, f"一栋住户{n}", room=room, seq=40 + n, tags=alone, phone=f"1390000{n:04d}")
    lines = []
    demo = SimpleNamespace(
        community=e1,
        today=timezone.localdate(),
        rng=lambda name: random.Random(name),
        users={"wangge1": world.users["grid_worker_1"], "shequ": world.users["staff"]},
        chen=world.residents["chen"],
        log=lines.append,
    )
    demo_step(demo)
    demo_step(demo)  # a second run changes nothing
    assert Notice.objects.filter(community=e1).count() == 3
    water = Notice.objects.get(community=e1, must_confirm=True)
    assert water.status == NoticeStatus.SENT and water.confirm_by == demo.today + datetime.timedelta(days=1)
    rows = NoticeHousehold.objects.filter(notice=water)
    told = rows.exclude(confirmed_via="").count()
    assert 0.4 <= told / rows.count() <= 0.8
    assert set(rows.exclude(confirmed_via="").values_list("confirmed_via", flat=True)) >= {"read", "posted"}
    # 陈奶奶's household is left for her to read; she is never tagged 不会用智能手机.
    assert rows.get(household_id=world.residents["chen"].household_id).confirmed_via == ""
    assert not world.residents["chen"].tags.filter(code="no_smartphone").exists()
    policy = Notice.objects.get(community=e1, title=POLICY_TITLE)
    assert (
        policy.status == NoticeStatus.SENT
        and policy.household_count == NoticeHousehold.objects.filter(notice=policy).count()
    )
    assert Notice.objects.get(community=e1, status=NoticeStatus.DRAFT).title == "本周六上午消防安全演练"
    assert not Outbound.objects.exists()  # in Linli and print only
    assert lines


def test_the_demo_leaves_door_households_on_wangge1s_rounds(qinghe):
    from linli.accounts.models import User

    wangge1 = User.objects.get(username="wangge1")
    water = Notice.objects.get(community=qinghe, must_confirm=True)
    ctx = door_context(wangge1, timezone.localdate())
    assert ctx is not None and ctx["groups"][0]["notice"] == water
    rows = NoticeHousehold.objects.filter(notice=water)
    told = rows.exclude(confirmed_via="").count()
    assert 0.5 <= told / rows.count() <= 0.7
    assert ctx["total"] == rows.filter(needs_door=True, confirmed_via="").count() > 0
