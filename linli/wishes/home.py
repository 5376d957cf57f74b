"""What the home page shows of micro-wishes: a claimer's wishes to deliver and how many wait for a
claimer; for staff, wishes waiting for a claimer and claimed wishes not yet confirmed."""

from __future__ import annotations

from django.db.models import Count, Q

from linli.wishes.choices import WishStatus
from linli.wishes.models import Wish, WishClaim


def home_context(user) -> dict:
    ctx: dict = {}
    if user.has_role_perm("wish.claim"):
        ctx["my_claims"] = list(
            WishClaim.objects.live()
            .filter(claimer__user=user, fulfilled=False, wish__status=WishStatus.CLAIMED)
            .select_related("wish")
            .order_by("claimed_at")[:5]
        )
    if user.has_role_perm("wish.view"):
        ctx["wish_counts"] = Wish.objects.restrict(user).aggregate(
            open=Count("id", filter=Q(status=WishStatus.OPEN)),
            claimed=Count("id", filter=Q(status=WishStatus.CLAIMED)),
        )
    return ctx
