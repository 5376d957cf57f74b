from django.db.models.functions import Length

from linli.core.querysets import ScopedQuerySet


def room_order(prefix: str = "") -> tuple:
    """Walking order of homes inside a building: entrance, floor, then the room as a number.

    Rooms are text ("502", "1003"): as text "1003" sorts before "102". Ordering by floor first and then by the
    room's length before the text itself sorts digit rooms as numbers (102 < 502 < 1003) on every database.
    `prefix` leads from the queried model to the household ("household__" from a resident).
    """
    return (f"{prefix}entrance", f"{prefix}floor", Length(f"{prefix}room"), f"{prefix}room")


class StreetQuerySet(ScopedQuerySet):
    perm_subject = "area"
    scope_paths = {"street": "id"}


class CommunityQuerySet(ScopedQuerySet):
    perm_subject = "area"
    scope_paths = {"street": "street_id", "community": "id"}


class GridQuerySet(ScopedQuerySet):
    perm_subject = "area"
    scope_paths = {"street": "community__street_id", "community": "community_id", "grid": "id"}


class BuildingQuerySet(ScopedQuerySet):
    perm_subject = "area"
    scope_paths = {
        "street": "community__street_id",
        "community": "community_id",
        "grid": "grid_id",
        "building": "id",
    }


class HouseholdQuerySet(ScopedQuerySet):
    perm_subject = "household"
    scope_paths = {
        "street": "building__community__street_id",
        "community": "building__community_id",
        "grid": "building__grid_id",
        "building": "building_id",
    }
