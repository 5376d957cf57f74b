"""Every change to the party organisation goes through these functions: views, the API, the importer, the demo and
tests call them. Each is atomic, checks the actor's right over the row (403 without the permission, 404 outside
their scope) and leaves a change record with its actor.

Decisions (docs/party.md says the same for users):
- The tree follows the five levels (choices.PARENT_KIND); a 网格党支部 is bound to a grid of its community.
- A member is a resident of the registry (name and phone are the registry's) or a person who only serves here (name
  and phone). A resident is on one community's roster once.
- Members entered by staff or imported are confirmed at once; a member who registered by the QR form (扫码报到)
  waits for the community (review).
- A 党员中心户 is an active member's household; it looks after households of the same community, each household
  looked after by one 中心户 at a time.
- Pairings (结对帮扶) are with households of the member's community; a contact record belongs to a live pairing.
- A meeting's attendance lists members of the organisation (a branch's members, or a 党小组's).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from linli.areas.models import Household
from linli.areas.scope import require_community
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm
from linli.party.choices import PARENT_KIND, Attendance, MeetingKind, OrgKind, Review
from linli.party.models import (
    CoveredHousehold,
    MeetingAttendance,
    Pairing,
    PairingContact,
    PartnerUnit,
    PartyHousehold,
    PartyMeeting,
    PartyMember,
    PartyOrg,
)

NOT_IN_SCOPE = "不在您的管辖范围内。"


def locked(model, pk: int, actor: Actor, action: str = "manage"):
    """The row `pk` of `model`, locked for the change; 404 when the actor may not `action` it (a command may)."""
    user = actor.user
    qs = model.objects.all() if user is None else model.objects.restrict(user, action)
    row = qs.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        if user is not None and not model.objects.restrict(user, "view").filter(pk=pk).exists():
            raise Http404(NOT_IN_SCOPE)
        if user is not None:
            require_perm(user, "party.manage")
        raise Http404(NOT_IN_SCOPE)
    return row


def _check_street(actor: Actor, street_id: int) -> None:
    """A street-level change (the 大工委): the actor's role holds party.manage and they are assigned to the street."""
    user = actor.user
    if user is None or user.is_superuser:
        return
    require_perm(user, "party.manage")
    if ("street", street_id) not in user.assigned_nodes():
        raise Http404(NOT_IN_SCOPE)


def _clean_org(org: PartyOrg) -> None:
    org.name = " ".join((org.name or "").split())
    errors = {}
    if not org.name:
        errors["name"] = "请填写组织名称。"
    want = PARENT_KIND.get(org.kind)
    if org.kind not in PARENT_KIND:
        errors["kind"] = "请选择组织层级。"
    elif want is None:
        org.parent = None
        org.community = None
        org.grid = None
    elif org.parent is None or org.parent.kind != want:
        errors["parent"] = f"{OrgKind(org.kind).label}的上级应是{OrgKind(want).label}。"
    else:
        org.street_id = org.parent.street_id
        if org.kind != OrgKind.COMMUNITY_COMMITTEE:
            org.community_id = org.parent.community_id
        elif not org.community_id:
            errors["community"] = "请选择社区。"
        elif org.community.street_id != org.street_id:
            errors["community"] = "社区不在上级大工委所在街道。"
        if org.kind == OrgKind.GRID_BRANCH:
            if not org.grid_id:
                errors["grid"] = "网格党支部须对应一个网格。"
            elif org.grid.community_id != org.community_id:
                errors["grid"] = "网格不在本社区。"
        elif org.kind == OrgKind.GROUP:
            org.grid_id = org.parent.grid_id
        else:
            org.grid = None
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_org(org: PartyOrg, *, actor: Actor) -> PartyOrg:
    """Create or change a party organisation (the tree is checked: each level under the one above it)."""
    _clean_org(org)
    if org.community_id:
        require_community(actor, "party.manage", org.community_id)
    else:
        _check_street(actor, org.street_id)
    if org.pk:
        before = audit.snapshot(locked(PartyOrg, org.pk, actor))
        if not org.is_active:
            _check_can_close(org)
        org.save()
        audit.record(org, ChangeAction.UPDATE, before, audit.snapshot(org), actor)
    else:
        org.save()
        audit.record(org, ChangeAction.CREATE, None, audit.snapshot(org), actor)
    return org


def _check_can_close(org: PartyOrg) -> None:
    """An organisation is made inactive only once nothing active hangs under it (sub-organisations, members)."""
    if PartyOrg.objects.filter(parent=org, is_active=True).exists():
        raise ValidationError({"is_active": "还有有效的下级组织，请先撤销或调整下级组织。"})
    if PartyMember.objects.filter(is_active=True).filter(branch=org).exists() or (
        PartyMember.objects.filter(is_active=True, group=org).exists()
    ):
        raise ValidationError({"is_active": "还有在册党员，请先把党员调到其他支部。"})


@transaction.atomic
def save_unit(unit: PartnerUnit, *, actor: Actor) -> PartnerUnit:
    """Create or change a 共建单位 (大党委成员单位 / 双报到单位)."""
    unit.name = " ".join((unit.name or "").split())
    if not unit.name:
        raise ValidationError({"name": "请填写单位名称。"})
    require_community(actor, "party.manage", unit.community_id)
    clash = PartnerUnit.objects.filter(community_id=unit.community_id, name=unit.name, is_active=True)
    if clash.exclude(pk=unit.pk).exists():
        raise ValidationError({"name": "本社区已登记同名单位。"})
    if unit.pk:
        before = audit.snapshot(locked(PartnerUnit, unit.pk, actor))
        unit.save()
        audit.record(unit, ChangeAction.UPDATE, before, audit.snapshot(unit), actor)
    else:
        unit.save()
        audit.record(unit, ChangeAction.CREATE, None, audit.snapshot(unit), actor)
    return unit


def _clean_member(member: PartyMember) -> None:
    errors = {}
    if member.resident_id:
        resident = member.resident
        if resident.household.building.community_id != member.community_id:
            errors["resident"] = "这位居民不住在本社区。"
        member.name = resident.name
        member.phone = ""
    member.name = " ".join((member.name or "").split())
    if not member.name:
        errors["name"] = "请填写姓名，或选择居民档案。"
    for field, org in (("branch", member.branch), ("group", member.group)):
        if org is not None and org.community_id != member.community_id:
            errors[field] = "组织不在本社区。"
    if member.group is not None and member.branch is not None and member.group.parent_id != member.branch_id:
        errors["group"] = "党小组不属于所选支部。"
    if member.work_unit is not None and member.work_unit.community_id != member.community_id:
        errors["work_unit"] = "单位不在本社区登记。"
    clash = PartyMember.objects.filter(community_id=member.community_id, resident_id=member.resident_id, is_active=True)
    if member.resident_id and clash.exclude(pk=member.pk).exists():
        errors["resident"] = "这位居民已在本社区党员名册中。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_member(member: PartyMember, *, actor: Actor, note: str = "") -> PartyMember:
    """Create or change a member's record (a member entered by staff is confirmed at once)."""
    require_community(actor, "party.manage", member.community_id)
    _clean_member(member)
    if member.pk:
        before = audit.snapshot(locked(PartyMember, member.pk, actor))
        member.save()
        audit.record(member, ChangeAction.UPDATE, before, audit.snapshot(member), actor, note=note)
    else:
        if member.review == Review.CONFIRMED and actor.account:
            member.reviewed_by = actor.account
        member.save()
        audit.record(member, ChangeAction.CREATE, None, audit.snapshot(member), actor, note=note)
    return member


@transaction.atomic
def set_centre(
    member: PartyMember,
    *,
    actor: Actor,
    household: Household | None = None,
    covered: Iterable[Household] = (),
    since: datetime.date | None = None,
) -> PartyHousehold:
    """Make the member's household (or `household`) a 党员中心户 looking after `covered` (replacing what it looked
    after). A household already looked after by another 中心户 is refused by name."""
    require_community(actor, "party.manage", member.community_id)
    household = household or (member.resident.household if member.resident_id else None)
    if household is None:
        raise ValidationError("党员中心户须是住在本社区的党员家庭：请先关联居民档案。")
    if household.building.community_id != member.community_id:
        raise ValidationError("这一户不在本社区。")
    centre = PartyHousehold.objects.select_for_update().filter(household=household, is_active=True).first()
    before = audit.snapshot(centre) if centre else None
    if centre is None:
        centre = PartyHousehold(community_id=member.community_id, member=member, household=household, since=since)
    centre.member = member
    if since:
        centre.since = since
    centre.save()
    covered = [h for h in covered if h.pk != household.pk]
    outside = [h for h in covered if h.building.community_id != member.community_id]
    if outside:
        raise ValidationError(f"{outside[0]} 不在本社区。")
    taken = (
        CoveredHousehold.objects.filter(household__in=covered)
        .exclude(centre=centre)
        .select_related("household", "centre__member")
        .first()
    )
    if taken:
        raise ValidationError(f"{taken.household} 已由 {taken.centre.member} 的中心户联系。")
    CoveredHousehold.objects.filter(centre=centre).exclude(household__in=covered).delete()
    have = set(CoveredHousehold.objects.filter(centre=centre).values_list("household_id", flat=True))
    CoveredHousehold.objects.bulk_create(
        CoveredHousehold(centre=centre, household=h) for h in covered if h.pk not in have
    )
    after = audit.snapshot(centre) | {"联系户数": len(covered)}
    audit.record(centre, ChangeAction.UPDATE if before else ChangeAction.CREATE, before, after, actor)
    return centre


@transaction.atomic
def pair(
    member: PartyMember, household: Household, *, actor: Actor, started_on: datetime.date, need: str = ""
) -> Pairing:
    """结对: pair a member with a household in need of the member's community."""
    user = actor.user
    if user is not None and not PartyMember.objects.restrict(user, "record").filter(pk=member.pk).exists():
        raise Http404(NOT_IN_SCOPE)
    # The member's row is the lock: two pairings of one member with one household at once would be one refused by
    # the unique constraint (an IntegrityError), not a Chinese message.
    member = PartyMember.objects.select_for_update().get(pk=member.pk)
    if not member.is_active or member.review != Review.CONFIRMED:
        raise ValidationError("只有在册、已确认的党员可以结对。")
    if household.building.community_id != member.community_id:
        raise ValidationError("帮扶户须在党员报到的社区。")
    if Pairing.objects.filter(member=member, household=household, ended_on__isnull=True).exists():
        raise ValidationError("这位党员已与这一户结对。")
    pairing = Pairing(
        community_id=member.community_id,
        member=member,
        household=household,
        need=need.strip()[:200],
        started_on=started_on,
        created_by=actor.account,
    )
    pairing.save()
    audit.record(pairing, ChangeAction.CREATE, None, audit.snapshot(pairing), actor)
    return pairing


@transaction.atomic
def add_contact(
    pairing: Pairing, *, actor: Actor, contacted_on: datetime.date, note: str, kind: str = "visit"
) -> PairingContact:
    """A contact record (a short diary-like note) on a live pairing."""
    pairing = locked(Pairing, pairing.pk, actor, "record")
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError({"note": "请写一句联系情况。"})
    if pairing.ended_on is not None:
        raise ValidationError("这个结对已经结束。")
    if contacted_on < pairing.started_on:
        raise ValidationError({"contacted_on": "日期早于结对日期。"})
    if contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": "日期不能晚于今天。"})
    contact = PairingContact(pairing=pairing, kind=kind, contacted_on=contacted_on, note=note[:300])
    contact.recorded_by = actor.account
    contact.full_clean(exclude=["pairing", "recorded_by"])
    contact.save()
    audit.record(contact, ChangeAction.CREATE, None, audit.snapshot(contact), actor)
    return contact


@transaction.atomic
def record_meeting(
    org: PartyOrg,
    *,
    actor: Actor,
    kind: str,
    held_on: datetime.date,
    topic: str,
    attendance: dict[int, tuple[str, str]] | None = None,
    **fields,
) -> PartyMeeting:
    """Record a meeting of `org` with its attendance ({member id: (status, reason)}; members of the organisation
    not listed are recorded 缺席)."""
    org = locked(PartyOrg, org.pk, actor, "record")
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": "请选择会议类型。"})
    if kind == MeetingKind.GROUP and org.kind != OrgKind.GROUP:
        raise ValidationError({"kind": "党小组会由党小组记录。"})
    if org.kind not in (OrgKind.COMMUNITY_ORG, OrgKind.GRID_BRANCH, OrgKind.GROUP):
        raise ValidationError("三会一课由社区党组织、网格党支部和党小组记录。")
    topic = " ".join((topic or "").split())
    if not topic:
        raise ValidationError({"topic": "请填写会议主题。"})
    meeting = PartyMeeting(org=org, kind=kind, held_on=held_on, topic=topic, recorded_by=actor.account, **fields)
    meeting.save()
    members = org.group_members if org.kind == OrgKind.GROUP else org.members
    given = attendance or {}
    rows = []
    for member_id in members.filter(is_active=True, review=Review.CONFIRMED).values_list("pk", flat=True):
        status, reason = given.get(member_id, (Attendance.ABSENT, ""))
        rows.append(MeetingAttendance(meeting=meeting, member_id=member_id, status=status, reason=reason[:100]))
    MeetingAttendance.objects.bulk_create(rows)
    after = audit.snapshot(meeting) | {"出席人数": sum(r.status == Attendance.PRESENT for r in rows)}
    audit.record(meeting, ChangeAction.CREATE, None, after, actor)
    return meeting
