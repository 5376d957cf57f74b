from django.apps import apps
from django.contrib.auth.models import UserManager

from linli.accounts.roles import GRANTABLE_ROLES
from linli.core.querysets import ScopedQuerySet, scope_q

#: level -> lookups from an AreaAssignment to that level's id: an assignment lies inside a manager's node
#: when it is that node or below it (a street assignment is inside a street only, never inside a community).
ASSIGNMENT_SCOPE_PATHS = {
    "street": ("street_id", "community__street_id", "grid__community__street_id", "building__community__street_id"),
    "community": ("community_id", "grid__community_id", "building__community_id"),
    "grid": ("grid_id", "building__grid_id"),
    "building": ("building_id",),
}


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

    def manageable_by(self, user):
        """Accounts `user` may manage (edit, reset the password of, deactivate, unlock, see the tokens of).

        The one rule (issue 13 §1): the account is visible to the manager (an assignment inside their scope,
        or a resident living there), its role is one the manager may grant, it is not a superuser, and
        **every** one of its assignments lies inside the manager's scope. An account with any assignment
        outside is read-only for the manager: managing it would act on areas the manager does not hold
        (its password opens them; saving its form would drop them). Superusers manage everyone.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = self.restrict(user, "manage")
        grantable = GRANTABLE_ROLES.get(user.role, ())
        assignment = apps.get_model("accounts", "AreaAssignment")
        inside = scope_q(user, ASSIGNMENT_SCOPE_PATHS)
        if inside is None:
            return self.none()
        inside_ids = assignment.objects.filter(inside).values("pk")
        holders_outside = assignment.objects.exclude(pk__in=inside_ids).values("user_id")
        return visible.filter(role__in=grantable, is_superuser=False).exclude(pk__in=holders_outside)


class LinliUserManager(UserManager.from_queryset(UserQuerySet)):
    pass
