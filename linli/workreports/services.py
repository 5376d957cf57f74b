"""Writing, filling in and finalising work reports. Every change is atomic, locks the report it changes, checks the
actor's role and scope and leaves a change record; a refusal is a ValidationError in Chinese (or a 404 outside
scope) and changes nothing. A finalised report (定稿) is refused by every service here: it never changes again.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from linli.appeals.choices import Rating, Status
from linli.appeals.models import Appeal
from linli.areas.models import Community, Street
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.numbering import next_number
from linli.core.querysets import require_perm
from linli.workreports.choices import CaseSource, ReportLevel, ReportPeriod, ReportStatus
from linli.workreports.figures import bounds, families_of, report_figures
from linli.workreports.models import WorkReport, WorkReportCase, WorkReportParagraph

NOT_IN_SCOPE = "不在您的管辖范围内。"
FINAL = "这份报告已定稿，不能再修改。"
FIRST_YEAR = 2000
MAX_TEXT = 3000
MAX_CASES = 10
#: A notable case has a result to print: the handler resolved it (待回访) or it is closed (已结案).
CASE_STATUSES = (Status.RESOLVED, Status.CLOSED)
#: How many finished appeals of the period the edit page offers to pick.
CANDIDATES = 8
#: What never goes into a report: a mobile number or an ID number (18 or 15 characters).
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")
PERSONAL = "报告中不能写身份证号或手机号，请删去后再保存。"
SUFFIXES = ("社区居民委员会", "居民委员会", "居委会", "社区", "街道办事处", "办事处", "街道")


def _require(actor: Actor, perm: str) -> None:
    if actor.user is not None:
        require_perm(actor.user, perm)


def has_personal_numbers(text: str) -> bool:
    return bool(PHONE.search(text or "") or ID_NUMBER.search(text or ""))


def scrub(text: str) -> str:
    """`text` with mobile and ID numbers replaced by ＊ (what a report copies from a record)."""
    text = ID_NUMBER.sub("＊＊＊", text or "")
    return PHONE.sub("＊＊＊", text)


def short_name(node) -> str:
    """青和居社区 → 青和居: the prefix of the node's report numbers."""
    name = node.name.strip()
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def number_text(node, year: int, seq: int) -> str:
    return f"{short_name(node)}报〔{year}〕{seq}号"


# --------------------------------------------------------------------------- which nodes


def writable_nodes(user) -> list[tuple[str, object]]:
    """(level, Street or Community) the user writes reports for: the street office its street's, a community's
    staff their community's (never the communities below a street)."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return [(ReportLevel.STREET, s) for s in Street.objects.order_by("code")] + [
            (ReportLevel.COMMUNITY, c) for c in Community.objects.order_by("street__code", "code")
        ]
    if not user.has_role_perm("workreport.write"):
        return []
    nodes = user.assigned_nodes()
    streets = Street.objects.filter(pk__in=[pk for level, pk in nodes if level == "street"]).order_by("code")
    communities = Community.objects.filter(pk__in=[pk for level, pk in nodes if level == "community"])
    return [(ReportLevel.STREET, s) for s in streets] + [
        (ReportLevel.COMMUNITY, c) for c in communities.order_by("street__code", "code")
    ]


def _node(actor: Actor, level: str, node_id) -> Street | Community:
    if level not in ReportLevel.values:
        raise ValidationError({"node": "请选择报告所属的街道或社区。"})
    if actor.user is None:
        model = Street if level == ReportLevel.STREET else Community
        node = model.objects.filter(pk=node_id).first()
    else:
        node = next((n for lv, n in writable_nodes(actor.user) if lv == level and n.pk == node_id), None)
    if node is None:
        raise Http404(NOT_IN_SCOPE)
    return node


def check_period(period: str, year, month, today: datetime.date) -> None:
    """A month or year that has begun (the current one is written as it goes; a future one is refused)."""
    if period not in ReportPeriod.values:
        raise ValidationError({"period": "请选择月度或年度报告。"})
    if not isinstance(year, int) or not FIRST_YEAR <= year <= today.year:
        raise ValidationError({"year": f"年度须在 {FIRST_YEAR} 到 {today.year} 之间。"})
    if period == ReportPeriod.MONTH:
        if not isinstance(month, int) or not 1 <= month <= 12:
            raise ValidationError({"month": "请选择月份（1—12）。"})
        if datetime.date(year, month, 1) > today:
            raise ValidationError({"month": f"{year}年{month}月还没有开始，不能写这一期的报告。"})


# --------------------------------------------------------------------------- drafts


@transaction.atomic
def create_report(
    *, actor: Actor, level: str, node_id: int, period: str, year: int, month: int | None = None, today=None
) -> WorkReport:
    """A draft report of a street or community for a month or year that has begun, one per node and period."""
    _require(actor, "workreport.write")
    today = today or timezone.localdate()
    node = _node(actor, level, node_id)
    check_period(period, year, month, today)
    month = month if period == ReportPeriod.MONTH else None
    street = node if level == ReportLevel.STREET else node.street
    Street.objects.select_for_update().filter(pk=street.pk).first()  # two clerks creating the same period at once
    report = WorkReport(
        level=level,
        street=street,
        community=node if level == ReportLevel.COMMUNITY else None,
        period=period,
        year=year,
        month=month,
        created_by=actor.account,
    )
    report.node_key = f"{level}:{node.pk}"
    report.period_key = f"{year}-{month:02d}" if month else f"{year}"
    existing = WorkReport.objects.filter(node_key=report.node_key, period_key=report.period_key).first()
    if existing is not None:
        raise ValidationError(
            f"{node.name}{report.period_label}的工作报告已经有了（{existing.get_status_display()}），请打开它继续写。"
        )
    report.save()
    audit.record(report, ChangeAction.CREATE, None, audit.snapshot(report), actor)
    return report


def _locked(report: WorkReport, actor: Actor, action: str = "write") -> WorkReport:
    user = actor.user
    rows = WorkReport.objects.all() if user is None else WorkReport.objects.restrict(user, action)
    locked = rows.select_for_update().filter(pk=report.pk).first()
    if locked is None:
        raise Http404(NOT_IN_SCOPE)
    if locked.status == ReportStatus.FINAL:
        raise ValidationError(FINAL)
    return locked


def section_names(report: WorkReport, user) -> dict[str, str]:
    """{family name: label} of the sections `user` writes in the draft: the families they may read (all for a
    system actor). Paragraphs of other sections, written by someone who may read more, are kept as they are."""
    return {family.name: family.label for family, _f, _r in families_of(user, report.level)}


def _clean_text(field: str, text: str, label: str) -> str:
    text = (text or "").strip().replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise ValidationError({field: f"{label}最多 {MAX_TEXT} 个字。"})
    if has_personal_numbers(text):
        raise ValidationError({field: f"{label}：{PERSONAL}"})
    return text


@transaction.atomic
def save_text(
    report: WorkReport, *, actor: Actor, foreword: str = "", closing: str = "", paragraphs: dict | None = None
) -> WorkReport:
    """The staff's own text of a draft: the 综述, 下一步工作 and a paragraph per section (blank removes it)."""
    _require(actor, "workreport.write")
    report = _locked(report, actor)
    sections = section_names(report, actor.user)
    paragraphs = paragraphs or {}
    unknown = set(paragraphs) - set(sections)
    if unknown:
        raise ValidationError("报告里没有这个栏目：" + "、".join(sorted(unknown)))
    foreword = _clean_text("foreword", foreword, "综述")
    closing = _clean_text("closing", closing, "下一步工作")
    cleaned = {name: _clean_text(f"section_{name}", text, sections[name]) for name, text in paragraphs.items()}
    before = audit.snapshot(report) | _paragraph_snapshot(report, sections)
    report.foreword, report.closing = foreword, closing
    report.save(update_fields=["foreword", "closing", "updated_at"])
    for name, text in cleaned.items():
        if text:
            WorkReportParagraph.objects.update_or_create(report=report, section=name, defaults={"text": text})
        else:
            WorkReportParagraph.objects.filter(report=report, section=name).delete()
    audit.record(
        report,
        ChangeAction.UPDATE,
        before,
        audit.snapshot(report) | _paragraph_snapshot(report, sections),
        actor,
    )
    return report


def _paragraph_snapshot(report: WorkReport, sections: dict[str, str]) -> dict:
    return {
        f"段落：{sections.get(p.section, p.section)}": p.text
        for p in WorkReportParagraph.objects.filter(report=report).order_by("section")
    }


def _appeal_title(appeal: Appeal) -> str:
    if appeal.public_summary.strip():
        return scrub(appeal.public_summary.strip())[:120]
    text = " ".join(scrub(appeal.text).split())
    text = text if len(text) <= 40 else text[:40] + "…"
    category = appeal.category.name if appeal.category_id else "诉求"
    return f"{category}：{text}"[:120]


def _appeal_outcome(appeal: Appeal) -> str:
    parts = [appeal.get_outcome_display() if appeal.outcome else appeal.get_status_display()]
    # the parts are joined by “；”: a reply's own closing mark would print as “。；”
    reply = " ".join(scrub(appeal.public_reply or appeal.resolution).split()).rstrip("。；;，,. ")
    if reply:
        parts.append(reply if len(reply) <= 120 else reply[:120] + "…")
    if appeal.rating:
        parts.append(f"居民评价：{appeal.get_rating_display()}")
    return "；".join(parts)[:300]


def _node_appeals(report: WorkReport, user):
    """The appeals of the report's community or street that `user` may read (all of them for a system actor)."""
    appeals = Appeal.objects.all() if user is None else Appeal.objects.restrict(user)
    if report.level == ReportLevel.COMMUNITY:
        return appeals.filter(community_id=report.community_id)
    return appeals.filter(street_id=report.street_id)


def case_candidates(report: WorkReport, user, limit: int = CANDIDATES) -> list[Appeal]:
    """Appeals worth picking as notable cases: the node's appeals resolved within the report's period and not yet
    picked, the residents' 满意 first, then the latest resolved."""
    picked = report.cases.filter(source=CaseSource.APPEAL).values("number")
    rows = (
        _node_appeals(report, user)
        .filter(status__in=CASE_STATUSES, resolved_at__date__gte=report.start, resolved_at__date__lte=report.end)
        .exclude(number__in=picked)
        .select_related("category")
        .order_by(
            models.Case(models.When(rating=Rating.SATISFIED, then=0), default=1),
            "-resolved_at",
            "-pk",
        )
    )
    found = list(rows[:limit])
    for appeal in found:
        appeal.case_title = _appeal_title(appeal)  # what the report would print
    return found


@transaction.atomic
def add_case(report: WorkReport, *, actor: Actor, number: str, title: str = "", note: str = "") -> WorkReportCase:
    """A notable appeal, by its number: one of the report's node that the actor may read."""
    _require(actor, "workreport.write")
    report = _locked(report, actor)
    number = (number or "").strip().upper()
    if not number:
        raise ValidationError({"number": "请填写诉求编号。"})
    title = (title or "").strip()
    note = (note or "").strip()
    if len(title) > 120 or len(note) > 200:
        raise ValidationError({"note": "事项最多 120 个字，说明最多 200 个字。"})
    if has_personal_numbers(title) or has_personal_numbers(note):
        raise ValidationError({"note": PERSONAL})
    appeal = _node_appeals(report, actor.user).select_related("category").filter(number=number[:24]).first()
    if appeal is None:
        raise ValidationError({"number": f"在{report.node_name}找不到编号为“{number[:24]}”的诉求（或您无权查看）。"})
    if appeal.status not in CASE_STATUSES:
        raise ValidationError(
            {
                "number": f"诉求 {appeal.number} 现在是“{appeal.get_status_display()}”，还没有办理结果："
                "办结后（待回访或已结案）才能选作典型案例。"
            }
        )
    if report.cases.filter(source=CaseSource.APPEAL, number=appeal.number).exists():
        raise ValidationError({"number": f"诉求 {appeal.number} 已经在典型案例里了。"})
    if report.cases.count() >= MAX_CASES:
        raise ValidationError({"number": f"典型案例最多 {MAX_CASES} 件。"})
    case = WorkReportCase.objects.create(
        report=report,
        source=CaseSource.APPEAL,
        record_id=appeal.pk,
        number=appeal.number,
        title=title or _appeal_title(appeal),
        outcome=_appeal_outcome(appeal),
        note=note,
        order=(report.cases.aggregate(top=Max("order"))["top"] or 0) + 1,
    )
    audit.record(case, ChangeAction.CREATE, None, audit.snapshot(case), actor, note=f"加入{report}")
    return case


@transaction.atomic
def remove_case(case: WorkReportCase, *, actor: Actor) -> None:
    _require(actor, "workreport.write")
    _locked(case.report, actor)
    before = audit.snapshot(case)
    audit.record(case, ChangeAction.DELETE, before, None, actor, note=f"移出{case.report}")
    case.delete()


# --------------------------------------------------------------------------- finalising


def _next_seq(report: WorkReport, year: int) -> int:
    """The node's next number in `year` (linli.core.numbering: the counter row is locked until the finalising
    transaction ends; reports numbered before the counter existed are its start)."""

    def start():
        rows = WorkReport.objects.filter(node_key=report.node_key, number_year=year)
        return rows.aggregate(top=Max("seq"))["top"] or 0

    return next_number(f"workreports:{report.node_key}", year, start=start)


@transaction.atomic
def finalise(report: WorkReport, *, actor: Actor, today=None, at=None) -> WorkReport:
    """定稿: the figures are stored with the report (later rollups never change it), it gets the next number of its
    node in the year, and it is never changed again. Only a period that has ended is finalised."""
    _require(actor, "workreport.finalise")
    report = _locked(report, actor, "finalise")
    at = at or timezone.now()
    today = today or timezone.localdate(at)
    _start, end = bounds(report.period, report.year, report.month)
    if end >= today:
        raise ValidationError(
            f"{report.period_label}还没有结束（到{end.year}年{end.month}月{end.day}日），期满后才能定稿。"
        )
    before = audit.snapshot(report)
    node_id = report.community_id if report.level == ReportLevel.COMMUNITY else report.street_id
    # the finaliser's families: the document is theirs (a staff draft gets the 党建 section a secretary may read)
    report.snapshot = report_figures(
        actor.user, report.level, node_id, report.period, report.year, report.month, today=today
    )
    year = timezone.localdate(at).year
    report.seq = _next_seq(report, year)
    report.number_year = year
    report.number = number_text(report.node, year, report.seq)
    report.status = ReportStatus.FINAL
    report.finalised_by = actor.account
    report.finalised_by_label = (str(actor.user) if actor.user else actor.label)[:64]
    report.finalised_at = at
    report.save()
    audit.record(report, ChangeAction.UPDATE, before, audit.snapshot(report), actor, note="定稿")
    return report
