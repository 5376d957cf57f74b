"""What the home page shows of the love bank: a resident's balance; for staff, what waits for them
(good deeds to approve, redemptions to hand out). Blocks: shell.py."""

from __future__ import annotations

from linli.lovebank.choices import DeedStatus, RedemptionStatus
from linli.lovebank.models import Account, Deed, Redemption


def my_points(user) -> dict:
    account = Account.objects.filter(resident_id=user.resident_id).only("balance").first()
    return {"my_points": account.balance if account else 0}


def my_points_tile(user) -> dict:
    """我的爱心积分: the balance on the button; the page lists what points buy."""
    from django.urls import reverse

    points = my_points(user)["my_points"]
    return {"url": reverse("lovebank:my_account"), "note": f"现有{points}分，看看能换什么"}


def pending(user) -> dict:
    return {
        "deeds_pending": Deed.objects.restrict(user).filter(status=DeedStatus.PENDING).count(),
        "redemptions_pending": Redemption.objects.restrict(user).filter(status=RedemptionStatus.PENDING).count(),
        "can_approve": user.has_role_perm("lovebank.approve"),
    }
