"""Issuing, voiding and reissuing certificates, and keeping the templates. Every change is atomic, locks the row it
changes and leaves a change record; a refusal is a ValidationError in Chinese and changes nothing (no number taken).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from linli.certificates import numbering, pdf, wording
from linli.certificates.choices import CertificateStatus
from linli.certificates.models import Certificate, CertificateTemplate
from linli.core import audit
from linli.core.audit import Actor
from linli.core.crypto import blind_index
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm
from linli.core.services import save_audited
from linli.residents.choices import ResidentStatus
from linli.residents.models import Resident

NOT_IN_SCOPE = "不在您的管辖范围内。"


def _require(actor: Actor, perm: str) -> None:
    if actor.user is not None:
        require_perm(actor.user, perm)


def check_code(community_id: int, number: str) -> str:
    """The short code printed with the number: keyed (LINLI_HASH_KEY), so that a number alone opens nothing."""
    return blind_index(f"{community_id}:{number}", purpose="certificate_check")[:8].upper()


def _id_number(template, resident, actor: Actor) -> str:
    """The full ID number where the template prints it and the issuer may see it (the reveal is recorded)."""
    user = actor.user
    if not template.reveals_id or user is None or not (user.is_superuser or user.has_role_perm("resident.reveal_id")):
        return ""
    from linli.residents.services import RevealLimitReached, reveal_id_number

    try:
        return reveal_id_number(resident, user=user, reason=f"开具{template.title}")
    except RevealLimitReached as exc:
        raise ValidationError(f"本小时查看完整身份证号的次数已达上限，暂不能开具带全号的证明：{exc}") from exc


@transaction.atomic
def issue(
    template: CertificateTemplate,
    resident: Resident,
    *,
    actor: Actor,
    purpose: str,
    note: str = "",
    site_url: str = "",
    replaces: Certificate | None = None,
    issued_at: datetime.datetime | None = None,
) -> Certificate:
    """A numbered certificate of `resident` from `template`, with its PDF. Only residents in the issuer's scope, still
    living in the community (在册), from a template of their community or street that is in use. `issued_at` is for
    the demo (its fixed day): issuing in the past must go in date order, or the numbers would not follow the days."""
    _require(actor, "certificate.issue")
    user = actor.user
    residents = Resident.objects.all() if user is None else Resident.objects.restrict(user)
    resident = residents.select_for_update().filter(pk=resident.pk).first()
    if resident is None:
        raise Http404(NOT_IN_SCOPE)
    if resident.status != ResidentStatus.ACTIVE:
        when = f"（{resident.left_on:%Y-%m-%d}）" if resident.left_on else ""
        raise ValidationError(
            f"{resident.name}已{resident.get_status_display().removeprefix('已')}{when}，不能开具证明。"
        )
    templates = CertificateTemplate.objects.all() if user is None else CertificateTemplate.objects.restrict(user)
    template = templates.for_community(resident.community).filter(pk=template.pk).first()
    if template is None:
        raise ValidationError({"template": "这个模板不适用于该居民所在的社区。"})
    if not template.is_active:
        raise ValidationError({"template": "这个模板已停用。"})
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": "请填写证明用途。"})
    if len(purpose) > 100:
        raise ValidationError({"purpose": "用途最多 100 个字。"})
    note = (note or "").strip()
    if template.needs_note and not note:
        raise ValidationError({"note": "这类证明须写明核实经过（如何时入户核实、核实了哪些材料）。"})

    data = wording.resident_data(resident, id_number=_id_number(template, resident, actor))
    text = wording.render(template.body, data | {"purpose": purpose, "note": note})
    now = issued_at or timezone.now()
    today = timezone.localdate(now)
    community = resident.community
    serial = numbering.next_serial(community, today.year)
    number = numbering.number_text(community, today.year, serial)
    certificate = Certificate(
        community=community,
        template=template,
        kind=template.kind,
        title=template.title,
        resident=resident,
        year=today.year,
        serial=serial,
        number=number,
        check_code=check_code(community.pk, number),
        purpose=purpose,
        note=note,
        text=text,
        issued_by=actor.account,
        issued_by_label=(str(user) if user else actor.label)[:64],
        issued_at=now,
        valid_until=today + datetime.timedelta(days=template.valid_days) if template.valid_days else None,
        replaces=replaces,
    )
    try:
        content = pdf.render_pdf(pdf.html_of(certificate, site_url=site_url))
    except pdf.PdfUnavailable as exc:
        raise ValidationError(str(exc)) from exc
    certificate.save()
    certificate.pdf.save(f"{certificate.year}-{certificate.community_id}-{serial:04d}.pdf", ContentFile(content))
    audit.record(certificate, ChangeAction.CREATE, None, audit.snapshot(certificate), actor)
    return certificate


def _locked(certificate: Certificate, actor: Actor) -> Certificate:
    user = actor.user
    rows = Certificate.objects.all() if user is None else Certificate.objects.restrict(user, "manage")
    locked = rows.select_for_update().filter(pk=certificate.pk).first()
    if locked is None:
        raise Http404(NOT_IN_SCOPE)
    return locked


@transaction.atomic
def void(certificate: Certificate, *, actor: Actor, reason: str, at: datetime.datetime | None = None) -> Certificate:
    """作废: the number stays in the register as 作废 and is never given again; the public check says 已作废."""
    _require(actor, "certificate.manage")
    certificate = _locked(certificate, actor)
    if certificate.status == CertificateStatus.VOID:
        raise ValidationError("这份证明已经作废。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明作废原因。"})
    before = audit.snapshot(certificate)
    certificate.status = CertificateStatus.VOID
    certificate.void_reason = reason[:200]
    certificate.voided_by = actor.account
    certificate.voided_at = at or timezone.now()
    certificate.save(update_fields=["status", "void_reason", "voided_by", "voided_at"])
    audit.record(certificate, ChangeAction.UPDATE, before, audit.snapshot(certificate), actor, note="作废")
    return certificate


@transaction.atomic
def reissue(
    certificate: Certificate,
    *,
    actor: Actor,
    reason: str,
    purpose: str | None = None,
    note: str | None = None,
    site_url: str = "",
    issued_at: datetime.datetime | None = None,
) -> Certificate:
    """补开/重开: voids `certificate` and issues a new number from the same template for the same resident, naming the
    one it replaces. Both or neither."""
    _require(actor, "certificate.issue")
    reason = (reason or "").strip()
    old = void(certificate, actor=actor, reason=f"重开：{reason}" if reason else "", at=issued_at)
    return issue(
        old.template,
        old.resident,
        actor=actor,
        purpose=old.purpose if purpose is None else purpose,
        note=old.note if note is None else note,
        site_url=site_url,
        replaces=old,
        issued_at=issued_at,
    )


def may_keep_street_templates(user, street_id) -> bool:
    """Street-wide templates are kept by the street office (a street assignment with certificate.manage)."""
    if user.is_superuser:
        return True
    return user.has_role_perm("certificate.manage") and ("street", street_id) in user.assigned_nodes()


@transaction.atomic
def save_template(template: CertificateTemplate, *, actor: Actor) -> CertificateTemplate:
    """Create or change a template (certificate.manage): a community's by that community or its street, a
    street-wide default by the street."""
    _require(actor, "certificate.manage")
    user = actor.user
    if template.community_id:
        template.street_id = template.community.street_id
    wording.check(template.body)
    if user is not None:
        if template.pk and not CertificateTemplate.objects.restrict(user, "manage").filter(pk=template.pk).exists():
            raise Http404(NOT_IN_SCOPE)
        if template.community_id:
            from linli.areas.scope import managed_communities

            if not managed_communities(user, "certificate.manage").filter(pk=template.community_id).exists():
                raise ValidationError({"community": "这个社区不在您的管辖范围内。"})
        elif not template.street_id or not may_keep_street_templates(user, template.street_id):
            raise ValidationError({"community": "全街道通用模板只能由街道设置，请选择社区。"})
    if not template.street_id:
        raise ValidationError({"community": "请选择社区。"})
    return save_audited(template, actor)
