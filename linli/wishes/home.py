"""What the home page shows of micro-wishes: a claimer's wishes to deliver and how many wait for a
claimer; for staff, wishes waiting for a claimer and claimed wishes not yet confirmed. Blocks: shell.py."""

from __future__ import annotations

from django.db.models import Count, Q

from linli.wishes.choices import WishStatus
from linli.wishes.models import Wish, WishClaim


def my_claims(user) -> dict | None:
    claims = list(
        WishClaim.objects.live()
        .filter(claimer__user=user, fulfilled=False, wish__status=WishStatus.CLAIMED)
        .select_related("wish")
        .order_by("claimed_at")[:5]
    )
    return {"my_claims": claims} if claims else None


def wish_counts(user) -> dict:
    counts = Wish.objects.restrict(user).aggregate(
        open=Count("id", filter=Q(status=WishStatus.OPEN)),
        claimed=Count("id", filter=Q(status=WishStatus.CLAIMED)),
    )
    return {"wish_counts": counts}


def open_wishes(user) -> dict | None:
    """For a claimer: how many wishes wait (nothing when none does)."""
    counts = wish_counts(user)
    return counts if counts["wish_counts"]["open"] else None
