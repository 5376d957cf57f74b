"""The demo's campaign (seed 002): 2026年城乡居民养老保险待遇资格认证 of 区人社局 for 青和居's residents aged 60 and
over, about 70% done two weeks before its deadline — mostly 已线上自助完成, some 上门协助完成 (each a visit for the
care-group residents among them), a few 外出不在本地 and 已去世 — with open targets left in every grid, so that the
demo grid worker wangge1 has a walk to do.

Built with the services for the campaign and its list (one change record each), then the outcomes in bulk: a
demo's history is not a thousand separate actions. The in-person visits are Visit rows written in one insert and
the due dates recomputed by the visits app (linli.visits.services.recompute_due_dates).
"""

from __future__ import annotations

import datetime
import time

from django.db import transaction
from django.utils import timezone

from linli.campaigns import services
from linli.campaigns.models import CampaignTarget
from linli.core.audit import Actor

NAME = "2026年城乡居民养老保险待遇资格认证"
#: outcome code -> share of the targets (the rest stays open)
SHARES = (("online", 0.56), ("in_person", 0.11), ("deceased", 0.01), ("not_needed", 0.02), ("away", 0.05))


@transaction.atomic
def build_demo_campaign(demo) -> None:
    from linli.notices.audience import Audience
    from linli.visits.choices import Outcome, Wellbeing
    from linli.visits.models import Visit
    from linli.visits.services import recompute_due_dates

    started = time.perf_counter()
    actor = Actor.system("演示数据")
    community = demo.community
    today = demo.today
    campaign = services.create_campaign(
        actor=actor,
        community=community,
        name=NAME,
        department="区人社局",
        description=(
            "领取城乡居民养老保险待遇的居民每年须完成一次资格认证，逾期未认证将暂停发放。"
            "可在手机上“掌上12333”App或微信小程序刷脸认证；不会操作的老人由网格员上门协助。"
        ),
        starts_on=today - datetime.timedelta(days=12),
        deadline=today + datetime.timedelta(days=14),
    )
    over_60 = Audience(community_id=community.pk, age_min=60)
    services.add_targets_from_audience(campaign, over_60, actor=actor, today=today)
    services.start_campaign(campaign, actor=actor)

    rng = demo.rng("campaigns")
    outcomes = {o.code: o for o in campaign.outcomes.all()}
    targets = list(
        CampaignTarget.objects.filter(campaign=campaign)
        .order_by("resident_id")  # a fixed order before the seeded shuffle: `linli demo --reset` rebuilds the same rows
        .values_list("pk", "resident_id", "grid_id", "household_id")
    )
    rng.shuffle(targets)
    workers = {}
    for username in ("wangge1", "wangge2"):
        user = demo.users.get(username)
        if user is not None:
            for grid_id in user.assignments.values_list("grid_id", flat=True):
                if grid_id:
                    workers[grid_id] = user
    staff = demo.users.get("shequ")
    care = set()
    from linli.residents.models import Resident

    care_rows = Resident.tags.through.objects.filter(
        resident_id__in=[t[1] for t in targets], tag__is_active=True, tag__visit_interval_days__isnull=False
    ).values_list("resident_id", flat=True)
    care.update(care_rows)

    updates, visits, start = [], [], 0
    now = timezone.now()
    for code, share in SHARES:
        n = round(share * len(targets))
        for pk, resident_id, grid_id, _household in targets[start : start + n]:
            outcome = outcomes[code]
            days_ago = rng.randint(0, 11)
            # A working hour of that day (local time): the day follows from the seed alone, whatever the clock says,
            # so `linli demo --reset` writes the same visits; a time later than now today is taken as now.
            day = today - datetime.timedelta(days=days_ago)
            morning = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
            when = min(morning + datetime.timedelta(hours=rng.randint(0, 8), minutes=rng.randint(0, 59)), now)
            who = workers.get(grid_id) if outcome.in_person or rng.random() < 0.5 else staff
            who = who or staff
            updates.append((pk, outcome, when, who, resident_id, grid_id))
            if outcome.in_person and resident_id in care:
                visits.append((pk, resident_id, day, who))
        start += n

    rows = {pk: (o, when, who) for pk, o, when, who, *_ in updates}
    objs = list(CampaignTarget.objects.filter(pk__in=rows))
    for t in objs:
        o, when, who = rows[t.pk]
        t.outcome, t.done, t.recorded_at, t.recorded_by = o, o.is_done, when, who
        if o.code == "away":
            t.note = "在外地子女家，已电话提醒线上认证"
    CampaignTarget.objects.bulk_update(objs, ["outcome", "done", "recorded_at", "recorded_by", "note"], batch_size=2000)

    if visits:
        places = {
            r[0]: r[1:]
            for r in Resident.objects.filter(pk__in=[v[1] for v in visits]).values_list(
                "pk", "street_id", "community_id", "grid_id", "building_id"
            )
        }
        created = Visit.objects.bulk_create(
            Visit(
                resident_id=resident_id,
                visited_on=day,
                visitor=who,
                outcome=Outcome.MET,
                wellbeing=Wellbeing.GOOD,
                findings=f"专项工作：{NAME}：上门协助完成",
                street_id=places[resident_id][0],
                community_id=places[resident_id][1],
                grid_id=places[resident_id][2],
                building_id=places[resident_id][3],
            )
            for _pk, resident_id, day, who in visits
        )
        links = [CampaignTarget(pk=v[0], visit_id=visit.pk) for v, visit in zip(visits, created)]
        CampaignTarget.objects.bulk_update(links, ["visit"], batch_size=2000)
        recompute_due_dates([v[1] for v in visits], today=today)
    services.recount(campaign)
    share = round(100 * campaign.done_count / campaign.target_count) if campaign.target_count else 0
    demo.log(
        f"       {community.name}：专项工作“{NAME}”{campaign.target_count}人，"
        f"已完成{campaign.done_count}人（{share}%），上门协助并记走访{len(visits)}次"
        f"（{time.perf_counter() - started:.1f}秒）"
    )
