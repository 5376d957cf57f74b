"""Campaigns benchmark: a street's 60+ residents on a campaign, and a grid worker's campaign pages at city scale.

Run on PostgreSQL with city-scale data:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench .venv/bin/linli migrate
    DATABASE_URL=... .venv/bin/linli demo --communities 122      # ~1,000,000 residents
    DATABASE_URL=... .venv/bin/python bench/campaigns.py [--runs 60]

What it does (and undoes: every campaign it creates is deleted at the end, with its targets and change records):
- creates 养老保险资格认证 in every community of the first street, each over the community's residents aged 60 and
  over (tens of thousands of targets in all), through the services (timed: building the lists);
- records outcomes for ~70% of them in bulk, so that the pages count a realistic mix;
- measures, as the grid worker of the street's first grid, through Django's test client against the same SQL on
  a raw cursor: the campaign list (专项工作), the grid worker's page (open targets in walking order, first page of
  50 rows), and 今日走访 with its 专项工作 part. Goal: each page p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.areas.models import Community, Grid, Street  # noqa: E402
from linli.campaigns import services  # noqa: E402
from linli.campaigns.models import Campaign, CampaignTarget  # noqa: E402
from linli.core.audit import Actor  # noqa: E402
from linli.core.models import ChangeRecord  # noqa: E402
from linli.notices.audience import Audience  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import bench_user, line, run_page, slowest  # noqa: E402

NAME = "【压测】养老保险资格认证"


def build(street, today, rng) -> tuple[list[Campaign], float]:
    actor = Actor.system("压测")
    campaigns = []
    start = time.perf_counter()
    for community in Community.objects.filter(street=street).order_by("id"):
        campaign = services.create_campaign(
            actor=actor, community=community, name=NAME, department="区人社局", deadline=today + datetime.timedelta(14)
        )
        services.add_targets_from_audience(
            campaign, Audience(community_id=community.pk, age_min=60), actor=actor, today=today
        )
        services.start_campaign(campaign, actor=actor)
        campaigns.append(campaign)
    built = time.perf_counter() - start
    # ~70% done, in bulk (the pages should count a realistic mix, not 0%)
    for campaign in campaigns:
        outcomes = list(campaign.outcomes.order_by("order"))
        ids = list(CampaignTarget.objects.filter(campaign=campaign).values_list("pk", flat=True))
        rng.shuffle(ids)
        done = ids[: int(len(ids) * 0.7)]
        for i, outcome in enumerate(outcomes):
            part = done[i :: len(outcomes)]
            CampaignTarget.objects.filter(pk__in=part).update(
                outcome=outcome, done=outcome.is_done, recorded_at=timezone.now()
            )
        services.recount(campaign)
    return campaigns, built


def clean_up() -> int:
    campaigns = list(Campaign.objects.filter(name=NAME).values_list("pk", flat=True))
    targets = CampaignTarget.objects.filter(campaign_id__in=campaigns).values("pk")
    for model, ids in ((CampaignTarget, targets), (Campaign, campaigns)):
        ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids).delete()
    CampaignTarget.objects.filter(campaign_id__in=campaigns).delete()  # first: their outcomes are protected
    Campaign.objects.filter(pk__in=campaigns).delete()
    return len(campaigns)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the campaigns (to look at the pages)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    today = timezone.localdate()
    clean_up()  # a run killed half-way left its campaigns

    street = Street.objects.order_by("id").first()
    grid = Grid.objects.filter(community__street=street).order_by("community_id", "number").first()
    try:
        campaigns, built = build(street, today, rng)
        targets = sum(c.target_count for c in campaigns)
        mine = next(c for c in campaigns if c.community_id == grid.community_id)
        in_grid = CampaignTarget.objects.filter(campaign=mine, grid=grid)
        print(
            f"database: {connection.vendor} {connection.settings_dict['NAME']}; street {street.name}: "
            f"{len(campaigns)} campaigns, {targets:,} targets (60+) built in {built:.1f} s; "
            f"grid {grid.community.name} {grid.name}: {in_grid.count():,} targets, "
            f"{in_grid.filter(done=False).count():,} open"
        )
        worker = bench_user("bench_grid_worker", Role.GRID_WORKER, grid)
        client = Client()
        client.force_login(worker)
        goals = {}
        print()
        print(f"{'case':44} {'p50':>11} {'p95':>11} {'raw p50':>10} {'raw p95':>10} {'ratio':>6}")
        for label, url in (
            ("专项工作 list (grid worker)", reverse("campaigns:campaign_list")),
            ("grid worker's campaign page (open, first 50)", reverse("campaigns:campaign_work", args=[mine.pk])),
            ("今日走访 with the 专项工作 part", reverse("visits:worklist")),
        ):
            page, raw, per, nq = run_page(client, url, args.runs)
            p95, _ = line(label, page, raw, f"{nq:.0f} queries")
            goals[f"{label} p95 <= 100 ms"] = (p95 <= 100, f"{p95:.1f} ms", p95 / 100)
            slowest(per, 2)
        print()
        for goal, (met, figure, ratio) in goals.items():
            print(f"goal {goal}: {'met' if met else 'NOT met'} ({figure}, {ratio:.2f} of the goal)")
    finally:
        if not args.keep:
            print(f"deleted {clean_up()} bench campaigns")


if __name__ == "__main__":
    main()
