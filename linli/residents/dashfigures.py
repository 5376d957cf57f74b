"""The residents' figures on the dashboards (linli.core.shell.dashboard_figure): people living here, and the care
groups among them, per community and grid."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, DateField, F, Q, Value, When
from django.utils import timezone

from linli.areas.models import Household
from linli.core import shell
from linli.core.figures import Counted, Part, day_bounds, list_link, tally, tally_spans
from linli.residents.choices import ResidentStatus
from linli.residents.models import Resident

#: The active residents now: 在册居民 (today's) and the visits' care-group stocks (linli.visits.dashfigures) are shares
#: of them, counted in one grouped query on a dashboard.
ACTIVE = Counted(lambda day: Resident.objects.filter(status=ResidentStatus.ACTIVE))


@dataclass(frozen=True)
class Living(Part):
    """Residents living here at the end of `day`: today the active residents (a share of ACTIVE), a past day as it
    was — registered by then and active, or marked left after it."""

    def shares(self, period: tuple) -> bool:
        return period[0] >= timezone.localdate()

    def __call__(self, day, node):
        if self.shares((day,)):  # today: the active residents, straight off the (level, status) indexes
            return super().__call__(day, node)
        _, end = day_bounds(day, day)
        living = Q(status=ResidentStatus.ACTIVE) | Q(left_on__gt=day)
        return tally(Resident.objects.filter(living, created_at__lt=end), node=node)


population = Living(ACTIVE)


def population_days(start, end, node):
    """population() for every day from `start` to `end` (days before today) in one grouped query: an active
    resident counts from the day registered on, one marked left until the day before `left_on`."""
    _, last = day_bounds(end, end)
    living = Q(status=ResidentStatus.ACTIVE) | Q(left_on__gt=start)
    until = Case(When(status=ResidentStatus.ACTIVE, then=Value(None)), default=F("left_on"), output_field=DateField())
    residents = Resident.objects.filter(living, created_at__lt=last)
    return tally_spans(residents, "created_at", until, start=start, end=end, node=node)


#: From a household to its area ids.
HOUSEHOLD_AREA = {
    "street": "building__community__street_id",
    "community": "building__community_id",
    "grid": "building__grid_id",
}


def care(day, node):
    """Households in need: an active resident of theirs is in a care group (residents.choices.CARE_TAGS; the
    Household.care_members counter, the households of the 关爱名单)."""
    return tally(Household.objects.filter(care_members__gt=0), node=node, paths=HOUSEHOLD_AREA)


def _area(node):
    return {node.level: node.id} if node.level in ("community", "grid") else {}


def resident_list(node, start, end, **params):
    return list_link("residents:resident_list", status=ResidentStatus.ACTIVE, **_area(node), **params)


shell.dashboard_family("population", "人口", order=10, visible=shell.perm("resident.view"))
shell.dashboard_figure(
    "residents.population",
    family="population",
    label="在册居民",
    unit="人",
    kind=shell.STOCK,
    compute=population,
    link=resident_list,
    history=True,
    history_days=population_days,
    order=10,
)
shell.dashboard_figure(
    "residents.care",
    family="population",
    label="关爱户",
    unit="户",
    kind=shell.STOCK,
    compute=care,
    link=lambda node, start, end: list_link("support:care_table", **_area(node)),
    order=20,
)
