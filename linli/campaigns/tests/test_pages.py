"""The pages: the grid worker's walking list (scope, order, one button per outcome, htmx row in place, bounded
queries), 今日走访's 专项工作 part, the list and detail pages, the target list's filters, the audience picker."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linli.areas.models import Household
from linli.campaigns import services
from linli.campaigns.models import CampaignTarget
from linli.campaigns.testing import make_campaign, target_of
from linli.core.audit import actor_of
from linli.testing import make_resident

pytestmark = pytest.mark.django_db


def test_the_grid_worker_sees_their_open_targets_in_walking_order(world, client):
    campaign = make_campaign(world.communities["e1"])
    client.force_login(world.users["grid_worker_1"])
    text = client.get(reverse("campaigns:campaign_work", args=[campaign.pk])).content.decode()
    # 1栋1单元101 张三, 1栋1单元201 陈奶奶, 1栋2单元502 李四; 王五 (grid 2) is not theirs
    assert text.index("张三") < text.index("陈奶奶") < text.index("李四")
    assert "王五" not in text
    for label in ("已线上自助完成", "上门协助完成", "外出不在本地", "已去世", "不需要"):
        assert label in text
    assert 'data-draft="campaign-' in text and "hx-post" in text


def test_a_tap_records_the_outcome_and_returns_the_row(world, client):
    campaign = make_campaign(world.communities["e1"])
    zhang = target_of(campaign, world.residents["zhang"])
    online = campaign.outcomes.get(code="online")
    client.force_login(world.users["grid_worker_1"])
    response = client.post(
        reverse("campaigns:target_record", args=[zhang.pk]),
        {"outcome": online.pk, "note": "儿子帮忙认证"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.startswith(f'<li id="target-{zhang.pk}"') and "已登记：" in text and "儿子帮忙认证" in text
    zhang.refresh_from_db()
    assert zhang.outcome == online and zhang.done


def test_a_bad_tap_says_why_in_the_row_and_changes_nothing(world, client):
    campaign = make_campaign(world.communities["e1"])
    zhang = target_of(campaign, world.residents["zhang"])
    client.force_login(world.users["grid_worker_1"])
    response = client.post(
        reverse("campaigns:target_record", args=[zhang.pk]), {"outcome": "x"}, HTTP_HX_REQUEST="true"
    )
    assert "请选择这项工作的一个结果。" in response.content.decode()
    response = client.post(reverse("campaigns:target_record", args=[zhang.pk]), {}, HTTP_HX_REQUEST="true")
    assert "请选择一个结果。" in response.content.decode()
    zhang.refresh_from_db()
    assert zhang.outcome is None


def test_another_grids_target_is_404_for_a_grid_worker(world, client):
    campaign = make_campaign(world.communities["e1"])
    zhang = target_of(campaign, world.residents["zhang"])
    client.force_login(world.users["grid_worker_2"])
    response = client.post(reverse("campaigns:target_record", args=[zhang.pk]), {"outcome": "online"})
    assert response.status_code == 404
    zhang.refresh_from_db()
    assert zhang.outcome is None


def test_the_work_page_query_count_does_not_grow_with_the_targets(world, client):
    campaign = make_campaign(world.communities["e1"])
    client.force_login(world.users["grid_worker_1"])
    url = reverse("campaigns:campaign_work", args=[campaign.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    b1 = world.buildings["b1"]
    for n, household in enumerate(Household.objects.filter(building=b1).exclude(residents__isnull=False)[:12]):
        make_resident(b1, f"居民{n}", entrance=household.entrance, room=household.room, seq=50 + n)
    services.add_targets_from_audience(
        campaign,
        __import__("linli.notices.audience", fromlist=["Audience"]).Audience(community_id=campaign.community_id),
        actor=actor_of(world.users["staff"]),
    )
    assert CampaignTarget.objects.filter(campaign=campaign, grid=world.grids["g1"]).count() >= 15
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "居民11" in response.content.decode()
    assert len(many) == len(few) <= 15


def test_todays_rounds_show_each_active_campaigns_open_targets_and_hide_when_none(world, client):
    campaign = make_campaign(world.communities["e1"])
    client.force_login(world.users["grid_worker_2"])
    text = client.get(reverse("visits:worklist")).content.decode()
    assert "专项工作" in text and "<b>1人</b><small>未完成" in text
    services.record_outcome(
        target_of(campaign, world.residents["wang"]), "online", actor=actor_of(world.users["grid_worker_2"])
    )
    text = client.get(reverse("visits:worklist")).content.decode()
    assert reverse("campaigns:campaign_work", args=[campaign.pk]) not in text


def test_the_detail_page_links_each_figure_to_the_filtered_list(world, client):
    campaign = make_campaign(world.communities["e1"])
    services.record_outcome(
        target_of(campaign, world.residents["zhang"]), "online", actor=actor_of(world.users["staff"])
    )
    client.force_login(world.users["secretary"])
    text = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])).content.decode()
    grid_open = f"?campaign={campaign.pk}&grid={world.grids['g1'].pk}&state=open"
    assert grid_open in text
    listing = client.get(reverse("campaigns:target_list") + grid_open).content.decode()
    assert "陈奶奶" in listing and "李四" in listing and "张三" not in listing and "王五" not in listing


def test_the_target_list_refuses_another_grid_with_a_chinese_message(world, client):
    make_campaign(world.communities["e1"])
    client.force_login(world.users["grid_worker_2"])
    text = client.get(reverse("campaigns:target_list") + f"?grid={world.grids['g1'].pk}").content.decode()
    assert "找不到这个网格，或不在您的管辖范围内。" in text
    assert "张三" not in text


def test_the_list_page_shows_progress_and_the_users_open_count(world, client):
    campaign = make_campaign(world.communities["e1"], deadline=timezone.localdate() + datetime.timedelta(days=3))
    client.force_login(world.users["grid_worker_1"])
    text = client.get(reverse("campaigns:campaign_list")).content.decode()
    assert campaign.name in text and "已完成 0/4 人（0%）" in text and "我负责的还有 3 人" in text


def test_the_audience_picker_counts_before_adding(world, client):
    campaign = make_campaign(world.communities["e1"], start=False, name="空名单", audience=None)
    CampaignTarget.objects.filter(campaign=campaign).delete()
    services.recount(campaign)
    client.force_login(world.users["staff"])
    url = reverse("campaigns:campaign_targets_add", args=[campaign.pk])
    text = client.post(url, {"age_min": "60", "action": "count"}).content.decode()
    assert "按这个条件共 <b>3</b> 人" in text
    assert not CampaignTarget.objects.filter(campaign=campaign).exists()
    text = client.post(url, {"age_min": "70", "age_max": "60", "action": "count"}).content.decode()
    assert "最大年龄不能小于最小年龄。" in text
    assert client.post(url, {"age_min": "60", "action": "add"}).status_code == 302
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 3


def test_creating_a_campaign_on_the_page(world, client):
    client.force_login(world.users["staff"])
    response = client.post(
        reverse("campaigns:campaign_add"),
        {
            "community": world.communities["e1"].pk,
            "name": "医保缴费",
            "department": "区医保局",
            "deadline": "2026-12-31",
        },
    )
    assert response.status_code == 302
    text = client.post(reverse("campaigns:campaign_add"), {"community": world.communities["e1"].pk}).content.decode()
    assert "请填写名称" in text and "请填写截止日期" in text


def test_the_list_filters_by_who_recorded(world, client):
    campaign = make_campaign(world.communities["e1"])
    services.record_outcome(
        target_of(campaign, world.residents["zhang"]), "online", actor=actor_of(world.users["staff"])
    )
    services.record_outcome(
        target_of(campaign, world.residents["chen"]), "away", actor=actor_of(world.users["grid_worker_1"])
    )
    client.force_login(world.users["secretary"])
    url = reverse("campaigns:target_list") + f"?campaign={campaign.pk}&recorded_by={world.users['grid_worker_1'].pk}"
    text = client.get(url).content.decode()
    assert "陈奶奶" in text and "张三" not in text
    text = client.get(reverse("campaigns:target_list") + f"?recorded_by={world.users['nobody'].pk}").content.decode()
    assert "找不到这位登记人，或不在这份名单里。" in text
