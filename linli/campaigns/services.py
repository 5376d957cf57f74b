"""Setting up, carrying out and closing 专项工作. Views, the API, the importer, the demo and tests call these;
nothing else changes a campaign, its outcomes or its targets. Each change is atomic, locks the row it changes and
leaves a change record with its actor.

Decisions (docs/campaigns.md says the same for users):
- A campaign belongs to one community; managers and staff (campaign.manage) set it up; grid workers
  (campaign.record) record outcomes for the targets of their own grid or building.
- Targets are residents. The list is built from the registry with the notices' audience picker (the user's scope
  applies: a grid worker's audience never leaves their grid), imported from a department's sheet
  (linli.campaigns.importer), or both. A resident is on a campaign's list once; adding them again changes nothing.
- Recording an outcome replaces the previous one; the change records keep the history. A closed campaign refuses.
- An `in_person` outcome for a resident in a care group with a visit interval logs a visit (见面, findings
  "专项工作：<名称>：<结果>", wellbeing 良好 unless given) and keeps it in target.visit: no double entry, and
  re-recording the same day logs no second visit.
- target_count and done_count on the campaign are kept in step by every change (progress pages read them).
- The campaign's notice goes to a SavedAudience "专项工作：<名称>" holding exactly the targets, refreshed whenever
  the targets change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone

from linli.areas.models import Community
from linli.areas.scope import require_community
from linli.campaigns.choices import CampaignStatus, TargetSource
from linli.campaigns.models import Campaign, CampaignOutcome, CampaignTarget
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.params import parse_id
from linli.core.querysets import require_perm

#: The outcomes a new campaign starts with (code, label, is_done, in_person); editable per campaign.
DEFAULT_OUTCOMES = (
    ("online", "已线上自助完成", True, False),
    ("in_person", "上门协助完成", True, True),
    ("away", "外出不在本地", False, False),
    ("deceased", "已去世", True, False),
    ("not_needed", "不需要", True, False),
)
CLOSED = "这项专项工作已结束，不能再修改；如需继续请先重新开启。"
NOT_IN_SCOPE = "不在您的管辖范围内。"
MAX_NOTE = 200
#: The fields create/update accept.
EDITABLE = ("name", "description", "department", "deadline", "starts_on")


def _locked(campaign: Campaign, actor: Actor, action: str = "manage") -> Campaign:
    """The campaign's row, locked; 403 without the role's permission, 404 outside the user's scope."""
    user = actor.user
    if user is not None:
        require_perm(user, f"campaign.{action}")
        if not Campaign.objects.restrict(user, action).filter(pk=campaign.pk).exists():
            raise Http404(NOT_IN_SCOPE)
    return Campaign.objects.select_for_update().select_related("community").get(pk=campaign.pk)


def _clean(campaign: Campaign, today: datetime.date | None = None) -> None:
    campaign.name = " ".join((campaign.name or "").split())
    campaign.department = (campaign.department or "").strip()
    campaign.description = (campaign.description or "").strip()
    errors = {}
    if not campaign.name:
        errors["name"] = "请填写专项工作名称。"
    elif len(campaign.name) > 100:
        errors["name"] = "名称最多100个字。"
    if len(campaign.department) > 60:
        errors["department"] = "牵头部门最多60个字。"
    if not campaign.deadline:
        errors["deadline"] = "请填写截止日期。"
    elif campaign.starts_on and campaign.deadline < campaign.starts_on:
        errors["deadline"] = "截止日期不能早于开始日期。"
    clash = Campaign.objects.filter(community_id=campaign.community_id, name=campaign.name).exclude(pk=campaign.pk)
    if campaign.name and clash.exists():
        errors["name"] = "本社区已有同名的专项工作，请换个名称（如加上年份）。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_campaign(
    *, actor: Actor, community: Community, outcomes: Iterable[tuple] | None = None, **fields
) -> Campaign:
    """A campaign (准备中) with the default outcomes (or `outcomes`: (code, label, is_done, in_person) tuples)."""
    require_community(actor, "campaign.manage", community.pk)
    campaign = Campaign(
        community=community, created_by=actor.account, **{k: v for k, v in fields.items() if k in EDITABLE}
    )
    _clean(campaign)
    campaign.save()
    CampaignOutcome.objects.bulk_create(
        CampaignOutcome(campaign=campaign, code=code, label=label, is_done=done, in_person=in_person, order=i * 10)
        for i, (code, label, done, in_person) in enumerate(outcomes or DEFAULT_OUTCOMES)
    )
    audit.record(campaign, ChangeAction.CREATE, None, audit.snapshot(campaign), actor)
    return campaign


@transaction.atomic
def update_campaign(campaign: Campaign, *, actor: Actor, **fields) -> Campaign:
    campaign = _locked(campaign, actor)
    before = audit.snapshot(campaign)
    for key, value in fields.items():
        if key in EDITABLE:
            setattr(campaign, key, value)
    _clean(campaign)
    campaign.save()
    audit.record(campaign, ChangeAction.UPDATE, before, audit.snapshot(campaign), actor)
    _sync_saved_list(campaign)
    return campaign


def _set_status(campaign: Campaign, actor: Actor, status: str, allowed_from: tuple, note: str, refusal: str):
    campaign = _locked(campaign, actor)
    if campaign.status not in allowed_from:
        raise ValidationError(refusal)
    before = audit.snapshot(campaign)
    campaign.status = status
    campaign.closed_at = timezone.now() if status == CampaignStatus.CLOSED else None
    campaign.save(update_fields=["status", "closed_at"])
    audit.record(campaign, ChangeAction.UPDATE, before, audit.snapshot(campaign), actor, note=note)
    return campaign


@transaction.atomic
def start_campaign(campaign: Campaign, *, actor: Actor) -> Campaign:
    """开始: the list goes to the grid workers (their page and 今日走访)."""
    locked = _locked(campaign, actor)
    if locked.status == CampaignStatus.DRAFT and not locked.target_count:
        raise ValidationError("名单还是空的：请先从居民库筛选或导入部门名单，再开始工作。")
    refusal = "只有准备中的工作可以开始。"
    return _set_status(locked, actor, CampaignStatus.ACTIVE, (CampaignStatus.DRAFT,), "开始", refusal)


@transaction.atomic
def close_campaign(campaign: Campaign, *, actor: Actor) -> Campaign:
    """结束: nothing more is recorded; the results stay for export."""
    return _set_status(
        campaign,
        actor,
        CampaignStatus.CLOSED,
        (CampaignStatus.DRAFT, CampaignStatus.ACTIVE),
        "结束",
        "这项工作已经结束。",
    )


@transaction.atomic
def reopen_campaign(campaign: Campaign, *, actor: Actor) -> Campaign:
    return _set_status(
        campaign, actor, CampaignStatus.ACTIVE, (CampaignStatus.CLOSED,), "重新开启", "只有已结束的工作可以重新开启。"
    )


# --------------------------------------------------------------------------- outcomes


def _outcome_errors(campaign: Campaign, label: str, exclude_pk=None) -> dict:
    if not label:
        return {"label": "请填写结果名称。"}
    if len(label) > 30:
        return {"label": "结果名称最多30个字。"}
    if campaign.outcomes.filter(label=label).exclude(pk=exclude_pk).exists():
        return {"label": f"已有结果“{label}”。"}
    return {}


@transaction.atomic
def add_outcome(campaign: Campaign, *, actor: Actor, label: str, is_done: bool, in_person: bool) -> CampaignOutcome:
    campaign = _locked(campaign, actor)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(CLOSED)
    label = " ".join((label or "").split())
    errors = _outcome_errors(campaign, label)
    if errors:
        raise ValidationError(errors)
    n = campaign.outcomes.count()
    codes = set(campaign.outcomes.values_list("code", flat=True))
    code = next(f"o{i}" for i in range(n + 1, n + 100) if f"o{i}" not in codes)
    last = campaign.outcomes.order_by("-order").values_list("order", flat=True).first() or 0
    outcome = CampaignOutcome.objects.create(
        campaign=campaign, code=code, label=label, is_done=bool(is_done), in_person=bool(in_person), order=last + 10
    )
    audit.record(campaign, ChangeAction.UPDATE, {}, {"结果": label}, actor, note=f"增加结果“{label}”")
    return outcome


@transaction.atomic
def delete_outcome(outcome: CampaignOutcome, *, actor: Actor) -> None:
    """Only an outcome nobody has recorded yet can go (the recorded ones are the campaign's history)."""
    campaign = _locked(outcome.campaign, actor)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(CLOSED)
    outcome = CampaignOutcome.objects.select_for_update().get(pk=outcome.pk, campaign=campaign)
    if CampaignTarget.objects.filter(outcome=outcome).exists():
        raise ValidationError(f"已有居民登记为“{outcome.label}”，不能删除这个结果。")
    if campaign.outcomes.count() <= 1:
        raise ValidationError("至少要保留一个结果。")
    label = outcome.label
    outcome.delete()
    audit.record(campaign, ChangeAction.UPDATE, {"结果": label}, {}, actor, note=f"删除结果“{label}”")


# --------------------------------------------------------------------------- targets


def recount(campaign: Campaign) -> Campaign:
    """target_count and done_count from the rows (after a change of the list)."""
    counts = CampaignTarget.objects.filter(campaign_id=campaign.pk).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done=True))
    )
    campaign.target_count, campaign.done_count = counts["total"], counts["done"]
    Campaign.objects.filter(pk=campaign.pk).update(target_count=campaign.target_count, done_count=campaign.done_count)
    return campaign


def insert_targets(campaign: Campaign, residents, *, source_rows: dict[int, dict] | None = None) -> int:
    """Add the residents of the `residents` queryset who are not on the list yet (in the caller's transaction,
    with the campaign locked); returns how many were added. `source_rows`: the imported sheet's cells by
    resident id."""
    existing = CampaignTarget.objects.filter(campaign_id=campaign.pk).values("resident_id")
    rows = (
        residents.exclude(pk__in=existing)
        .filter(community_id=campaign.community_id)
        .values_list("pk", "household_id", "building_id", "grid_id", "community_id", "street_id")
    )
    added = 0
    batch = []
    for pk, household, building, grid, community, street in rows.iterator(chunk_size=5000):
        batch.append(
            CampaignTarget(
                campaign_id=campaign.pk,
                resident_id=pk,
                household_id=household,
                building_id=building,
                grid_id=grid,
                community_id=community,
                street_id=street,
                source_row=(source_rows or {}).get(pk, {}),
            )
        )
        if len(batch) >= 5000:
            CampaignTarget.objects.bulk_create(batch)
            added += len(batch)
            batch = []
    if batch:
        CampaignTarget.objects.bulk_create(batch)
        added += len(batch)
    return added


@transaction.atomic
def add_targets_from_audience(campaign: Campaign, audience, *, actor: Actor, today=None) -> int:
    """Add the registry's residents an Audience (linli.notices.audience) reaches, within the user's scope; returns
    how many were added (those already on the list are left as they are). The audience is kept on the campaign
    (its description is the list's label)."""
    campaign = _locked(campaign, actor)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(CLOSED)
    if audience.community_id != campaign.community_id:
        raise ValidationError({"audience": "筛选条件不属于这项工作的社区。"})
    audience.check(actor.user)
    before = audit.snapshot(campaign)
    added = insert_targets(campaign, audience.residents(actor.user, today=today))
    campaign.audience = audience.to_dict()
    label = audience.describe()
    old = campaign.audience_label
    campaign.audience_label = (label if not old or old == label else f"{old}；{label}")[:300]
    campaign.save(update_fields=["audience", "audience_label"])
    recount(campaign)
    audit.record(campaign, ChangeAction.UPDATE, before, audit.snapshot(campaign), actor, note=f"从居民库加入{added}人")
    _sync_saved_list(campaign)
    return added


@transaction.atomic
def remove_targets(campaign: Campaign, target_ids: Iterable[int], *, actor: Actor) -> int:
    """Take targets off the list (a resident put on by mistake). All of them must be the campaign's and in the
    user's scope, or nothing changes (404)."""
    campaign = _locked(campaign, actor)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(CLOSED)
    ids = {int(i) for i in target_ids}
    rows = CampaignTarget.objects.filter(campaign=campaign, pk__in=ids)
    if actor.user is not None:
        rows = rows.filter(pk__in=CampaignTarget.objects.restrict(actor.user, "manage").values("pk"))
    names = list(rows.select_related("resident").values_list("pk", "resident__name"))
    if len(names) != len(ids):
        raise Http404(NOT_IN_SCOPE)
    rows.delete()
    recount(campaign)
    audit.record(
        campaign,
        ChangeAction.UPDATE,
        {},
        {},
        actor,
        note=f"移出名单{len(names)}人：{'、'.join(n for _, n in names[:20])}{'等' if len(names) > 20 else ''}"[:200],
    )
    _sync_saved_list(campaign)
    return len(names)


def _in_care_group(resident) -> bool:
    """Whether the resident has an active tag with a visit interval (a care group visits keep track of)."""
    return resident.tags.filter(is_active=True, visit_interval_days__isnull=False).exists()


@transaction.atomic
def record_outcome(
    target: CampaignTarget,
    outcome: CampaignOutcome | int | str,
    *,
    actor: Actor,
    note: str = "",
    wellbeing: str = "",
) -> CampaignTarget:
    """Record (or replace) a target's outcome. `outcome` is one of the campaign's outcomes (or its pk or code).
    In person and a care-group resident: a visit is logged (once per day) and linked."""
    user = actor.user
    if user is not None:
        require_perm(user, "campaign.record")
        if not CampaignTarget.objects.restrict(user, "record").filter(pk=target.pk).exists():
            raise Http404(NOT_IN_SCOPE)
    # Lock the row alone, then read it with what it points at: a statement after the lock sees what a racing
    # tap committed (its visit), which a join evaluated with the locking statement would not on PostgreSQL.
    CampaignTarget.objects.select_for_update().filter(pk=target.pk).values_list("pk").get()
    target = CampaignTarget.objects.select_related("campaign", "resident", "outcome", "visit").get(pk=target.pk)
    campaign = target.campaign
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError("这项专项工作已结束，不能再登记结果。")
    chosen = _outcome_of(campaign, outcome)
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": f"备注最多{MAX_NOTE}个字。"})
    before = audit.snapshot(target)
    was_done = target.done
    now = timezone.now()
    target.outcome, target.done = chosen, chosen.is_done
    target.recorded_at, target.recorded_by, target.note = now, actor.account, note
    if chosen.in_person and _in_care_group(target.resident):
        today = timezone.localdate()
        if target.visit is None or target.visit.visited_on != today:
            from linli.visits.choices import Outcome, Wellbeing
            from linli.visits.services import log_visit

            target.visit = log_visit(
                target.resident,
                actor=actor,
                outcome=Outcome.MET,
                wellbeing=wellbeing or Wellbeing.GOOD,
                findings=f"专项工作：{campaign.name}：{chosen.label}"[:500],
            )
    target.save(update_fields=["outcome", "done", "recorded_at", "recorded_by", "note", "visit"])
    if was_done != target.done:
        Campaign.objects.filter(pk=campaign.pk).update(done_count=F("done_count") + (1 if target.done else -1))
    audit.record(target, ChangeAction.UPDATE, before, audit.snapshot(target), actor, note=f"登记结果：{chosen.label}")
    return target


def _outcome_of(campaign: Campaign, outcome) -> CampaignOutcome:
    if isinstance(outcome, CampaignOutcome):
        if outcome.campaign_id == campaign.pk:
            return outcome
    elif outcome not in (None, ""):
        rows = campaign.outcomes.all()
        text = str(outcome)
        pk = parse_id(text)
        found = rows.filter(pk=pk).first() if pk is not None else rows.filter(code=text).first()
        if found is not None:
            return found
    raise ValidationError({"outcome": "请选择这项工作的一个结果。"})


# --------------------------------------------------------------------------- export layout


@transaction.atomic
def save_export_columns(campaign: Campaign, columns: list[dict], *, actor: Actor) -> Campaign:
    """The department's column layout: an ordered list of {header, field} (linli.campaigns.exporter.FIELDS, or
    "row:<原表列名>" for a column of the imported sheet)."""
    from linli.campaigns.exporter import check_columns

    campaign = _locked(campaign, actor, "export")
    cleaned = check_columns(campaign, columns)

    def text(columns):  # the layout as a person reads it (a snapshot cannot hold a list of dicts)
        return "、".join(f"{c['header']}（{c['field']}）" for c in columns)

    before = {"导出列": text(campaign.export_columns or [])}
    campaign.export_columns = cleaned
    campaign.save(update_fields=["export_columns"])
    audit.record(campaign, ChangeAction.UPDATE, before, {"导出列": text(cleaned)}, actor, note="修改导出列")
    return campaign


# --------------------------------------------------------------------------- notice


def saved_list_name(campaign: Campaign) -> str:
    return f"专项工作：{campaign.name}"[:60]


def _sync_saved_list(campaign: Campaign) -> None:
    """The campaign's SavedAudience holds exactly its targets (and its current name)."""
    if not campaign.notice_id:
        return
    from linli.notices.models import Notice, SavedAudience

    saved_id = (Notice.objects.filter(pk=campaign.notice_id).values_list("audience", flat=True).first() or {}).get(
        "saved_list_id"
    )
    saved = SavedAudience.objects.filter(pk=saved_id, community_id=campaign.community_id).first()
    if saved is None:
        return
    if saved.name != saved_list_name(campaign):
        SavedAudience.objects.filter(pk=saved.pk).update(name=saved_list_name(campaign))
    through = SavedAudience.residents.through
    through.objects.filter(savedaudience_id=saved.pk).delete()
    ids = CampaignTarget.objects.filter(campaign_id=campaign.pk).values_list("resident_id", flat=True)
    through.objects.bulk_create(
        (through(savedaudience_id=saved.pk, resident_id=rid) for rid in ids.iterator(chunk_size=5000)),
        batch_size=5000,
    )


@transaction.atomic
def create_notice(campaign: Campaign, *, actor: Actor, title: str = "", body: str = ""):
    """A draft notice to exactly the campaign's targets (a SavedAudience "专项工作：<名称>"), linked in
    campaign.notice; it is sent from the notice's page. A campaign with a notice still in draft returns it."""
    from linli.notices import services as notices
    from linli.notices.audience import Audience
    from linli.notices.choices import NoticeCategory, NoticeChannel, NoticeStatus
    from linli.notices.models import SavedAudience

    campaign = _locked(campaign, actor)
    if campaign.notice_id and campaign.notice.status == NoticeStatus.DRAFT:
        _sync_saved_list(campaign)
        return campaign.notice
    if not campaign.target_count:
        raise ValidationError("名单还是空的，没有可以通知的居民。")
    saved, _ = SavedAudience.objects.get_or_create(
        community=campaign.community,
        name=saved_list_name(campaign),
        defaults={"description": "由专项工作名单自动生成，随名单更新", "created_by": actor.account},
    )
    deadline = f"{campaign.deadline.month}月{campaign.deadline.day}日"
    notice = notices.create_notice(
        actor=actor,
        community=campaign.community,
        audience=Audience(community_id=campaign.community_id, saved_list_id=saved.pk),
        title=(title or f"{campaign.name}开始了")[:100],
        body=body
        or (
            f"{campaign.description or campaign.name}\n请在{deadline}前完成。"
            + (f"（牵头部门：{campaign.department}）" if campaign.department else "")
            + "不会操作的居民，网格员会上门协助。"
        ),
        category=NoticeCategory.POLICY,
        channels=[NoticeChannel.IN_APP, NoticeChannel.SMS],
        is_public=False,
    )
    before = audit.snapshot(campaign)
    campaign.notice = notice
    campaign.save(update_fields=["notice"])
    audit.record(campaign, ChangeAction.UPDATE, before, audit.snapshot(campaign), actor, note="生成工作通知")
    _sync_saved_list(campaign)
    return notice


# --------------------------------------------------------------------------- import


@transaction.atomic
def commit_import(table, mapping: dict[int, str], campaign: Campaign, *, actor: Actor):
    """Add the matched rows of a checked sheet in one transaction: the rows are checked again inside it, against
    the registry as it is now (a resident who moved out meanwhile is reported, not added)."""
    from linli.campaigns import importer

    campaign = _locked(campaign, actor)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(CLOSED)
    report, found = importer.check(table, mapping, campaign, user=actor.user)
    from linli.residents.models import Resident

    added = insert_targets(campaign, Resident.objects.filter(pk__in=list(found)), source_rows=found)
    report.created, report.dry_run = added, False
    before = audit.snapshot(campaign)
    if campaign.source != TargetSource.IMPORT:
        campaign.source = TargetSource.IMPORT
        campaign.save(update_fields=["source"])
    recount(campaign)
    audit.record(campaign, ChangeAction.UPDATE, before, audit.snapshot(campaign), actor, note=f"导入名单{added}人")
    _sync_saved_list(campaign)
    return report


__all__ = [
    "commit_import",
    "DEFAULT_OUTCOMES",
    "TargetSource",
    "add_outcome",
    "add_targets_from_audience",
    "close_campaign",
    "create_campaign",
    "create_notice",
    "delete_outcome",
    "insert_targets",
    "record_outcome",
    "recount",
    "remove_targets",
    "reopen_campaign",
    "save_export_columns",
    "start_campaign",
    "update_campaign",
]
