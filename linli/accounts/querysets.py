from django.apps import apps
from django.contrib.auth.models import UserManager
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from linli.accounts.choices import Role
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

#: level -> lookup from an account to the area that owns it (User.owner_street / owner_community). A community's
#: accounts also carry their street, so the street office sees every account owned by its communities.
OWNER_SCOPE_PATHS = {"street": "owner_street_id", "community": "owner_community_id"}

#: An account placed nowhere: no assignment and no resident record. Only these are seen through their owner.
UNPLACED = Q(assignments__isnull=True, resident__isnull=True)


class UserQuerySet(ScopedQuerySet):
    """Accounts a manager may see: those holding an assignment inside the manager's scope,
    resident accounts whose resident lives there, and accounts placed nowhere (no assignment, no resident:
    department handlers, volunteers, accounts whose grids were taken away) whose owning area lies inside the
    manager's scope. An unplaced account without any owner (made by a command before owners were recorded) is
    seen by street administrators only, never by a community secretary. See docs/scope-and-roles.md."""

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
        placed = super().restrict(user, action).distinct()
        if user is None or not user.is_authenticated or not user.is_active or user.is_superuser:
            return placed
        if not user.has_role_perm(f"{self.perm_subject}.{action}"):
            return placed
        owned = scope_q(user, OWNER_SCOPE_PATHS)
        if user.role == Role.STREET_ADMIN:
            orphan = Q(owner_street__isnull=True, owner_community__isnull=True)
            owned = orphan if owned is None else owned | orphan
        if owned is None:
            return placed
        base = self.model._base_manager
        return self.filter(Q(pk__in=placed.values("pk")) | Q(pk__in=base.filter(UNPLACED & owned).values("pk")))

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


def check_manageable(actor_user, target) -> None:
    """Raise PermissionDenied unless `actor_user` may manage `target` (see UserQuerySet.manageable_by).

    `actor_user` None is the system itself (a management command), which may. Call it inside the transaction
    that changes `target`, after locking the row (select_for_update), so a concurrent change of the target's
    role or assignments cannot slip between the check and the write. (Here, beside the rule, so that the
    account services and the token services both use it.)
    """
    if actor_user is None or actor_user.is_superuser:
        return
    if not actor_user.is_authenticated or not actor_user.has_role_perm("user.manage"):
        raise PermissionDenied("您的角色没有这项权限。")
    if not type(target).objects.manageable_by(actor_user).filter(pk=target.pk).exists():
        raise PermissionDenied("该账号的管辖范围或角色超出您的权限，您只能查看，不能修改。")
