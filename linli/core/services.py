"""Helpers shared by every app's services: scope re-checks and audited saves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction


def check_scope(queryset, obj, actor: Actor, action: str = "view") -> None:
    """Inside a service, re-check that the acting user may act on `obj` (CLI and system actors may)."""
    user = actor.user
    if user is None:
        return
    if not (user.is_superuser or user.has_role_perm(f"{queryset.perm_subject}.{action}")):
        raise PermissionDenied("您的角色没有这项权限。")
    if obj.pk is None or not queryset.restrict(user, action).filter(pk=obj.pk).exists():
        raise Http404("不在您的管辖范围内。")


def full_clean(instance, exclude=None) -> None:
    """Model validation with Chinese messages; raises ValidationError keyed by field."""
    instance.full_clean(exclude=exclude, validate_constraints=True)


@transaction.atomic
def save_audited(instance, actor: Actor, *, note: str = "", exclude_clean=None):
    """Validate, save and record a create or update of a registry row."""
    creating = instance.pk is None
    before = None
    if not creating:
        old = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
        before = audit.snapshot(old)
    full_clean(instance, exclude=exclude_clean)
    instance.save()
    audit.record(
        instance,
        ChangeAction.CREATE if creating else ChangeAction.UPDATE,
        before,
        audit.snapshot(instance),
        actor,
        note,
    )
    return instance


@transaction.atomic
def delete_audited(instance, actor: Actor, *, note: str = ""):
    from django.db.models import ProtectedError

    before = audit.snapshot(instance)
    pk = instance.pk
    try:
        instance.delete()
    except ProtectedError as exc:
        raise ValidationError("还有下级数据引用它，不能删除。请先移走或删除下级数据。") from exc
    instance.pk = pk
    audit.record(instance, ChangeAction.DELETE, before, None, actor, note)
