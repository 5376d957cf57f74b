"""Who hears about a wish's claim (站内消息), and the daily sweep of claims that have waited too long.

- staff release a claim (or withdraw the wish): the claimer's account is told, with the reason;
- a claimer gives their claim back: the community's wish managers (its secretaries and staff) are told;
- staff record a claim for a claimer with an account: that account is told where to find the details;
- staff confirm fulfilment, or record the wisher's thanks: the claimer is thanked;
- a claim live for more than LINLI_WISH_CLAIM_REMIND_DAYS days without fulfilment: the claimer is reminded
  once, and the managers get one message per community per sweep listing the claims.
Publishing a wish tells nobody (it would be a message to every claimer for every wish).

A message carries only what its reader may still see. The wish's title and staff's reasons pass through the
anonymiser with the wisher's names, and nothing from the private part (name, address, phone, delivery notes)
is ever put in a message: a released claimer has lost the private part, and an inbox outlives a claim.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from linli.accounts.choices import Role
from linli.accounts.directory import users_assigned
from linli.accounts.roles import ROLE_PERMISSIONS
from linli.notifications.choices import Kind
from linli.notifications.services import notify
from linli.wishes.choices import WishEventAction, WishStatus
from linli.wishes.models import Wish, WishClaim, WishEvent

#: Community-level roles that manage wishes (the street office is not told about each claim).
MANAGER_ROLES = tuple(r for r, perms in ROLE_PERMISSIONS.items() if "wish.manage" in perms and r != Role.STREET_ADMIN)


def remind_days() -> int:
    return int(getattr(settings, "LINLI_WISH_CLAIM_REMIND_DAYS", 14))


def managers_of(community_id: int) -> list:
    """The wish managers of a community: its secretaries and staff, assigned to the community itself."""
    return users_assigned(role=MANAGER_ROLES, community_ids=[community_id])


def _public(wish: Wish, text: str) -> str:
    from linli.wishes.services import public_text

    return public_text(text, wish.private_names())


def _clause(text: str) -> str:
    """A reason as a clause inside our own sentence (no doubled full stop)."""
    return (text or "").strip().rstrip("。.！!；;，,")


def _url(wish: Wish) -> str:
    return reverse("wishes:wish_detail", args=[wish.pk])


def _claimer_user(claim: WishClaim, actor_user=None) -> list:
    """The claimer's account, unless the claimer did it themself."""
    user = claim.claimer.user if claim.claimer.user_id else None
    if user is None or (actor_user is not None and user.pk == actor_user.pk):
        return []
    return [user]


def claim_released(wish: Wish, claim: WishClaim, *, actor_user, by_staff: bool, reason: str) -> int:
    """Tell the other side: staff released it -> the claimer; the claimer released it -> the managers."""
    title = _public(wish, wish.title)
    if by_staff:
        return notify(
            _claimer_user(claim, actor_user),
            kind=Kind.SYSTEM,
            title=f"心愿认领已取消：{title}",
            body=f"社区工作人员取消了您对这个心愿的认领。原因：{_clause(_public(wish, reason))}。"
            "感谢您的热心，欢迎认领其他心愿。",
            url=reverse("wishes:wish_list"),
            key=f"wish-released:{claim.pk}",
        )
    return notify(
        managers_of(wish.community_id),
        kind=Kind.SYSTEM,
        title=f"认领人取消了认领：{title}",
        body=f"{claim.claimer.name}取消了认领，原因：{_clause(reason)}。心愿已回到待认领列表，可以另找认领人。",
        url=_url(wish),
        key=f"wish-released:{claim.pk}",
    )


def claim_recorded(wish: Wish, claim: WishClaim, *, actor_user) -> int:
    """Staff recorded a claim for a claimer who has an account: tell them the wish is theirs now."""
    return notify(
        _claimer_user(claim, actor_user),
        kind=Kind.SYSTEM,
        title=f"社区为您登记了认领：{_public(wish, wish.title)}",
        body="送达需要的信息（心愿人、地址、电话）请打开心愿页面查看。",
        url=_url(wish),
        key=f"wish-claimed:{claim.pk}",
    )


def wish_fulfilled(wish: Wish, claim: WishClaim) -> int:
    return notify(
        _claimer_user(claim),
        kind=Kind.SYSTEM,
        title=f"心愿已实现：{_public(wish, wish.title)}",
        body="社区已确认这个心愿实现了。谢谢您的帮助！",
        url=_url(wish),
        key=f"wish-fulfilled:{claim.pk}",
    )


def thanks_recorded(wish: Wish, claim: WishClaim | None) -> int:
    """The wisher's words go to the claimer, who delivered the wish and still sees its private part."""
    if claim is None:
        return 0
    return notify(
        _claimer_user(claim),
        kind=Kind.SYSTEM,
        title=f"心愿人向您道谢：{_public(wish, wish.title)}",
        body=wish.thanks,
        url=_url(wish),
        key=f"wish-thanks:{claim.pk}:{wish.thanks_at:%Y%m%d%H%M%S}",
    )


# --------------------------------------------------------------------------- daily sweep


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def remind_overdue_claims(today: datetime.date | None = None, days: int | None = None) -> tuple[int, int]:
    """Remind each claimer once about a claim live for more than `days` days, and tell the managers.

    Returns (claims reminded, messages sent). A claim counts as overdue from the (days+1)-th calendar day after
    it was made, so every run on one day sees the same claims; a claim is marked (reminded_at) and gets a
    WishEvent in the same transaction as its messages, so a second run the same day (or any later day) finds
    nothing to do, and two sweeps at once remind once (the claims are locked).
    """
    today = today or timezone.localdate()
    days = remind_days() if days is None else days
    cutoff = _start_of(today - datetime.timedelta(days=days))
    now = timezone.now()
    sent = 0
    with transaction.atomic():
        claims = list(
            WishClaim.objects.live()
            .select_for_update(of=("self",), skip_locked=True)
            .filter(
                fulfilled=False,
                reminded_at__isnull=True,
                claimed_at__lt=cutoff,
                wish__status=WishStatus.CLAIMED,
            )
            .select_related("wish", "wish__resident", "claimer", "claimer__user")
            .order_by("claimed_at", "id")
        )
        per_community: dict[int, list[WishClaim]] = defaultdict(list)
        for claim in claims:
            wish = claim.wish
            waited = (today - timezone.localdate(claim.claimed_at)).days
            claim.reminded_at = now
            claim.save(update_fields=["reminded_at"])
            WishEvent.objects.create(
                wish=wish,
                actor_label="每日巡查",
                action=WishEventAction.REMINDED,
                claimer=claim.claimer,
                note=f"认领已{waited}天，尚未实现",
            )
            per_community[wish.community_id].append(claim)
            sent += notify(
                _claimer_user(claim),
                kind=Kind.SYSTEM,
                title=f"心愿提醒：{_public(wish, wish.title)}",
                body=f"您认领这个心愿已经{waited}天了。已经送到的，请告诉社区工作人员确认实现；"
                "一时来不及的，可以在心愿页面取消认领，让其他人来帮忙。",
                url=_url(wish),
                key=f"wish-remind:{claim.pk}",
            )
        for community_id, mine in per_community.items():
            lines = "；".join(f"{_public(c.wish, c.wish.title)}（{c.claimer.name}）" for c in mine[:20])
            more = f"等{len(mine)}个" if len(mine) > 20 else ""
            sent += notify(
                managers_of(community_id),
                kind=Kind.SYSTEM,
                title=f"心愿认领超期：{len(mine)}个心愿认领超过{days}天还未实现",
                body=f"{lines}{more}。请联系认领人了解进展，需要时取消认领，另找认领人。",
                url=reverse("wishes:wish_list") + "?status=claimed",
                # Each claim is in exactly one sweep's batch (reminded_at, row locks): the batch's first claim
                # names it, so two sweeps splitting a day's claims both get through and a rerun sends nothing.
                key=f"wish-overdue:{community_id}:{mine[0].pk}",
            )
    return len(claims), sent
