"""Progress of a campaign per grid, building and worker, and the open targets a user has: what the detail page,
the worklist part and the API read. Every figure is counted from the rows the user may see (restrict)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from linli.campaigns.choices import CampaignStatus
from linli.campaigns.models import Campaign, CampaignTarget


@dataclass
class Line:
    key: int | None
    label: str
    total: int
    done: int
    recorded: int = 0

    @property
    def open(self) -> int:
        return self.total - self.done

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _lines(rows, key: str, label: str) -> list[Line]:
    return [Line(r[key], r[label] or "（未划网格）", r["total"], r["done"], r.get("recorded", 0)) for r in rows]


def progress(campaign: Campaign, user) -> dict:
    """{"total": Line, "grids": [...], "buildings": [...], "workers": [...], "outcomes": [...]} for the targets
    of `campaign` the user may see."""
    targets = CampaignTarget.objects.restrict(user).filter(campaign=campaign)
    counts = {"total": Count("pk"), "done": Count("pk", filter=Q(done=True))}
    total = targets.aggregate(**counts)
    grids = targets.values("grid_id", "grid__name", "grid__number").annotate(**counts).order_by("grid__number")
    buildings = targets.values("building_id", "building__name", "building__number")
    buildings = buildings.annotate(**counts).order_by("building__number")
    workers = (
        targets.filter(recorded_by__isnull=False)
        .values("recorded_by_id", "recorded_by__full_name", "recorded_by__username")
        .annotate(recorded=Count("pk"), done=Count("pk", filter=Q(done=True)))
        .order_by("-recorded")
    )
    recorded = targets.filter(outcome__isnull=False).values("outcome_id").annotate(n=Count("pk"))
    outcomes = {r["outcome_id"]: r["n"] for r in recorded}
    return {
        "total": Line(None, "合计", total["total"], total["done"]),
        "grids": _lines(grids, "grid_id", "grid__name"),
        "buildings": _lines(buildings, "building_id", "building__name"),
        "workers": [
            Line(
                w["recorded_by_id"],
                w["recorded_by__full_name"] or w["recorded_by__username"],
                w["recorded"],
                w["done"],
                w["recorded"],
            )
            for w in workers
        ],
        "outcomes": [(o, outcomes.get(o.pk, 0)) for o in campaign.outcomes.all()],
        "unrecorded": total["total"] - sum(outcomes.values()),
    }


def open_by_campaign(user) -> list[dict]:
    """Each active campaign with open targets in the user's scope: [{campaign, open}] (deadline first)."""
    rows = (
        CampaignTarget.objects.restrict(user, "record")
        .filter(campaign__status=CampaignStatus.ACTIVE, done=False)
        .order_by()  # no Meta ordering: its joins (building, household) stayed in the GROUP BY query, unused
        .values("campaign_id")
        .annotate(open=Count("pk"))
    )
    opens = {r["campaign_id"]: r["open"] for r in rows}
    if not opens:
        return []
    campaigns = Campaign.objects.filter(pk__in=opens).order_by("deadline", "pk")
    return [{"campaign": c, "open": opens[c.pk]} for c in campaigns]


def worklist_context(user, today):
    """The 今日走访 part: None (hidden) when the user has no open target in an active campaign."""
    items = open_by_campaign(user)
    if not items:
        return None
    for item in items:
        item["days_left"] = (item["campaign"].deadline - today).days
    return {"campaign_items": items}
