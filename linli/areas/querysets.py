from linli.core.querysets import ScopedQuerySet


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
