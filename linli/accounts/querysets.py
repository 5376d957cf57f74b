from django.contrib.auth.models import UserManager

from linli.core.querysets import ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    """Accounts a manager may see: those holding an assignment inside the manager's scope,
    and resident accounts whose resident lives there."""

    perm_subject = "user"
    scope_paths = {
        "street": (
            "assignments__street_id",
            "assignments__community__street_id",
            "assignments__grid__community__street_id",
            "assignments__building__community__street_id",
            "resident__street_id",
        ),
        "community": (
            "assignments__community_id",
            "assignments__grid__community_id",
            "assignments__building__community_id",
            "resident__community_id",
        ),
        "grid": ("assignments__grid_id", "assignments__building__grid_id", "resident__grid_id"),
        "building": ("assignments__building_id", "resident__building_id"),
    }

    def restrict(self, user, action="view"):
        return super().restrict(user, action).distinct()


class LinliUserManager(UserManager.from_queryset(UserQuerySet)):
    pass
