"""Emergency contacts (紧急联系人) of a resident: add, change, remove.

Each change is validated (Chinese messages keyed by form field), re-checks that the acting user may change
the resident (resident.change in scope) inside the transaction, and is written to the resident's change log
as the list of contacts before and after (phones masked), so that it shows in the resident's history.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.phone import PhoneError, last4, normalize_phone
from linli.core.services import check_scope
from linli.residents.choices import ContactRelation
from linli.residents.models import EmergencyContact, Resident

#: More than this is a second address book, not a list to call down in an emergency.
MAX_CONTACTS = 5


def contacts_label(resident: Resident) -> list[str]:
    """The contacts as the change log keeps them: 张小明（子女）138****5678."""
    return [f"{c}{' ' + c.phone_masked if c.phone else ''}" for c in resident.emergency_contacts.order_by("id")]


def clean_contact(name: str, relation: str, phone: str, note: str = "") -> dict:
    """Validated values, or ValidationError keyed by field (name, relation, phone, note)."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "请填写紧急联系人的姓名。"
    elif len(name) > 64:
        errors["name"] = "姓名不能超过64个字。"
    if relation not in ContactRelation.values:
        errors["relation"] = "请选择与居民的关系（" + "、".join(ContactRelation.labels) + "）。"
    if not (phone or "").strip():
        errors["phone"] = "请填写紧急联系人的电话。"
    else:
        try:
            phone = normalize_phone(phone)
        except PhoneError as exc:
            errors["phone"] = str(exc) + "。"
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = "备注不能超过200字。"
    if errors:
        raise ValidationError(errors)
    return {"name": name, "relation": relation, "phone": phone, "note": note}


def _locked_resident(resident: Resident, actor: Actor) -> Resident:
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if actor.user is not None:
        check_scope(Resident.objects.all(), resident, actor, "change")
    return resident


def _record(resident: Resident, before: list[str], actor: Actor, note: str) -> None:
    audit.record(
        resident,
        ChangeAction.UPDATE,
        {"紧急联系人": before},
        {"紧急联系人": contacts_label(resident)},
        actor,
        note=note,
    )


@transaction.atomic
def add_contact(resident: Resident, *, actor: Actor, name: str, relation: str, phone: str, note: str = ""):
    """Add an emergency contact to a resident (at most MAX_CONTACTS)."""
    resident = _locked_resident(resident, actor)
    values = clean_contact(name, relation, phone, note)
    if resident.emergency_contacts.count() >= MAX_CONTACTS:
        raise ValidationError({"name": f"每位居民最多登记{MAX_CONTACTS}位紧急联系人，请先删除不再联系的。"})
    before = contacts_label(resident)
    contact = EmergencyContact.objects.create(resident=resident, phone_last4=last4(values["phone"]), **values)
    _record(resident, before, actor, f"添加紧急联系人：{contact}")
    return contact


@transaction.atomic
def update_contact(contact: EmergencyContact, *, actor: Actor, name: str, relation: str, phone: str, note: str = ""):
    resident = _locked_resident(contact.resident, actor)
    contact = EmergencyContact.objects.select_for_update().get(pk=contact.pk, resident=resident)
    values = clean_contact(name, relation, phone, note)
    before = contacts_label(resident)
    for key, value in values.items():
        setattr(contact, key, value)
    contact.phone_last4 = last4(contact.phone)
    contact.save()
    _record(resident, before, actor, f"修改紧急联系人：{contact}")
    return contact


@transaction.atomic
def delete_contact(contact: EmergencyContact, *, actor: Actor) -> None:
    resident = _locked_resident(contact.resident, actor)
    before = contacts_label(resident)
    label = str(contact)
    EmergencyContact.objects.filter(pk=contact.pk, resident=resident).delete()
    _record(resident, before, actor, f"删除紧急联系人：{label}")


def clean_contacts(contacts: list[dict], field: str = "emergency_contacts") -> list[dict]:
    """Validate a whole list (the API, the import): errors name the contact by its position (第2位紧急联系人)."""
    if len(contacts) > MAX_CONTACTS:
        raise ValidationError({field: f"每位居民最多登记{MAX_CONTACTS}位紧急联系人。"})
    cleaned, errors = [], []
    for i, c in enumerate(contacts, 1):
        try:
            cleaned.append(clean_contact(c.get("name"), c.get("relation"), c.get("phone"), c.get("note") or ""))
        except ValidationError as exc:
            errors += [f"第{i}位紧急联系人：{m}" for ms in exc.message_dict.values() for m in ms]
    if errors:
        raise ValidationError({field: errors})
    return cleaned


@transaction.atomic
def replace_contacts(resident: Resident, contacts: list[dict], *, actor: Actor) -> None:
    """The API's and the ledger import's way: the given list replaces the resident's contacts (validated here)."""
    contacts = clean_contacts(contacts)
    resident = _locked_resident(resident, actor)
    before = contacts_label(resident)
    if [(c.name, c.relation, c.phone, c.note) for c in resident.emergency_contacts.order_by("id")] == [
        (c["name"], c["relation"], c["phone"], c["note"]) for c in contacts
    ]:
        return  # nothing changed: no rewrite, no history line
    resident.emergency_contacts.all().delete()
    EmergencyContact.objects.bulk_create(
        [EmergencyContact(resident=resident, phone_last4=last4(c["phone"]), **c) for c in contacts[:MAX_CONTACTS]]
    )
    _record(resident, before, actor, "更新紧急联系人")
