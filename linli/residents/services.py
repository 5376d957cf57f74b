"""State changes of the resident registry: create, update, mark moved out/deceased, delete, tag, reveal.

All of them validate first (Chinese messages keyed by form field), re-check the acting
user's scope inside the transaction, and append a ChangeRecord.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from linli.areas.models import Household
from linli.areas.querysets import home_sort_key
from linli.core import audit, crypto
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.phone import PhoneError, last4, normalize_phone
from linli.core.querysets import require_perm
from linli.core.services import check_scope, delete_audited, full_clean, save_audited
from linli.residents.care import recount_care_members
from linli.residents.choices import CARE_TAGS, ResidentStatus, RevealField
from linli.residents.idcard import IdNumberError, parse_id_number
from linli.residents.models import Resident, RevealRecord, Tag
from linli.residents.search import name_keys
from linli.visits.services import first_due_dates, recompute_due_dates

EDITABLE_FIELDS = ("name", "relation", "residence_type", "status", "hukou_place", "note")


def apply_id_number(resident: Resident, raw: str) -> None:
    """Set the encrypted ID and everything derived from it; '' clears it."""
    raw = (raw or "").strip()
    if not raw:
        resident.id_cipher, resident.id_hash, resident.id_masked, resident.id_last4 = None, "", "", ""
        return
    try:
        card = parse_id_number(raw)
    except IdNumberError as exc:
        raise ValidationError({"id_number": str(exc)}) from exc
    resident.id_cipher = crypto.encrypt_text(card.number)
    resident.id_hash = crypto.blind_index(card.number)
    resident.id_masked = card.masked
    resident.id_last4 = card.number[-4:]
    resident.birth_date = card.birth_date
    resident.sex = card.sex


def apply_phone(resident: Resident, raw: str) -> None:
    try:
        resident.phone = normalize_phone(raw or "")
    except PhoneError as exc:
        raise ValidationError({"phone": str(exc)}) from exc
    resident.phone_last4 = last4(resident.phone)


def place(resident: Resident, household: Household) -> None:
    """Copy the household's position in the tree onto the resident (denormalised for scope)."""
    building = household.building
    resident.household = household
    resident.building_id = building.pk
    resident.grid_id = building.grid_id
    resident.community_id = building.community_id
    resident.street_id = building.community.street_id
    resident.sort_key = home_sort_key(building.number, household.entrance, household.floor, household.room)


def _check_duplicate_id(resident: Resident) -> None:
    if not resident.id_hash:
        return
    clash = Resident.objects.filter(community_id=resident.community_id, id_hash=resident.id_hash)
    if resident.pk:
        clash = clash.exclude(pk=resident.pk)
    if clash.exists():
        raise ValidationError({"id_number": DUPLICATE_ID_MESSAGE})


def _validate(resident: Resident) -> None:
    resident.name = (resident.name or "").strip()
    if not resident.name:
        raise ValidationError({"name": "请填写姓名。"})
    resident.name_pinyin, resident.name_initials = name_keys(resident.name)
    _check_duplicate_id(resident)
    full_clean(resident, exclude=["street", "community", "grid", "building", "id_cipher"])


DUPLICATE_ID_MESSAGE = "本社区已有居民登记了这个身份证号码，请勿重复登记。"


def _save(resident: Resident) -> None:
    """Save; two clerks registering the same ID at the same moment both pass the pre-check,
    and the unique constraint decides: the loser gets the same message, not a server error."""
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as exc:
        if "resident_unique_id_in_community" in str(exc) or "id_hash" in str(exc):
            raise ValidationError({"id_number": DUPLICATE_ID_MESSAGE}) from exc
        raise


def _check_household(household: Household, actor: Actor, action: str) -> None:
    """The acting user's role may `action` residents and the target household is in scope."""
    if actor.user is None:
        return
    require_perm(actor.user, f"resident.{action}")
    check_scope(Household.objects.all(), household, actor, "view")


@transaction.atomic
def create_resident(
    *,
    actor: Actor,
    household: Household,
    name: str,
    id_number: str = "",
    phone: str = "",
    tags: Iterable[Tag] = (),
    **fields,
) -> Resident:
    _check_household(household, actor, "add")
    resident = Resident(name=name, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    place(resident, household)
    apply_id_number(resident, id_number)
    apply_phone(resident, phone)
    _validate(resident)
    tags = list(tags)
    check_tags_fit(resident, tags)
    # A new resident has no visits: the due date follows from the tags alone (what recompute_due_dates would write).
    for key, value in first_due_dates(tags).items():
        setattr(resident, key, value)
    _save(resident)
    resident.tags.set(tags)
    if resident.status == ResidentStatus.ACTIVE and any(t.code in CARE_TAGS for t in tags):
        recount_care_members([household.pk])
    audit.record(resident, ChangeAction.CREATE, None, audit.snapshot(resident), actor)
    return resident


_UNSET = object()


@transaction.atomic
def update_resident(
    resident: Resident,
    *,
    actor: Actor,
    household: Household | None = None,
    id_number=_UNSET,
    phone=_UNSET,
    tags: Iterable[Tag] | None = None,
    **fields,
) -> Resident:
    """Change the given fields only; omitted ones stay as they are."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if actor.user is not None:
        check_scope(Resident.objects.all(), resident, actor, "change")
    before = audit.snapshot(resident)
    old_household_id = resident.household_id
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS:
            raise TypeError(f"{key} is not an editable resident field")
        setattr(resident, key, value)
    if resident.status == ResidentStatus.ACTIVE:
        resident.left_on = None  # back in the registry (a 迁出 marked by mistake, or moved back)
    if household is not None and household.pk != resident.household_id:
        _check_household(household, actor, "change")
        place(resident, household)
    if id_number is not _UNSET:
        apply_id_number(resident, id_number)
    if phone is not _UNSET:
        apply_phone(resident, phone)
    _validate(resident)
    if tags is not None:
        tags = list(tags)
        check_tags_fit(resident, tags)
    _save(resident)
    if tags is not None:
        resident.tags.set(tags)
        recompute_due_dates([resident.pk])
    recount_care_members([old_household_id, resident.household_id])
    audit.record(resident, ChangeAction.UPDATE, before, audit.snapshot(resident), actor)
    return resident


LEFT_STATUSES = (ResidentStatus.MOVED_OUT, ResidentStatus.DECEASED)


@transaction.atomic
def mark_resident_left(
    resident: Resident, *, status: str, date: datetime.date, note: str = "", actor: Actor, today=None
) -> Resident:
    """The normal end of a registry entry: the resident moved out (迁出) or died (死亡).

    The row stays, with its visits, appeals and audit trail; it leaves the active lists and the
    visit worklists, which read active residents only (its care-group tags stay, for the record).
    Deletion is for entries made in error (delete_resident, administrators only).
    """
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if actor.user is not None:
        check_scope(Resident.objects.all(), resident, actor, "change")
    errors = {}
    if status not in LEFT_STATUSES:
        errors["status"] = "请选择“已迁出”或“已故”。"
    today = today or timezone.localdate()
    if not isinstance(date, datetime.date):
        errors["date"] = "请填写日期。"
    elif date > today:
        errors["date"] = "日期不能晚于今天。"
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = "说明请不要超过200字。"
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(resident)
    resident.status = status
    resident.left_on = date
    resident.save(update_fields=["status", "left_on", "updated_at"])
    recount_care_members([resident.household_id])
    label = ResidentStatus(status).label
    audit.record(
        resident, ChangeAction.UPDATE, before, audit.snapshot(resident), actor, note=f"标记为{label}：{note}"[:200]
    )
    return resident


@transaction.atomic
def delete_resident(resident: Resident, *, actor: Actor, reason: str = "") -> None:
    """Remove an entry made in error (a duplicate, a test record). Administrators only (resident.delete).

    What describes the resident elsewhere keeps its masked label and id (RevealRecord, ChangeRecord);
    the reason is written on the change record. People who moved out or died are marked, not deleted
    (mark_resident_left).
    """
    reason = (reason or "").strip()
    if actor.user is not None:
        check_scope(Resident.objects.all(), resident, actor, "delete")
        if not reason:
            raise ValidationError({"reason": "请填写删除原因。"})
    household_id = resident.household_id
    delete_audited(resident, actor, note=f"删除原因：{reason}" if reason else "")
    recount_care_members([household_id])


REVEAL_WINDOW = datetime.timedelta(hours=1)


class RevealLimitReached(Exception):
    """Too many full ID numbers shown to one user within the hour: refused, nothing shown or recorded."""

    def __init__(self, limit: int):
        super().__init__(
            f"您在一小时内查看完整身份证号码已达{limit}次上限，本次未显示。"
            "如确因工作需要批量核对，请联系社区书记或使用台账导出（会留导出记录）。"
        )


def reveals_in_window(user, now: datetime.datetime) -> int:
    """Full ID numbers `user` was shown in the hour up to `now`, counted from the durable RevealRecord rows
    (the same answer on every worker, and nothing to lose on a restart)."""
    return RevealRecord.objects.filter(user=user, field=RevealField.ID_NUMBER, at__gt=now - REVEAL_WINDOW).count()


def reveal_id_number(resident: Resident, *, user, ip: str | None = None, reason: str = "") -> str:
    """The full ID number, for a role allowed to see it; the reveal is recorded.

    At most LINLI_REVEAL_LIMIT_PER_HOUR per user per rolling hour (RevealLimitReached past it, nothing
    shown); from LINLI_REVEAL_ALERT_PER_HOUR on, the secretaries and street administrators over the
    residents revealed are told, once per user per clock hour (`alert_many_reveals`).
    """
    limit = settings.LINLI_REVEAL_LIMIT_PER_HOUR
    with transaction.atomic():
        check_scope(Resident.objects.all(), resident, Actor(user=user), "reveal_id")
        # One user's reveals take turns (a lock on the account row), so that two requests at once cannot
        # both take the last reveal of the hour.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        now = timezone.now()
        count = reveals_in_window(user, now)
        allowed = count < limit
        if allowed:
            RevealRecord.objects.create(
                user=user, resident=resident, field=RevealField.ID_NUMBER, ip=ip, reason=reason[:100]
            )
            count += 1
    if count >= settings.LINLI_REVEAL_ALERT_PER_HOUR:
        alert_many_reveals(user, count=count, now=now)
    if not allowed:
        raise RevealLimitReached(limit)
    return resident.reveal_id_number()


def alert_many_reveals(user, *, count: int, now: datetime.datetime) -> int:
    """Tell the secretaries of the communities whose residents `user` revealed in the last hour, and the
    administrators of their streets, that `user` is revealing many ID numbers. Once per user per clock hour
    (the notification key); the user is not told about themself. Returns how many were told."""
    from linli.accounts.choices import Role
    from linli.accounts.directory import secretaries_of, users_assigned
    from linli.areas.models import Community
    from linli.notifications.choices import Kind
    from linli.notifications.services import notify

    community_ids = set(
        RevealRecord.objects.filter(user=user, field=RevealField.ID_NUMBER, at__gt=now - REVEAL_WINDOW)
        .values_list("community_id", flat=True)  # stored on the record: still there when the resident is deleted
        .distinct()
    )
    street_ids = set(Community.objects.filter(pk__in=community_ids).values_list("street_id", flat=True))
    recipients = [
        u
        for u in [*secretaries_of(community_ids), *users_assigned(role=Role.STREET_ADMIN, street_ids=street_ids)]
        if u.pk != user.pk
    ]
    who = f"{user.full_name or user.username}（{user.get_role_display()}，账号 {user.username}）"
    return notify(
        recipients,
        kind=Kind.REVEAL_ALERT,
        title=f"{who}一小时内查看了{count}个完整身份证号码",
        body=(
            f"{who}在过去一小时内查看完整身份证号码{count}次（提醒线{settings.LINLI_REVEAL_ALERT_PER_HOUR}次，"
            f"上限{settings.LINLI_REVEAL_LIMIT_PER_HOUR}次，超过上限的查看已被拒绝）。"
            "如不是工作需要，请核实；可在该账号的“接口令牌”页作废其令牌。"
        ),
        url=reverse("accounts:user_tokens", args=[user.pk]),
        key=f"reveal_alert:{user.pk}:{now:%Y%m%d%H}",
    )


def find_by_id_number(queryset, raw: str):
    """Exact lookup by ID number through the keyed hash (no decryption)."""
    try:
        card = parse_id_number(raw)
    except IdNumberError:
        return queryset.none()
    return queryset.filter(id_hash=crypto.blind_index(card.number))


GLOBAL_TAG_MESSAGE = "全市通用标签只有系统管理员可以修改。"


def tag_communities(user):
    """The communities whose tags `user` may create and change (tag.manage over their area)."""
    from linli.areas.scope import managed_communities

    return managed_communities(user, "tag.manage")


def may_manage_tag(user, tag: Tag) -> bool:
    return Tag.objects.restrict(user, "manage").filter(pk=tag.pk).exists()


def save_tag(tag: Tag, actor: Actor) -> Tag:
    """Create or change a tag. Global tags (no community) belong to the whole installation: only a
    superuser changes them; a secretary (or the street) keeps the tags of their own communities."""
    user = actor.user
    with transaction.atomic():
        if user is not None:
            require_perm(user, "tag.manage")
            if tag.pk is not None:
                old = Tag.objects.select_for_update().filter(pk=tag.pk).first()
                if old is None or not may_manage_tag(user, old):
                    raise PermissionDenied(GLOBAL_TAG_MESSAGE if old and old.is_global else "不在您的管辖范围内。")
                tag.community_id = old.community_id  # a tag does not move between communities
            if tag.community_id is None and not user.is_superuser:
                raise PermissionDenied(GLOBAL_TAG_MESSAGE)
            if tag.community_id is not None and not tag_communities(user).filter(pk=tag.community_id).exists():
                raise PermissionDenied("不在您的管辖范围内。")
        clash = Tag.objects.filter(name=(tag.name or "").strip()).exclude(pk=tag.pk)
        if tag.community_id is not None:
            clash = clash.filter(Q(community__isnull=True) | Q(community_id=tag.community_id))
        if clash.exists():
            raise ValidationError({"name": "已有同名的标签，请换一个名称。"})
        old_code = Tag.objects.filter(pk=tag.pk).values_list("code", flat=True).first() if tag.pk else None
        tag = save_audited(tag, actor)
        if old_code is not None and old_code != tag.code and {old_code, tag.code} & set(CARE_TAGS):
            # The tag joined or left the care groups: its residents' households are (no longer) in need.
            tagged = Resident.objects.filter(tags=tag).values("household_id")
            recount_care_members(tagged)
        # The interval or the active flag may have changed: everyone with this tag follows.
        recompute_due_dates(Resident.tags.through.objects.filter(tag_id=tag.pk).values("resident_id"))
    return tag


def check_tags_fit(resident: Resident, tags) -> None:
    """A resident carries global tags and their own community's, never another community's."""
    foreign = [t.name for t in tags if t.community_id is not None and t.community_id != resident.community_id]
    if foreign:
        raise ValidationError({"tags": f"这些标签属于其他社区，不能用于本社区居民：{'、'.join(foreign)}"})


def usable_tags(user):
    """The tags a user may put on residents: active, visible to the role (sensitive groups need the permission),
    global or of the user's own area."""
    return Tag.objects.restrict(user).visible_to(user).filter(is_active=True)


@transaction.atomic
def bulk_tag(resident_ids: Iterable[int], tag: Tag, *, add: bool, actor: Actor) -> int:
    """Add `tag` to (or, with add=False, remove it from) every listed resident; returns how many changed.

    All or nothing: a resident outside the acting user's scope (or gone) refuses the whole request, and so
    does a community tag that does not fit one of them. One change record per resident whose tags changed;
    those who already had (or lacked) the tag are left as they are, without a record.
    """
    from linli.core.selection import all_in_scope

    ids = list(dict.fromkeys(resident_ids))
    queryset = Resident.objects.select_for_update()
    if actor.user is not None:
        require_perm(actor.user, "resident.change")
        if not usable_tags(actor.user).filter(pk=tag.pk).exists():
            raise PermissionDenied("您不能使用这个标签。")
        queryset = queryset.restrict(actor.user, "change")
    residents = all_in_scope(queryset.order_by("pk"), ids, "位居民")
    if add:
        check_tags_fit_all(residents, tag)
    links = Resident.tags.through.objects.filter(tag=tag, resident_id__in=ids)
    has_tag = set(links.values_list("resident_id", flat=True))
    changing = [r for r in residents if (r.pk in has_tag) != add]
    verb = "添加" if add else "移除"
    for resident in changing:
        before = audit.snapshot(resident)
        if add:
            resident.tags.add(tag)
        else:
            resident.tags.remove(tag)
        audit.record(
            resident, ChangeAction.UPDATE, before, audit.snapshot(resident), actor, note=f"批量{verb}标签“{tag.name}”"
        )
    if changing:
        recompute_due_dates([r.pk for r in changing])
        if tag.code in CARE_TAGS:
            recount_care_members([r.household_id for r in changing])
    return len(changing)


def check_tags_fit_all(residents, tag: Tag) -> None:
    """A community's own tag fits its own residents only (see check_tags_fit)."""
    foreign = [r.name for r in residents if tag.community_id is not None and tag.community_id != r.community_id]
    if foreign:
        names = "、".join(foreign[:10]) + ("等" if len(foreign) > 10 else "")
        raise ValidationError(f"标签“{tag.name}”属于其他社区，不能用于这些居民：{names}")
