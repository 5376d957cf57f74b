"""Changes to the member roster beyond services.save_member: linking a member's volunteer and wish-claimer
records, leaving the roster, registering oneself by the QR form (扫码报到, 双报到), the community's review of such a
registration, and committing an imported roster. Views, the importer, the demo and tests call these.

Decisions (docs/party-members.md says the same for users):
- A member's service is counted from their volunteer record and their claimer record (linli.party.service). On
  save, a record left empty is linked when exactly one record of the community matches (the same resident or
  account for a volunteer; the same account, or the same name and phone, for a claimer); several matches are
  left for a person to choose.
- Leaving keeps the record (is_active False, date and reason): the service already given stays counted.
- A self-registration is a pending in-service member; the public form never tells whether a phone is on the
  roster already: a repeated registration answers as the first did and adds nothing.
- Confirming a registration puts the member in a branch of the community; rejecting keeps the row (pending
  rows are never deleted: the change record tells who decided what).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from linli.areas.models import Community
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction, Source
from linli.party import services, services_pairing, services_structure
from linli.party.choices import LeftReason, MemberKind, MemberSource, MemberStatus, Review
from linli.party.models import Pairing, PartnerUnit, PartyHousehold, PartyMember, PartyOrg

#: Who changed a row when the public QR form did (no account).
PUBLIC_ACTOR = Actor(user=None, source=Source.WEB, label="扫码报到")


def matching_volunteers(member: PartyMember):
    """Volunteer records of the member's community that are this person's: the same resident or account."""
    from linli.volunteers.models import Volunteer

    q = Q()
    if member.resident_id:
        q |= Q(resident_id=member.resident_id)
    if member.user_id:
        q |= Q(user_id=member.user_id)
    if not q:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(q, community_id=member.community_id, is_active=True).order_by("name", "id")


def matching_claimers(member: PartyMember):
    """Wish-claimer records of the member's community that are this person's: the same account, or the same name
    and phone."""
    from linli.wishes.models import Claimer

    q = Q()
    if member.user_id:
        q |= Q(user_id=member.user_id)
    phone = member.contact_phone if (member.resident_id or member.phone) else ""
    if member.name and phone:
        q |= Q(name=member.name, phone=phone)
    if not q:
        return Claimer.objects.none()
    return Claimer.objects.filter(q, community_id=member.community_id, is_active=True).order_by("name", "id")


def link_service_records(member: PartyMember) -> None:
    """Fill the member's volunteer and claimer links where exactly one record matches (nothing is saved here)."""
    if member.volunteer_id is None:
        found = list(matching_volunteers(member)[:2])
        if len(found) == 1:
            member.volunteer = found[0]
    if member.claimer_id is None:
        found = list(matching_claimers(member)[:2])
        if len(found) == 1:
            member.claimer = found[0]


def _check_links(member: PartyMember) -> None:
    errors = {}
    if member.volunteer_id and member.volunteer.community_id != member.community_id:
        errors["volunteer"] = "志愿者记录不在本社区。"
    if member.claimer_id and member.claimer.community_id != member.community_id:
        errors["claimer"] = "心愿认领人记录不在本社区。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_member_record(member: PartyMember, *, actor: Actor, note: str = "") -> PartyMember:
    """Save a member from the add/edit page: service records linked when one matches, then services.save_member."""
    if member.resident_id:
        member.name = member.resident.name
    link_service_records(member)
    _check_links(member)
    return services.save_member(member, actor=actor, note=note)


@transaction.atomic
def leave_member(
    member: PartyMember, *, actor: Actor, left_on: datetime.date, reason: str, note: str = ""
) -> PartyMember:
    """The member leaves the community's roster (转出, 迁出, 报到结束 …): kept with the date and reason. Their
    党员中心户 is ended (its households free for another) and their live pairings end on the same day (or the day a
    later pairing began), so that no household page names a helper who has gone."""
    member = services.locked(PartyMember, member.pk, actor, "manage")
    if not member.is_active:
        raise ValidationError("这位党员已经不在册。")
    if reason not in LeftReason.values:
        raise ValidationError({"left_reason": "请选择离开原因。"})
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": "离开日期不能晚于今天。"})
    if member.joined_on and left_on < member.joined_on:
        raise ValidationError({"left_on": "离开日期早于入党日期。"})
    before = audit.snapshot(member)
    member.is_active, member.left_on, member.left_reason = False, left_on, reason
    member.save(update_fields=["is_active", "left_on", "left_reason"])
    audit.record(member, ChangeAction.UPDATE, before, audit.snapshot(member), actor, note=note.strip()[:200])
    why = f"党员离开：{LeftReason(reason).label}"
    for centre in PartyHousehold.objects.filter(member=member, is_active=True):
        services_structure.end_centre(centre, actor=actor, note=why)
    for pairing in Pairing.objects.filter(member=member, ended_on__isnull=True):
        services_pairing.end_pairing(pairing, actor=actor, ended_on=max(left_on, pairing.started_on), reason=why)
    return member


def normalise_phone(phone: str) -> str:
    return "".join(ch for ch in (phone or "") if ch.isascii() and ch.isdigit())


def phone_taken(community: Community, phone: str) -> bool:
    """Whether an active (or pending) member of the community has this phone, their own or their resident's."""
    return (
        PartyMember.objects.filter(Q(phone=phone) | Q(resident__phone=phone), community=community, is_active=True)
        .exclude(review=Review.REJECTED)
        .exists()
    )


@transaction.atomic
def register_self(
    community: Community,
    *,
    name: str,
    phone: str,
    work_unit: PartnerUnit | None = None,
    work_unit_name: str = "",
    address: str = "",
    skills: str = "",
    availability: str = "",
) -> PartyMember | None:
    """扫码报到: an in-service member registers with the community from the QR form; waits for confirmation.
    Returns None (and adds nothing) when the phone is on the community's roster already: the caller answers as for
    a new registration, so that the form tells nobody who is a member."""
    name = " ".join((name or "").split())
    phone = normalise_phone(phone)
    if not name:
        raise ValidationError({"name": "请填写姓名。"})
    if len(phone) != 11 or not phone.startswith("1"):
        raise ValidationError({"phone": "请填写11位手机号。"})
    if work_unit is not None and (work_unit.community_id != community.pk or not work_unit.dual_registered):
        raise ValidationError({"work_unit": "请选择本社区的双报到单位，或填写单位名称。"})
    # One registration at a time per community: a double tap cannot add two rows.
    Community.objects.select_for_update().filter(pk=community.pk).first()
    if phone_taken(community, phone):
        return None
    member = PartyMember(
        community=community,
        name=name,
        phone=phone,
        kind=MemberKind.FULL,
        status=MemberStatus.IN_SERVICE,
        work_unit=work_unit,
        work_unit_name="" if work_unit else " ".join(work_unit_name.split())[:100],
        skills=" ".join(skills.split())[:200],
        availability=" ".join(availability.split())[:200],
        source=MemberSource.SELF,
        review=Review.PENDING,
        note=f"自报住址：{' '.join(address.split())}"[:200] if address.strip() else "",
    )
    member.street_id = community.street_id
    return services.save_member(member, actor=PUBLIC_ACTOR, note="扫码报到，待社区确认")


@transaction.atomic
def review_member(
    member: PartyMember, *, actor: Actor, confirm: bool, branch: PartyOrg | None = None, note: str = ""
) -> PartyMember:
    """The community confirms (into `branch`) or rejects a pending registration, with a change record."""
    member = services.locked(PartyMember, member.pk, actor, "manage")
    if member.review != Review.PENDING:
        raise ValidationError("这条报到已经处理过了。")
    note = " ".join((note or "").split())[:200]
    before = audit.snapshot(member)
    if confirm:
        if branch is None:
            raise ValidationError({"branch": "请选择所在支部。"})
        if branch.community_id != member.community_id or not branch.is_active:
            raise ValidationError({"branch": "支部不在本社区。"})
        member.branch, member.review = branch, Review.CONFIRMED
    else:
        if not note:
            raise ValidationError({"note": "请写明未通过的原因。"})
        member.review = Review.REJECTED
    member.reviewed_by, member.reviewed_at, member.review_note = actor.account, timezone.now(), note
    link_service_records(member)
    member.save()
    audit.record(
        member, ChangeAction.UPDATE, before, audit.snapshot(member), actor, note="确认报到" if confirm else "报到未通过"
    )
    return member


@transaction.atomic
def commit_import(table, mapping: dict[int, str], community: Community, *, actor: Actor):
    """Add the rows of a checked roster in one transaction, checked again inside it. A sheet with any problem row
    adds nothing (the report lists the rows to correct): a roster is the branch's record and half of it would
    be mistaken for all of it."""
    from linli.party import importer

    Community.objects.select_for_update().filter(pk=community.pk).first()
    report, records = importer.check(table, mapping, community, user=actor.user)
    report.dry_run = False
    if report.errors:
        report.created = 0
        return report
    for record in records:
        member = PartyMember(community=community, source=MemberSource.IMPORT, **record)
        member.street_id = community.street_id
        link_service_records(member)
        services.save_member(member, actor=actor, note="名册导入")
    report.created = len(records)
    return report
