"""家人帮忙: a family member with their own resident account helps an elderly parent.

The helper asks (naming the elder by name and phone, both as registered), the elder agrees on their own account, or
staff record the elder's agreement given in person (the staff member is the witness). Either side, or staff, can
end it. Every change is a change record of the link. Only an agreed link lets the helper read anything of the elder
(`elder_for_helper`), and only through the family blocks (linli.core.shell.family_block).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.phone import PhoneError, normalize_phone
from linli.core.services import check_scope
from linli.residents.choices import ContactRelation, FamilyConsent, FamilyLinkStatus, ResidentStatus
from linli.residents.models import FamilyLink, Resident

LIVE = (FamilyLinkStatus.ASKED, FamilyLinkStatus.AGREED)


def find_resident(name: str, phone: str) -> Resident | None:
    """The registered, active resident with exactly this name and phone (both must match: a phone alone is not
    enough to name someone)."""
    name = (name or "").strip()
    try:
        phone = normalize_phone(phone or "")
    except PhoneError:
        return None
    if not name:
        return None
    return Resident.objects.filter(name=name, phone=phone, status=ResidentStatus.ACTIVE).first()


def _check_relation(relation: str) -> None:
    if relation not in ContactRelation.values:
        raise ValidationError({"relation": "请选择您是老人的什么人（" + "、".join(ContactRelation.labels) + "）。"})


def _create(helper: Resident, elder: Resident, relation: str, actor: Actor, **fields) -> FamilyLink:
    if helper.pk == elder.pk:
        raise ValidationError("不能为自己申请家人帮忙。")
    _check_relation(relation)
    if FamilyLink.objects.filter(helper=helper, elder=elder, status__in=LIVE).exists():
        raise ValidationError("您和这位老人已经有一条帮忙关系（等待同意或已同意）。")
    try:
        with transaction.atomic():
            link = FamilyLink.objects.create(helper=helper, elder=elder, relation=relation, **fields)
    except IntegrityError:
        raise ValidationError("您和这位老人已经有一条帮忙关系（等待同意或已同意）。") from None
    audit.record(link, ChangeAction.CREATE, None, audit.snapshot(link), actor, note="申请家人帮忙")
    return link


@transaction.atomic
def ask(helper: Resident, elder: Resident, *, relation: str, actor: Actor) -> FamilyLink:
    """The helper asks to help `elder`; nothing of the elder is visible until the elder agrees."""
    if actor.user is not None and actor.user.resident_id != helper.pk:
        raise PermissionDenied("只能以自己的名义申请。")
    return _create(helper, elder, relation, actor)


@transaction.atomic
def record_in_person(
    helper: Resident, elder: Resident, *, relation: str, actor: Actor, witness_present: bool
) -> FamilyLink:
    """Staff record that the elder agreed in person, in front of them: the link is agreed at once and the staff
    member is kept as the witness."""
    if actor.user is None:
        raise PermissionDenied("当面同意须由工作人员见证登记。")
    check_scope(Resident.objects.all(), elder, actor, "change")
    if not witness_present:
        raise ValidationError({"witness_present": "请确认老人本人当面表示同意，并由您见证。"})
    now = timezone.now()
    return _create(
        helper,
        elder,
        relation,
        actor,
        status=FamilyLinkStatus.AGREED,
        agreed_at=now,
        agreed_by=actor.user,
        consent=FamilyConsent.IN_PERSON,
        witness=actor.user,
    )


def _locked(link: FamilyLink) -> FamilyLink:
    return FamilyLink.objects.select_for_update().select_related("helper", "elder").get(pk=link.pk)


def _change(link: FamilyLink, actor: Actor, note: str, **fields) -> FamilyLink:
    before = audit.snapshot(link)
    for name, value in fields.items():
        setattr(link, name, value)
    link.save(update_fields=list(fields))
    audit.record(link, ChangeAction.UPDATE, before, audit.snapshot(link), actor, note=note)
    return link


def _elders_answer(link: FamilyLink, actor: Actor, refusal: str) -> FamilyLink:
    """The locked request, when `actor` is its elder on their own account and it still waits for an answer."""
    link = _locked(link)
    if actor.user is None or actor.user.resident_id != link.elder_id:
        raise PermissionDenied(refusal)
    if link.status != FamilyLinkStatus.ASKED:
        raise ValidationError("这条申请已经处理过了。")
    return link


@transaction.atomic
def agree(link: FamilyLink, *, actor: Actor) -> FamilyLink:
    """The elder agrees on their own account."""
    link = _elders_answer(link, actor, "只有老人本人可以在自己的账号上同意。")
    return _change(
        link,
        actor,
        "老人本人同意",
        status=FamilyLinkStatus.AGREED,
        agreed_at=timezone.now(),
        agreed_by=actor.user,
        consent=FamilyConsent.OWN_ACCOUNT,
    )


@transaction.atomic
def decline(link: FamilyLink, *, actor: Actor) -> FamilyLink:
    """The elder says no to a request."""
    link = _elders_answer(link, actor, "只有老人本人可以拒绝。")
    return _change(
        link, actor, "老人未同意", status=FamilyLinkStatus.DECLINED, ended_at=timezone.now(), ended_by=actor.user
    )


@transaction.atomic
def end(link: FamilyLink, *, actor: Actor) -> FamilyLink:
    """Either side (or staff with the elder in scope) ends an asked or agreed link; from then on nothing of the
    elder is visible to the helper."""
    link = _locked(link)
    user = actor.user
    if user is not None and user.resident_id not in (link.helper_id, link.elder_id):
        check_scope(Resident.objects.all(), link.elder, actor, "change")
    if link.status not in LIVE:
        raise ValidationError("这条帮忙关系已经解除了。")
    who = "帮忙的家人" if user and user.resident_id == link.helper_id else "老人本人"
    if user is not None and user.resident_id not in (link.helper_id, link.elder_id):
        who = "工作人员"
    return _change(link, actor, f"{who}解除", status=FamilyLinkStatus.REVOKED, ended_at=timezone.now(), ended_by=user)


def elders_helped(user) -> list[FamilyLink]:
    """The agreed links in which the signed-in user's resident is the helper."""
    if not getattr(user, "resident_id", None):
        return []
    return list(FamilyLink.objects.agreed().filter(helper_id=user.resident_id).select_related("elder"))


def elder_for_helper(user, link_id: int) -> Resident:
    """The elder of an agreed link whose helper is the signed-in user's resident; 404 for anything else (asked,
    declined, ended, someone else's)."""
    link = (
        FamilyLink.objects.agreed()
        .filter(pk=link_id, helper_id=getattr(user, "resident_id", None) or -1)
        .select_related("elder__household__building", "elder__community")
        .first()
    )
    if link is None:
        raise Http404("没有这条家人帮忙关系，或老人尚未同意、已经解除。")
    return link.elder
