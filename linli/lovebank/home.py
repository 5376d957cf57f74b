"""What the home page shows of the love bank: a resident's balance; for staff, what waits for them
(good deeds to approve, redemptions to hand out)."""

from __future__ import annotations

from linli.lovebank.choices import DeedStatus, RedemptionStatus
from linli.lovebank.models import Account, Deed, Redemption


def home_context(user) -> dict:
    ctx: dict = {}
    if user.has_role_perm("lovebank.view_self") and user.resident_id:
        account = Account.objects.filter(resident_id=user.resident_id).only("balance").first()
        ctx["my_points"] = account.balance if account else 0
    if user.has_role_perm("lovebank.view"):
        ctx["deeds_pending"] = Deed.objects.restrict(user).filter(status=DeedStatus.PENDING).count()
        ctx["redemptions_pending"] = Redemption.objects.restrict(user).filter(status=RedemptionStatus.PENDING).count()
        ctx["can_approve"] = user.has_role_perm("lovebank.approve")
    return ctx
