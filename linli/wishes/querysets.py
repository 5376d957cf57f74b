"""Who sees which wishes, claims, claimers and donation stock.

Area roles see the rows of the communities under their assigned nodes (deny by default, as everywhere).
A claimer's user account also sees the wishes of the communities they are registered with as a claimer
(an in-service party member is registered with the community, not assigned to it), and the wishes they
hold a live claim on. Which *fields* of a wish a user may read is a separate question: see
linli.wishes.services.can_see_private.
"""

from __future__ import annotations

from django.db.models import Count, Q

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet, VisibleQuerySet, either

#: From a row with community/street ids to each assignable level.
COMMUNITY_ROW_PATHS = community_scope(grids=True, own_street=True)


#: the most wishes a community's public board lists
PUBLIC_BOARD_ROWS = 200


class _CommunityRowQuerySet(VisibleQuerySet):
    scope_paths = COMMUNITY_ROW_PATHS
    scope_joins_many = True

    def area_q(self, user, action: str) -> Q | None:
        """The user's area scope for `<subject>.<action>`."""
        return self.perm_area_q(user, f"{self.perm_subject}.{action}")

    def visible_q(self, user, action: str) -> Q | None:
        return self.area_q(user, action)


class WishQuerySet(_CommunityRowQuerySet):
    perm_subject = "wish"

    def visible_q(self, user, action: str) -> Q | None:
        q = self.area_q(user, action)
        if action in ("view", "claim") and user.has_role_perm("wish.claim"):
            from linli.wishes.models import Claimer, WishClaim

            mine = Q(community_id__in=Claimer.objects.filter(user=user, is_active=True).values("community_id")) | Q(
                pk__in=WishClaim.objects.live().filter(claimer__user=user).values("wish_id")
            )
            q = either(q, mine)
        return q

    def public(self):
        """What the public list and page may show: wishes waiting for a claimer."""
        from linli.wishes.choices import WishStatus

        return self.filter(status=WishStatus.OPEN)

    def public_board(self, community):
        """A community's public board (the page and the API alike): its open wishes, soonest wanted first, at
        most PUBLIC_BOARD_ROWS; the resident is read only to hand their name to the anonymiser."""
        return (
            self.public()
            .filter(community=community)
            .select_related("resident")
            .order_by("target_date", "-created_at")[:PUBLIC_BOARD_ROWS]
        )

    def board_counts(self, community) -> dict:
        """{"fulfilled": n, "claimed": n}: what the public board says the community's wishes came to."""
        from linli.wishes.choices import WishStatus

        return self.filter(community=community).aggregate(
            fulfilled=Count("pk", filter=Q(status=WishStatus.FULFILLED)),
            claimed=Count("pk", filter=Q(status=WishStatus.CLAIMED)),
        )


class WishClaimQuerySet(VisibleQuerySet):
    """Claims (and the fulfilment photos attached to them): the wish's staff and the claimer only."""

    perm_subject = "wish"

    def live(self):
        return self.filter(released_at__isnull=True)

    def visible_q(self, user, action: str) -> Q | None:
        from linli.wishes.models import Wish

        own = Q(claimer__user=user) if action == "view" else None
        staff = None
        if user.has_role_perm("wish.manage"):
            staff = Q(wish_id__in=Wish.objects.restrict(user, "manage").values("pk"))
        return either(own, staff)


class ClaimerQuerySet(_CommunityRowQuerySet):
    """The claimer registry is kept by community staff (wish.manage); a user sees their own entries."""

    perm_subject = "wish"

    def restrict(self, user, action: str = "manage"):
        return super().restrict(user, action)

    def visible_q(self, user, action: str) -> Q | None:
        return either(self.area_q(user, "manage"), Q(user=user) if action == "view" else None)


class WishEventQuerySet(ScopedQuerySet):
    perm_subject = "wish"


class DonationQuerySet(_CommunityRowQuerySet):
    """爱心衣物 stock and its movements, by community."""

    perm_subject = "donation"
