"""Every change to wishes, claims, claimers and donation stock.

Each service is atomic, locks the row it changes (select_for_update), re-checks the acting user's scope
inside the transaction and appends a WishEvent. Views, the demo and tests call these and nothing else.

Claims: one live claim per wish, twice over: the wish row is locked before its status is read (the second
of two simultaneous claimers waits, then finds it claimed), and the partial unique constraint
`wishclaim_one_live_per_wish` refuses a second live claim whatever path wrote it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from linli.areas.models import Community
from linli.areas.scope import communities_for, require_community
from linli.attachments.services import attach_photos, prepare_photos
from linli.core.anonymise import anonymise, plain
from linli.core.audit import Actor
from linli.core.phone import PhoneError, normalize_phone
from linli.core.services import check_scope, save_audited
from linli.wishes import notify
from linli.wishes.choices import LIVE_STATUSES, Direction, DonationKind, WishEventAction, WishStatus
from linli.wishes.models import Claimer, DonationMove, DonationStock, Wish, WishClaim, WishEvent

ALREADY_CLAIMED = "手慢了一步：这个心愿刚刚已被其他人认领，请看看其他心愿。"
NOT_OPEN = "这个心愿{status}，不能认领。"
NOT_A_CLAIMER = "您还没有登记为{community}的心愿认领人，请联系社区工作人员登记。"
CLAIMER_ELSEWHERE = "{claimer}是{community}的认领人，只能认领本社区的心愿。"
CLAIMER_INACTIVE = "{claimer}已停用，不能认领心愿。"
CHOOSE_CLAIMER = "请选择认领人。"
RELEASE_NOT_YOURS = "只有认领人本人或社区工作人员可以取消认领。"
NOT_CLAIMED = "这个心愿现在没有人认领。"
REASON_REQUIRED = "请填写原因。"
PHOTO_REQUIRED = "确认实现需要上传至少一张照片。"
NOT_FULFILLED = "心愿实现之后才能记录感谢。"
FINISHED = "这个心愿{status}，不能再修改。"
PUBLIC_WORDING = "公开的内容里不能出现姓名、电话或门牌号，可以改成：“{suggestion}”。"
NOT_ENOUGH = "{kind}现有{have}件，不能领取{want}件。"


def _now():
    return timezone.now()


def _event(wish: Wish, actor: Actor, action: str, note: str = "", claimer: Claimer | None = None) -> WishEvent:
    return WishEvent.objects.create(
        wish=wish, actor=actor.account, actor_label=actor.label[:64], action=action, claimer=claimer, note=note[:500]
    )


def _locked(wish: Wish) -> Wish:
    # of=self: the community row is read, not locked (claims in one community must not queue behind each other).
    return Wish.objects.select_for_update(of=("self",)).select_related("community").get(pk=wish.pk)


def _check_community(community: Community, actor: Actor, perm: str) -> None:
    require_community(actor, perm, community.pk)


def manageable_communities(user, perm: str = "wish.manage"):
    """Communities where `user` may record wishes (or, with perm="donation.manage", donations)."""
    return communities_for(user, perm).order_by("street_id", "name")


# --------------------------------------------------------------------------- privacy


def public_text(text: str, names) -> str:
    """The wording as a public page may show it: the anonymiser always runs, even on checked text."""
    return anonymise(text, names)


def check_public_wording(wish: Wish) -> None:
    """Refuse a title or description that names, locates or gives a phone number for anyone."""
    names = wish.private_names()
    errors = {}
    for field in ("title", "description"):
        text = getattr(wish, field) or ""
        cleaned = anonymise(text, names)
        if cleaned != plain(text):
            errors[field] = PUBLIC_WORDING.format(suggestion=cleaned)
    if errors:
        raise ValidationError(errors)


def live_claim(wish: Wish) -> WishClaim | None:
    return WishClaim.objects.live().filter(wish=wish).select_related("claimer").first()


def can_manage(user, wish: Wish) -> bool:
    return bool(user.is_superuser or user.has_role_perm("wish.manage")) and (
        Wish.objects.restrict(user, "manage").filter(pk=wish.pk).exists()
    )


def can_see_private(user, wish: Wish, claim: WishClaim | None = None) -> bool:
    """Staff of the wish's community, and the claimer holding its live claim (only after claiming)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if can_manage(user, wish):
        return True
    claim = claim if claim is not None else live_claim(wish)
    return claim is not None and claim.claimer.user_id == user.pk


# --------------------------------------------------------------------------- wishes

WISH_FIELDS = (
    "title",
    "description",
    "category",
    "target_date",
    "resident",
    "beneficiary_name",
    "address",
    "contact_phone",
    "delivery_notes",
)


def _apply(wish: Wish, fields: dict) -> None:
    for name, value in fields.items():
        if name not in WISH_FIELDS:
            raise TypeError(f"unknown wish field {name}")
        if isinstance(value, str):
            value = value.strip()
        setattr(wish, name, value)
    if wish.contact_phone:
        try:
            wish.contact_phone = normalize_phone(wish.contact_phone)
        except PhoneError as exc:
            raise ValidationError({"contact_phone": str(exc)})
    if wish.resident_id and not wish.beneficiary_name:
        wish.beneficiary_name = wish.resident.name
    check_public_wording(wish)
    wish.full_clean(exclude=["street", "created_by"])


@transaction.atomic
def create_wish(*, actor: Actor, community: Community, **fields) -> Wish:
    """Record a wish for a resident in need (staff of the community)."""
    _check_community(community, actor, "wish.manage")
    wish = Wish(community=community, created_by=actor.account)
    _apply(wish, fields)
    wish.save()
    _event(wish, actor, WishEventAction.CREATED)
    return wish


@transaction.atomic
def update_wish(wish: Wish, *, actor: Actor, **fields) -> Wish:
    wish = _locked(wish)
    check_scope(Wish.objects.all(), wish, actor, "manage")
    if wish.status not in LIVE_STATUSES:
        raise ValidationError(FINISHED.format(status=wish.get_status_display()))
    _apply(wish, fields)
    wish.save()
    _event(wish, actor, WishEventAction.EDITED)
    return wish


def _claimer_for(wish: Wish, actor: Actor, claimer: Claimer | None) -> Claimer:
    """Whom the claim is for: staff (or a command) name the claimer; a volunteer claims as themself."""
    user = actor.user
    if user is None:
        if claimer is None:
            raise ValidationError(CHOOSE_CLAIMER)
        return claimer
    if can_manage(user, wish):
        own = claimer or Claimer.objects.filter(user=user, community_id=wish.community_id).first()
        if own is None:
            raise ValidationError(CHOOSE_CLAIMER)
        return own
    if not (user.is_superuser or user.has_role_perm("wish.claim")) or (
        claimer is not None and claimer.user_id != user.pk
    ):
        raise PermissionDenied("您的角色没有这项权限。")
    if not Wish.objects.restrict(user, "claim").filter(pk=wish.pk).exists():
        raise Http404("找不到这个心愿。")
    own = Claimer.objects.filter(user=user, community_id=wish.community_id).first()
    if own is None:
        raise ValidationError(NOT_A_CLAIMER.format(community=wish.community.name))
    return own


@transaction.atomic
def claim_wish(wish: Wish, *, actor: Actor, claimer: Claimer | None = None, note: str = "") -> WishClaim:
    """Claim an open wish; of two claimers at the same moment one wins, the other gets ALREADY_CLAIMED."""
    wish = _locked(wish)
    claimer = _claimer_for(wish, actor, claimer)
    if wish.status == WishStatus.CLAIMED:
        raise ValidationError(ALREADY_CLAIMED)
    if wish.status != WishStatus.OPEN:
        raise ValidationError(NOT_OPEN.format(status=wish.get_status_display()))
    if claimer.community_id != wish.community_id:
        raise ValidationError(CLAIMER_ELSEWHERE.format(claimer=claimer, community=claimer.community.name))
    if not claimer.is_active:
        raise ValidationError(CLAIMER_INACTIVE.format(claimer=claimer))
    now = _now()
    try:
        with transaction.atomic():
            claim = WishClaim.objects.create(wish=wish, claimer=claimer, claimed_at=now, claimed_by=actor.account)
    except IntegrityError:
        raise ValidationError(ALREADY_CLAIMED)
    wish.status = WishStatus.CLAIMED
    wish.claimed_at = now
    wish.save(update_fields=["status", "claimed_at", "updated_at"])
    _event(wish, actor, WishEventAction.CLAIMED, note, claimer)
    notify.claim_recorded(wish, claim, actor_user=actor.account)
    return claim


def _release(wish: Wish, claim: WishClaim, actor: Actor, reason: str) -> None:
    claim.released_at = _now()
    claim.released_by = actor.account
    claim.release_reason = reason[:200]
    claim.save(update_fields=["released_at", "released_by", "release_reason"])
    _event(wish, actor, WishEventAction.RELEASED, reason, claim.claimer)


@transaction.atomic
def release_claim(wish: Wish, *, actor: Actor, reason: str) -> Wish:
    """The claimer (or staff) gives the wish back; it returns to the list as 待认领."""
    wish = _locked(wish)
    claim = live_claim(wish)
    user = actor.user
    if user is not None and not can_manage(user, wish):
        if claim is None or claim.claimer.user_id != user.pk:
            if not Wish.objects.restrict(user).filter(pk=wish.pk).exists():
                raise Http404("找不到这个心愿。")
            if claim is not None:
                raise PermissionDenied(RELEASE_NOT_YOURS)
    if wish.status != WishStatus.CLAIMED or claim is None:
        raise ValidationError(NOT_CLAIMED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    _release(wish, claim, actor, reason)
    wish.status = WishStatus.OPEN
    wish.claimed_at = None
    wish.save(update_fields=["status", "claimed_at", "updated_at"])
    by_claimer = user is not None and claim.claimer.user_id == user.pk
    notify.claim_released(wish, claim, actor_user=actor.account, by_staff=not by_claimer, reason=reason)
    return wish


@transaction.atomic
def confirm_fulfilment(wish: Wish, *, actor: Actor, photos, note: str = "") -> Wish:
    """Staff confirm the wish came true, with at least one photo (stored on the claim: staff and claimer see it)."""
    prepared = prepare_photos(photos)  # checks and re-encodes before any write
    wish = _locked(wish)
    check_scope(Wish.objects.all(), wish, actor, "manage")
    claim = live_claim(wish)
    if wish.status != WishStatus.CLAIMED or claim is None:
        raise ValidationError(NOT_CLAIMED)
    if not len(prepared):
        raise ValidationError({"photos": PHOTO_REQUIRED})
    wish.status = WishStatus.FULFILLED
    wish.fulfilled_at = _now()
    wish.fulfilment_note = (note or "").strip()
    wish.save(update_fields=["status", "fulfilled_at", "fulfilment_note", "updated_at"])
    claim.fulfilled = True
    claim.save(update_fields=["fulfilled"])
    _event(wish, actor, WishEventAction.FULFILLED, wish.fulfilment_note, claim.claimer)
    attach_photos(claim, prepared, actor=actor, caption="心愿实现")
    notify.wish_fulfilled(wish, claim)
    return wish


@transaction.atomic
def record_thanks(wish: Wish, *, actor: Actor, text: str) -> Wish:
    """The wisher's thanks, in their words, as staff heard them."""
    wish = _locked(wish)
    check_scope(Wish.objects.all(), wish, actor, "manage")
    if wish.status != WishStatus.FULFILLED:
        raise ValidationError(NOT_FULFILLED)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写感谢的话。"})
    wish.thanks = text
    wish.thanks_at = _now()
    wish.save(update_fields=["thanks", "thanks_at", "updated_at"])
    _event(wish, actor, WishEventAction.THANKED)
    notify.thanks_recorded(wish, WishClaim.objects.filter(wish=wish, fulfilled=True).select_related("claimer").first())
    return wish


@transaction.atomic
def cancel_wish(wish: Wish, *, actor: Actor, reason: str) -> Wish:
    """Withdraw a wish that is no longer needed; a live claim is released with the same reason."""
    wish = _locked(wish)
    check_scope(Wish.objects.all(), wish, actor, "manage")
    if wish.status not in LIVE_STATUSES:
        raise ValidationError(FINISHED.format(status=wish.get_status_display()))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    claim = live_claim(wish)
    if claim is not None:
        _release(wish, claim, actor, f"心愿撤销：{reason}")
        notify.claim_released(wish, claim, actor_user=actor.account, by_staff=True, reason=f"心愿已撤销，{reason}")
    wish.status = WishStatus.CANCELLED
    wish.cancel_reason = reason[:200]
    wish.save(update_fields=["status", "cancel_reason", "updated_at"])
    _event(wish, actor, WishEventAction.CANCELLED, reason)
    return wish


# --------------------------------------------------------------------------- claimers


@transaction.atomic
def save_claimer(claimer: Claimer, *, actor: Actor) -> Claimer:
    """Register or update a party member or organisation as a claimer of the community."""
    if claimer.pk is not None:
        check_scope(Claimer.objects.all(), claimer, actor, "manage")
    _check_community(claimer.community, actor, "wish.manage")
    if claimer.phone:
        try:
            claimer.phone = normalize_phone(claimer.phone)
        except PhoneError as exc:
            raise ValidationError({"phone": str(exc)})
    claimer.street_id = claimer.community.street_id
    return save_audited(claimer, actor, exclude_clean=["street"])


# --------------------------------------------------------------------------- donations


def _locked_stock(community: Community, kind: str) -> DonationStock:
    """The (community, kind) stock row, created on first use, locked for the rest of the transaction."""
    rows = DonationStock.objects.select_for_update()
    stock = rows.filter(community=community, kind=kind).first()
    if stock is None:
        try:
            with transaction.atomic():
                DonationStock.objects.create(community=community, kind=kind)
        except IntegrityError:
            pass  # another clerk created it a moment ago
        stock = rows.get(community=community, kind=kind)
    return stock


@transaction.atomic
def record_donation(
    community: Community,
    *,
    actor: Actor,
    kind: str,
    direction: str,
    quantity: int,
    donor_name: str = "",
    moved_on: datetime.date | None = None,
    note: str = "",
) -> DonationMove:
    """Log goods given to (捐入) or taken from (领取) the community's 爱心衣物 rack; a take never exceeds stock."""
    _check_community(community, actor, "donation.manage")
    if kind not in DonationKind.values:
        raise ValidationError({"kind": "请选择物品类别。"})
    if direction not in Direction.values:
        raise ValidationError({"direction": "请选择捐入或领取。"})
    if not isinstance(quantity, int) or quantity <= 0:
        raise ValidationError({"quantity": "数量必须是大于0的整数。"})
    stock = _locked_stock(community, kind)
    if direction == Direction.OUT:
        if quantity > stock.quantity:
            raise ValidationError(
                {"quantity": NOT_ENOUGH.format(kind=DonationKind(kind).label, have=stock.quantity, want=quantity)}
            )
        stock.quantity -= quantity
        stock.total_out += quantity
    else:
        stock.quantity += quantity
        stock.total_in += quantity
    stock.save(update_fields=["quantity", "total_in", "total_out"])
    return DonationMove.objects.create(
        stock=stock,
        community=community,
        street_id=community.street_id,
        direction=direction,
        quantity=quantity,
        balance_after=stock.quantity,
        donor_name=(donor_name or "").strip()[:100] if direction == Direction.IN else "",
        moved_on=moved_on or timezone.localdate(),
        note=(note or "").strip()[:200],
        recorded_by=actor.account,
    )
