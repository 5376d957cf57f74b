"""Campaigns for tests and the scope matrix: an active campaign over every resident of 东一社区 (张三, 李四, 陈奶奶 in
grid 1; 王五 in grid 2) and one over 西一社区 (孙七)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.campaigns import services
from linli.campaigns.models import CampaignImportJob, CampaignTarget
from linli.notices.audience import Audience
from linli.testing import SYSTEM


def make_campaign(community, *, name="养老保险资格认证", start=True, audience=None, **fields):
    """An active campaign (准备中 with start=False) over `audience` (default: the whole community)."""
    fields.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=14))
    fields.setdefault("department", "区人社局")
    campaign = services.create_campaign(actor=SYSTEM, community=community, name=name, **fields)
    services.add_targets_from_audience(campaign, audience or Audience(community_id=community.pk), actor=SYSTEM)
    if start:
        services.start_campaign(campaign, actor=SYSTEM)
    campaign.refresh_from_db()
    return campaign


def target_of(campaign, resident) -> CampaignTarget:
    return CampaignTarget.objects.get(campaign=campaign, resident=resident)


def matrix_objects(world) -> dict:
    """objects["campaigns"]["e1"|"w1"]; ["campaign_targets"]["e1_g1"] (张三), ["e1_g2"] (王五), ["w1"] (孙七);
    ["campaign_outcomes"]["e1"|"w1"] (an outcome nobody recorded); ["campaign_imports"]["e1"|"w1"]."""
    campaigns = {key: make_campaign(world.communities[key]) for key in ("e1", "w1")}
    targets = {
        "e1_g1": target_of(campaigns["e1"], world.residents["zhang"]),
        "e1_g2": target_of(campaigns["e1"], world.residents["wang"]),
        "w1": target_of(campaigns["w1"], world.residents["sun"]),
    }
    outcomes = {key: c.outcomes.get(code="not_needed") for key, c in campaigns.items()}
    imports = {
        key: CampaignImportJob.objects.create(campaign=c, original_name="名单.xlsx", mapping={"0": "name"})
        for key, c in campaigns.items()
    }
    return {
        "campaigns": campaigns,
        "campaign_targets": targets,
        "campaign_outcomes": outcomes,
        "campaign_imports": imports,
    }
