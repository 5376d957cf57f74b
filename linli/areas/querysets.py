from django.db.models import F, TextField, Value
from django.db.models.functions import Cast, Concat, Length, LPad

from linli.core.querysets import ScopedQuerySet


def room_order(prefix: str = "") -> tuple:
    """Walking order of homes inside a building: entrance, floor, then the room as a number.

    Rooms are text ("502", "1003"): as text "1003" sorts before "102". Ordering by floor first and then by the
    room's length before the text itself sorts digit rooms as numbers (102 < 502 < 1003) on every database.
    `prefix` leads from the queried model to the household ("household__" from a resident).
    """
    return (f"{prefix}entrance", f"{prefix}floor", Length(f"{prefix}room"), f"{prefix}room")


#: Width of each part of a home's walking-order key; a floor is shifted by FLOOR_SHIFT so that basements (negative
#: floors) still sort first as text.
NUMBER_WIDTH, ENTRANCE_WIDTH, FLOOR_WIDTH, LENGTH_WIDTH = 10, 5, 5, 2
FLOOR_SHIFT = 32768
#: 10 + 5 + 5 + 2 digits and a room of at most 16 characters
SORT_KEY_LENGTH = 38


def home_sort_key(number: int, entrance: int, floor: int, room: str) -> str:
    """The walking order of room_order as one text key: building number, entrance, floor, the room's length, the
    room ("0000000003000010327690030502" for 3栋1单元502). Text order of keys = the order of those columns, so one
    index (street_id, sort_key, id) gives a street's first page without sorting the street.
    """
    room = room or ""
    return (
        f"{number:0{NUMBER_WIDTH}d}{entrance:0{ENTRANCE_WIDTH}d}{floor + FLOOR_SHIFT:0{FLOOR_WIDTH}d}"
        f"{len(room):0{LENGTH_WIDTH}d}{room}"
    )


def home_sort_key_sql(prefix: str = "") -> Concat:
    """home_sort_key as an SQL expression (the same text on PostgreSQL and SQLite); `prefix` leads to the household
    ("household__" from a resident), its building through `building__`."""

    def pad(expression, width):
        return LPad(Cast(expression, output_field=TextField()), width, Value("0"))

    return Concat(
        pad(F(f"{prefix}building__number"), NUMBER_WIDTH),
        pad(F(f"{prefix}entrance"), ENTRANCE_WIDTH),
        pad(F(f"{prefix}floor") + FLOOR_SHIFT, FLOOR_WIDTH),
        pad(Length(f"{prefix}room"), LENGTH_WIDTH),
        F(f"{prefix}room"),
        output_field=TextField(),
    )


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
