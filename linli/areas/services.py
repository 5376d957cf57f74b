"""State changes of the area tree. Views, API and commands all come through here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery

from linli.areas.models import Building, Grid, Household
from linli.areas.querysets import home_sort_key_sql
from linli.core.audit import Actor
from linli.core.services import check_scope, delete_audited, save_audited


def room_number(floor: int, index: int) -> str:
    """Room 2 on floor 5 is "502"; floors above 9 give "1203"."""
    return f"{floor}{index:02d}"


@transaction.atomic
def create_building(building: Building, actor: Actor, *, with_rooms: bool = True) -> Building:
    """Save a new building and, unless told not to, its rooms: every entrance x floor x room."""
    save_audited(building, actor)
    if with_rooms:
        Household.objects.bulk_create(
            Household(building=building, entrance=e, floor=f, room=room_number(f, r))
            for e in range(1, building.entrances + 1)
            for f in range(1, building.floors + 1)
            for r in range(1, building.rooms_per_floor + 1)
        )
    return building


@transaction.atomic
def move_building(building: Building, grid: Grid | None, actor: Actor) -> Building:
    """Assign a building to another grid of its community; its residents follow."""
    from linli.residents.models import Resident

    building = Building.objects.select_for_update().get(pk=building.pk)
    if actor.user is not None:
        check_scope(Building.objects.all(), building, actor, "manage")
        if grid is not None:
            check_scope(Grid.objects.all(), grid, actor, "manage")
    if grid is not None and grid.community_id != building.community_id:
        raise ValidationError({"grid": "只能把楼栋移到本社区的网格，不能移到其他社区。"})
    if grid is not None and grid.pk == building.grid_id:
        return building
    households = building.households.count()
    moved = Resident.objects.filter(building=building).update(grid=grid)
    building.grid = grid
    target = grid.name if grid else "待分配"
    save_audited(building, actor, note=f"移至{target}：{households}户、{moved}名居民随楼栋移动")
    return building


@transaction.atomic
def save_building(building: Building, actor: Actor) -> Building:
    """Save an edited building; renumbering it moves its residents in the lists' walking order."""
    old_number = Building.objects.filter(pk=building.pk).values_list("number", flat=True).first()
    save_audited(building, actor)
    if old_number is not None and old_number != building.number:
        resort_residents(building_id=building.pk)
    return building


@transaction.atomic
def save_household(household: Household, actor: Actor) -> Household:
    """Save an edited room (its floor may change, which moves its residents in the walking order)."""
    save_audited(household, actor)
    resort_residents(household_id=household.pk)
    return household


def resort_residents(*, building_id: int | None = None, household_id: int | None = None) -> int:
    """Recompute Resident.sort_key from the homes of a building's (or a room's) residents, in one UPDATE."""
    from linli.residents.models import Resident

    residents = Resident.objects.filter(building_id=building_id) if building_id else Resident.objects.none()
    if household_id:
        residents = Resident.objects.filter(household_id=household_id)
    key = Household.objects.filter(pk=OuterRef("household_id")).annotate(key=home_sort_key_sql()).values("key")[:1]
    return residents.update(sort_key=Subquery(key))


def unassigned_buildings(community):
    return Building.objects.filter(community=community, grid__isnull=True)


@transaction.atomic
def delete_area(node, actor: Actor) -> None:
    """Delete an empty node: a building with no residents (its rooms go with it), a grid with no
    buildings, a household nobody lives in. Anything still holding people is refused, not cascaded."""
    from linli.residents.models import Resident

    node = type(node).objects.select_for_update().get(pk=node.pk)
    if actor.user is not None:
        check_scope(type(node).objects.all(), node, actor, "manage" if not isinstance(node, Household) else "change")
    if isinstance(node, Building):
        people = Resident.objects.filter(building=node).count()
        if people:
            raise ValidationError(f"{node.name}还有{people}名居民，不能删除。请先把居民迁出或移到其他户。")
        rooms = node.households.count()
        note = f"连同{rooms}户（空房）一起删除"
        for household in list(node.households.all()):
            delete_audited(household, actor, note=f"随{node.name}删除")
        delete_audited(node, actor, note=note)
    elif isinstance(node, Grid):
        if node.buildings.exists():
            raise ValidationError(f"{node.name}还有楼栋，不能删除。请先把楼栋移到其他网格。")
        delete_audited(node, actor)
    elif isinstance(node, Household):
        if node.residents.exists():
            raise ValidationError("这一户还有登记的居民，不能删除。")
        delete_audited(node, actor)
    else:
        delete_audited(node, actor)  # streets and communities: protected while anything is under them
