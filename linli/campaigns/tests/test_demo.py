"""The demo's campaign (seed 002): 青和居's 60+ residents at ~70% done, outcomes spread, in-person outcomes of
care-group residents logged as visits, and open targets left for the demo grid worker wangge1."""

import pytest
from django.db.models import Count

from linli.campaigns.demo import NAME
from linli.campaigns.models import Campaign, CampaignTarget
from linli.campaigns.progress import open_by_campaign
from linli.notices.audience import Audience

pytestmark = pytest.mark.django_db


def test_the_pension_campaign_covers_the_60_plus_at_about_70_percent(qinghe):
    from linli.accounts.models import User

    campaign = Campaign.objects.get(community=qinghe, name=NAME)
    assert campaign.status == "active" and campaign.department == "区人社局"
    over_60 = Audience(community_id=qinghe.pk, age_min=60).residents()
    targets = CampaignTarget.objects.filter(campaign=campaign)
    assert set(targets.values_list("resident_id", flat=True)) == set(over_60.values_list("pk", flat=True))
    assert campaign.target_count == targets.count() and campaign.done_count == targets.filter(done=True).count()
    assert 0.65 <= campaign.done_count / campaign.target_count <= 0.75
    spread = dict(targets.values_list("outcome__code").annotate(n=Count("pk")))
    assert spread["online"] > spread["in_person"] > spread["away"] > 0 and spread["deceased"] > 0
    in_person_visits = targets.filter(outcome__code="in_person", visit__isnull=False)
    assert in_person_visits.exists()
    assert all(t.visit.resident_id == t.resident_id for t in in_person_visits.select_related("visit")[:20])
    wangge1 = User.objects.get(username="wangge1")
    mine = {item["campaign"].pk: item["open"] for item in open_by_campaign(wangge1)}
    assert mine.get(campaign.pk, 0) > 0
