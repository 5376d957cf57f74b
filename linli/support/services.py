"""Every change of 帮扶与共建 goes through these functions: views, the API, the demo and tests call them. Each is
atomic, locks the row it changes (or the household / organisation it adds to), checks the actor's right (403
without the permission, 404 outside their scope; a command or the system may) and leaves a change record.

Decisions (docs/support.md says the same for users):
- An organisation belongs to one community's directory; a name is there once. Its links (volunteer team, wish
  claimer, 共建单位) are of the same community, an appeals 承办机构 of the same street. Only a 好商家 has an offer
  and a badge year.
- A pairing's helper is a volunteer of the household's community, an organisation of its directory, or a person
  with a name (and a phone). One live pairing per helper and household.
- A contact record belongs to a live pairing, dated between the pairing's start and today.
- An assistance record names its source: a unit's record names the unit, a programme's its name, a pairing
  helper's the live pairing of that household. Money has an amount, goods a quantity.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from linli.areas.models import Household
from linli.areas.querysets import HouseholdQuerySet
from linli.areas.scope import require_community
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.phone import PhoneError, normalize_phone
from linli.core.querysets import require_perm, restrict_to
from linli.support.choices import (
    AssistanceKind,
    AssistanceSource,
    ContactKind,
    ContributionKind,
    HelperKind,
    OrganisationKind,
)
from linli.support.models import Assistance, Contribution, HelpContact, HelpPairing, Organisation

NOT_IN_SCOPE = "不在您的管辖范围内。"


def _text(value: str, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _phone(value: str, field: str) -> str:
    try:
        return normalize_phone(value)
    except PhoneError as exc:
        raise ValidationError({field: str(exc)}) from exc


def locked_household(household_id: int, actor: Actor, perm: str = "support.add") -> Household:
    """The household, locked, when the actor's role holds `perm` (403) over its area (404)."""
    household = _households(actor, perm).select_for_update(of=("self",)).filter(pk=household_id).first()
    if household is None:
        raise Http404(NOT_IN_SCOPE)
    return household


def locked_households(household_ids, actor: Actor, perm: str = "support.add") -> list[Household]:
    """locked_household for many, in one query, in the order given: 404 when any of them is out of scope."""
    ids = list(dict.fromkeys(household_ids))
    rows = _households(actor, perm).select_for_update(of=("self",)).filter(pk__in=ids)
    found = {h.pk: h for h in rows.select_related("building__community")}
    if len(found) != len(ids):
        raise Http404(NOT_IN_SCOPE)
    return [found[pk] for pk in ids]


def _households(actor: Actor, perm: str):
    user = actor.user
    rows = Household.objects.select_related("building")
    if user is not None and not user.is_superuser:
        require_perm(user, perm)
        rows = restrict_to(rows, user, HouseholdQuerySet.scope_paths)
    return rows


def _create(row, actor: Actor):
    """Save a new row and leave its change record."""
    row.save()
    audit.record(row, ChangeAction.CREATE, None, audit.snapshot(row), actor)
    return row


def _check_day(day, pairing: HelpPairing, field: str, missing: str, early: str) -> None:
    """A day of a live pairing's life: set, not before it started, not after today."""
    if pairing.ended_on is not None:
        raise ValidationError("这个结对已经结束。")
    if day is None:
        raise ValidationError({field: missing})
    if day < pairing.started_on:
        raise ValidationError({field: early})
    if day > timezone.localdate():
        raise ValidationError({field: "日期不能晚于今天。"})


def _locked(model, pk: int, actor: Actor, action: str, perm: str):
    user = actor.user
    rows = model.objects.all() if user is None else model.objects.restrict(user, action)
    row = rows.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        if user is not None and model.objects.restrict(user, "view").filter(pk=pk).exists():
            require_perm(user, perm)  # reads it, may not change it: 403
        raise Http404(NOT_IN_SCOPE)
    return row


# -- the directory ----------------------------------------------------------------------------------------------


def _clean_organisation(org: Organisation) -> None:
    org.name = _text(org.name, 100)
    org.contact_name = _text(org.contact_name, 64)
    org.address = _text(org.address, 200)
    org.offer = _text(org.offer, 200)
    errors = {}
    if not org.name:
        errors["name"] = "请填写单位名称。"
    if org.kind not in OrganisationKind.values:
        errors["kind"] = "请选择单位类型。"
    try:
        org.contact_phone = normalize_phone(org.contact_phone)
    except PhoneError as exc:
        errors["contact_phone"] = str(exc)
    if org.kind != OrganisationKind.MERCHANT:
        org.offer, org.merchant_year = "", None
    elif org.merchant_year is not None and not 2000 <= org.merchant_year <= timezone.localdate().year:
        errors["merchant_year"] = "评定年度应在2000年到今年之间。"
    community = org.community
    if org.team_id and org.team.community_id != community.pk:
        errors["team"] = "志愿服务队须是本社区的。"
    if org.claimer_id and org.claimer.community_id != community.pk:
        errors["claimer"] = "心愿认领人须是本社区的。"
    if org.partner_unit_id and org.partner_unit.community_id != community.pk:
        errors["partner_unit"] = "共建单位须是本社区的。"
    if org.handling_org_id and org.handling_org.street_id != community.street_id:
        errors["handling_org"] = "诉求承办机构须是本街道的。"
    if errors:
        raise ValidationError(errors)
    clash = Organisation.objects.filter(community_id=community.pk, name=org.name).exclude(pk=org.pk)
    if clash.exists():
        raise ValidationError({"name": "本社区名录里已有同名单位。"})


@transaction.atomic
def save_organisation(org: Organisation, *, actor: Actor) -> Organisation:
    """Add an organisation to the directory, or save the changes made to one (directory.manage over its
    community)."""
    require_community(actor, "directory.manage", org.community_id)
    before = None
    if org.pk:
        old = _locked(Organisation, org.pk, actor, "manage", "directory.manage")
        if old.community_id != org.community_id:
            raise ValidationError({"community": "单位不能换到另一个社区。"})
        before = audit.snapshot(old)
    _clean_organisation(org)
    org.save()
    audit.record(org, ChangeAction.UPDATE if before else ChangeAction.CREATE, before, audit.snapshot(org), actor)
    return org


@transaction.atomic
def add_contribution(
    org: Organisation,
    *,
    actor: Actor,
    title: str,
    kind: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    note: str = "",
) -> Contribution:
    """共建项目: what the organisation contributes, from `started_on` (to `ended_on`, if it ends)."""
    org = _locked(Organisation, org.pk, actor, "manage", "directory.manage")
    title = _text(title, 100)
    if not title:
        raise ValidationError({"title": "请填写项目名称。"})
    if kind not in ContributionKind.values:
        raise ValidationError({"kind": "请选择项目类型。"})
    if started_on is None:
        raise ValidationError({"started_on": "请填写开始日期。"})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": "结束日期早于开始日期。"})
    item = Contribution(
        organisation=org,
        title=title,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        note=_text(note, 300),
        recorded_by=actor.account,
    )
    return _create(item, actor)


# -- pairings ---------------------------------------------------------------------------------------------------


@transaction.atomic
def pair(
    household: Household,
    *,
    actor: Actor,
    helper_kind: str,
    started_on: datetime.date,
    volunteer=None,
    organisation: Organisation | None = None,
    helper_name: str = "",
    helper_phone: str = "",
    need: str = "",
) -> HelpPairing:
    """结对: a household with a volunteer, a unit or another person. The household's row is the lock, so two
    identical pairings at once are one refused with a message."""
    household = locked_household(household.pk, actor)
    community_id = household.building.community_id
    errors = {}
    if helper_kind not in HelperKind.values:
        raise ValidationError({"helper_kind": "请选择帮扶人类型。"})
    if started_on is None:
        errors["started_on"] = "请填写结对日期。"
    elif started_on > timezone.localdate():
        errors["started_on"] = "结对日期不能晚于今天。"
    live = HelpPairing.objects.filter(household=household, ended_on__isnull=True)
    if helper_kind == HelperKind.VOLUNTEER:
        volunteer_ok = volunteer is not None and volunteer.is_active and volunteer.community_id == community_id
        if not volunteer_ok:
            errors["volunteer"] = "请选择本社区在册的志愿者。"
        elif live.filter(volunteer=volunteer).exists():
            errors["volunteer"] = "这位志愿者已与这一户结对。"
        organisation, helper_name, helper_phone = None, "", ""
    elif helper_kind == HelperKind.ORGANISATION:
        if organisation is None or not organisation.is_active or organisation.community_id != community_id:
            errors["organisation"] = "请选择本社区名录里的单位。"
        elif live.filter(organisation=organisation).exists():
            errors["organisation"] = "这个单位已与这一户结对。"
        volunteer, helper_name, helper_phone = None, "", ""
    else:
        volunteer = organisation = None
        helper_name = _text(helper_name, 64)
        if not helper_name:
            errors["helper_name"] = "请填写帮扶人姓名。"
        elif live.filter(helper_kind=HelperKind.PERSON, helper_name=helper_name).exists():
            errors["helper_name"] = "这位帮扶人已与这一户结对。"
        helper_phone = _phone(helper_phone, "helper_phone")
    if errors:
        raise ValidationError(errors)
    pairing = HelpPairing(
        community_id=community_id,
        household=household,
        helper_kind=helper_kind,
        volunteer=volunteer,
        organisation=organisation,
        helper_name=helper_name,
        helper_phone=helper_phone,
        need=_text(need, 200),
        started_on=started_on,
        created_by=actor.account,
    )
    return _create(pairing, actor)


@transaction.atomic
def add_contact(
    pairing: HelpPairing, *, actor: Actor, contacted_on: datetime.date, note: str, kind: str = ContactKind.VISIT
) -> HelpContact:
    """A contact record on a live pairing: by field roles over the household, or by the helper volunteer."""
    pairing = _locked(HelpPairing, pairing.pk, actor, "record", "support.add")
    note = _text(note, 300)
    if not note:
        raise ValidationError({"note": "请写一句联系情况。"})
    if kind not in ContactKind.values:
        raise ValidationError({"kind": "请选择联系方式。"})
    _check_day(contacted_on, pairing, "contacted_on", "请填写日期。", "日期早于结对日期。")
    contact = HelpContact(pairing=pairing, kind=kind, contacted_on=contacted_on, note=note, recorded_by=actor.account)
    return _create(contact, actor)


@transaction.atomic
def end_pairing(pairing: HelpPairing, *, actor: Actor, ended_on: datetime.date, reason: str) -> HelpPairing:
    """结束结对 on `ended_on` for `reason`; its contact records stay."""
    pairing = _locked(HelpPairing, pairing.pk, actor, "add", "support.add")
    reason = _text(reason, 100)
    _check_day(ended_on, pairing, "ended_on", "请填写结束日期。", "结束日期早于结对日期。")
    if not reason:
        raise ValidationError({"end_reason": "请写明结束原因。"})
    before = audit.snapshot(pairing)
    pairing.ended_on, pairing.end_reason = ended_on, reason
    pairing.save(update_fields=["ended_on", "end_reason"])
    audit.record(pairing, ChangeAction.UPDATE, before, audit.snapshot(pairing), actor)
    return pairing


# -- assistance -------------------------------------------------------------------------------------------------


@transaction.atomic
def record_assistance(household: Household, *, actor: Actor, **fields) -> Assistance:
    """帮扶记录: what the household received, when and from which source (the fields of _assistance)."""
    return _create(_assistance(locked_household(household.pk, actor), actor, **fields), actor)


@transaction.atomic
def record_assistance_many(households, *, actor: Actor, **fields) -> list[Assistance]:
    """The same 帮扶记录 for many households at once (节日慰问 handed to every household in need): each checked as
    record_assistance checks one, all written in one INSERT with their change records in another."""
    rows = [_assistance(h, actor, **fields) for h in locked_households([h.pk for h in households], actor)]
    for row in rows:  # StreetOfCommunity.save, which bulk_create does not call
        row.street_id = row.household.building.community.street_id
    Assistance.objects.bulk_create(rows)
    audit.record_created(rows, actor)
    return rows


def _assistance(
    household: Household,
    actor: Actor,
    *,
    given_on: datetime.date,
    kind: str,
    description: str,
    source: str,
    amount: Decimal | None = None,
    quantity: int | None = None,
    organisation: Organisation | None = None,
    programme: str = "",
    pairing: HelpPairing | None = None,
    donation=None,
    given_by: str = "",
) -> Assistance:
    """A new, unsaved 帮扶记录 of the locked `household`, checked (ValidationError)."""
    community_id = household.building.community_id
    description = _text(description, 200)
    programme = _text(programme, 64)
    errors = {}
    if given_on is None:
        errors["given_on"] = "请填写日期。"
    elif given_on > timezone.localdate():
        errors["given_on"] = "日期不能晚于今天。"
    if kind not in AssistanceKind.values:
        errors["kind"] = "请选择帮扶类型。"
    if not description:
        errors["description"] = "请写明帮扶内容。"
    if source not in AssistanceSource.values:
        errors["source"] = "请选择帮扶来源。"
    if kind == AssistanceKind.MONEY and (amount is None or amount <= 0):
        errors["amount"] = "资金帮扶请填写金额。"
    if amount is not None and amount < 0:
        errors["amount"] = "金额不能为负数。"
    if source == AssistanceSource.UNIT:
        if organisation is None or organisation.community_id != community_id:
            errors["organisation"] = "请选择本社区名录里的单位。"
    else:
        organisation = None
    if source == AssistanceSource.PROGRAMME:
        if not programme:
            errors["programme"] = "请填写项目名称，如临时救助、节日慰问。"
    else:
        programme = ""
    if source == AssistanceSource.PAIRING:
        if pairing is None or pairing.household_id != household.pk or pairing.ended_on is not None:
            errors["pairing"] = "请选择这一户正在进行的结对。"
    else:
        pairing = None
    if source == AssistanceSource.DONATION:
        if donation is not None and donation.community_id != community_id:
            errors["donation"] = "捐赠物资出库须是本社区的。"
    else:
        donation = None
    if errors:
        raise ValidationError(errors)
    return Assistance(
        community_id=community_id,
        household=household,
        given_on=given_on,
        kind=kind,
        description=description,
        amount=amount,
        quantity=quantity,
        source=source,
        organisation=organisation,
        programme=programme,
        pairing=pairing,
        donation=donation,
        given_by=_text(given_by, 64),
        recorded_by=actor.account,
    )
