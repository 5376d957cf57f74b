"""Snapshots and change records for registry data (see ChangeRecord)."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from linli.core.models import ChangeAction, ChangeRecord, Source


@dataclass(frozen=True)
class Actor:
    """Who is changing data: a logged-in user, or a command/import described by a label."""

    user: object | None = None
    source: str = Source.WEB
    label: str = ""

    @property
    def account(self):
        """The account kept as who did it (经办人, 发放人, 审核人); None for a command, the system, an unsaved user."""
        return self.user if getattr(self.user, "pk", None) else None

    @classmethod
    def cli(cls, label: str) -> Actor:
        return cls(user=None, source=Source.CLI, label=label)

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls(user=None, source=Source.SYSTEM, label=label)


def actor_of(user, source: str = Source.WEB) -> Actor:
    return Actor(user=user, source=source)


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, datetime.time):  # opening hours, a session's start: "16:30"
        return value.strftime("%H:%M") if not value.second else value.isoformat()
    if isinstance(value, Decimal):  # JSON has no decimals: "89.5", as a person writes it (not 89.50 or 8.95E+1)
        return format(value.normalize(), "f")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(_plain(v) for v in value)
    return value


@functools.cache
def _labels(field) -> dict:
    """A field's choice labels; get_FOO_display rebuilds this dict on every call (hot in bulk imports)."""
    return {value: str(label) for value, label in field.flatchoices}


def snapshot(instance) -> dict:
    """The audited fields of `instance` as JSON-safe display values.

    Models list their fields in `audit_fields`; a model may add computed entries
    (masked ID, tag names) with `audit_extra()`.
    """
    data = {}
    for name in instance.audit_fields:
        field = instance._meta.get_field(name)
        if field.is_relation:
            value = getattr(instance, name) if getattr(instance, field.attname) is not None else None
        elif field.choices:
            value = _labels(field).get(getattr(instance, field.attname), getattr(instance, field.attname))
        else:
            value = getattr(instance, name)
        data[str(field.verbose_name)] = _plain(value)
    if hasattr(instance, "audit_extra"):
        data.update({k: _plain(v) for k, v in instance.audit_extra().items()})
    return data


def diff(before: dict | None, after: dict | None) -> dict:
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(instance, action: str, before: dict | None, after: dict | None, actor: Actor, note: str = ""):
    """Append a ChangeRecord; an update that changed nothing records nothing."""
    changes = diff(before, after)
    if action == ChangeAction.UPDATE and not changes:
        return None
    row = _change_record(instance, action, changes, actor, note)
    row.save(force_insert=True)
    return row


def record_created(instances, actor: Actor, note: str = "") -> list[ChangeRecord]:
    """record(instance, CREATE, None, snapshot(instance), actor) for many new rows at once: one INSERT (a service
    that writes many rows in one go, e.g. the same assistance for many households)."""
    rows = [_change_record(i, ChangeAction.CREATE, diff(None, snapshot(i)), actor, note) for i in instances]
    return ChangeRecord.objects.bulk_create(rows)


def _change_record(instance, action: str, changes: dict, actor: Actor, note: str) -> ChangeRecord:
    user = actor.user if getattr(actor.user, "pk", None) else None
    return ChangeRecord(
        actor=user,
        # The actor's name is kept on the row too, so that the record still says who once the account is gone.
        actor_label=(actor.label or (str(user) if user else ""))[:64],
        source=actor.source,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        changes=changes,
        note=note[:200],
    )


def history_of(instance):
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=instance.pk
    ).select_related("actor")


def history_of_many(parts) -> models.QuerySet:
    """One history of several rows, oldest first: a record and its children (a matter with its publications and
    tasks, a mediation case with its parties and sessions). `parts` are (model, pks) pairs; pks may be a list or a
    `values("pk")` queryset, which stays a subquery."""
    q = models.Q(pk__in=[])
    for model, pks in parts:
        q |= models.Q(content_type=ContentType.objects.get_for_model(model), object_id__in=pks)
    return ChangeRecord.objects.filter(q).select_related("actor", "content_type").order_by("at", "id")
