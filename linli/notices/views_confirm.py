"""确认送达: a must-confirm notice's progress per grid and building, its households (filtered, marked from a phone),
the Excel export, and the buttons of the 今日走访 door list. Rows come from NoticeHousehold.objects.restrict(); every
change goes through linli.notices.confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.core.audit import actor_of
from linli.core.excel.download import safe_workbook, xlsx_download
from linli.core.excel.exports import record_export
from linli.core.querysets import require_perm
from linli.core.views import ScopedMixin, paginate
from linli.notices import confirm
from linli.notices.choices import ExportKind, NoticeStatus
from linli.notices.confirm_rows import decorate, list_url, notice_url
from linli.notices.filtersets_confirm import NoticeHouseholdFilterSet
from linli.notices.models import Notice, NoticeHousehold
from linli.residents.models import Resident

ROW_TEMPLATES = {"list": "notices/confirm_row.html", "worklist": "notices/_worklist_door_row.html"}


def _people():
    return Prefetch(
        "household__residents",
        queryset=Resident.objects.filter(status="active").order_by("birth_date", "id"),
        to_attr="people",
    )


def household_rows(user, notice: Notice):
    """The notice's households the user may see, with what a row shows (in walking order)."""
    return (
        NoticeHousehold.objects.restrict(user)
        .filter(notice_id=notice.pk)
        .select_related("household", "building", "grid", "confirmed_by", "notice")
        .prefetch_related(_people())
    )


def may_mark(user, notice: Notice) -> bool:
    return user.has_role_perm("notice.confirm") and notice.status == NoticeStatus.SENT and notice.must_confirm


#: Each figure of the progress table and the filters of the list it opens.
FIGURE_FILTERS = {
    "total": {},
    "told": {"state": "told"},
    "read": {"via": "read"},
    "phone": {"via": "phone"},
    "in_person": {"via": "in_person"},
    "posted": {"via": "posted"},
    "open": {"state": "open"},
    "open_door": {"state": "open", "needs_door": "true"},
}


def link(notice: Notice, figures: confirm.Figures, area: dict) -> None:
    figures.links = {name: list_url(notice, **area, **extra) for name, extra in FIGURE_FILTERS.items()}


class NoticeConfirmationsView(ScopedMixin, TemplateView):
    """Progress of a notice's confirmations: households, told by way, open and of those 需上门, per grid and
    building of the user's scope; every figure opens the filtered list."""

    model = Notice
    template_name = "notices/confirm_progress.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        notice = self.get_scoped_object(self.scoped().select_related("community"))
        figures = confirm.progress(notice, self.request.user)
        link(notice, figures, {})
        for grid in figures.parts:
            link(notice, grid, {"grid": grid.grid_id} if grid.grid_id else {})
            for building in grid.parts:
                link(notice, building, {"building": building.building_id})
        ctx.update(
            notice=notice,
            notice_url=notice_url(notice),
            figures=figures,
            list_url=list_url(notice),
            today=timezone.localdate(),
            can_post=may_mark(self.request.user, notice),
        )
        return ctx


class NoticeHouseholdListView(ScopedMixin, TemplateView):
    """The notice's households, filtered (grid, building, open/told, way, 需上门), with big marking buttons."""

    model = Notice
    template_name = "notices/confirm_households.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        notice = self.get_scoped_object(self.scoped().select_related("community"))
        rows = household_rows(user, notice)
        filterset = NoticeHouseholdFilterSet(self.request.GET or None, rows, request=self.request)
        page = paginate(self.request, filterset.qs, 50)
        decorate(page, user)
        building = filterset.form.cleaned_data.get("building") if filterset.is_bound and filterset.is_valid() else None
        ctx.update(
            notice=notice,
            notice_url=notice_url(notice),
            filterset=filterset,
            page=page,
            building=building,
            can_post=building is not None and may_mark(user, notice),
            export_query=self.request.GET.urlencode(),
        )
        return ctx

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "household-results":
            return ["notices/confirm_results.html"]
        return [self.template_name]


class NoticeHouseholdExportView(ScopedMixin, View):
    """The filtered households and how each was told, as .xlsx (recorded in the export log)."""

    model = Notice
    permission = "notice.confirm"

    def get(self, request, pk):
        notice = self.get_scoped_object(self.scoped("view").select_related("community"))
        filterset = NoticeHouseholdFilterSet(request.GET or None, household_rows(request.user, notice), request=request)
        rows = list(filterset.qs)
        decorate(rows, request.user)

        def write(out):
            book = safe_workbook(out)
            sheet = book.add_worksheet("告知情况")
            sheet.write_row(0, 0, [f"{notice.title}（{notice.community.name}）告知情况"])
            sheet.write_row(
                1, 0, ["网格", "楼栋", "单元", "房号", "居民", "需上门告知", "告知方式", "告知人", "告知时间", "备注"]
            )
            for i, row in enumerate(rows, start=2):
                at = timezone.localtime(row.confirmed_at).strftime("%Y-%m-%d %H:%M") if row.confirmed_at else ""
                sheet.write_row(
                    i,
                    0,
                    [
                        row.grid.name if row.grid_id else "",
                        row.building.name,
                        row.household.entrance,
                        row.household.room,
                        "、".join(p.name for p in row.household.people),
                        "是" if row.needs_door else "",
                        row.get_confirmed_via_display() if row.confirmed_via else "未告知",
                        str(row.confirmed_by) if row.confirmed_by_id else "",
                        at,
                        row.note,
                    ],
                )
            book.close()

        filters = {"notice": notice.title, **{k: v for k, v in filterset.form.data.items() if k != "page"}}
        record_export(request.user, ExportKind.CONFIRMATIONS, row_count=len(rows), filters=filters)
        return xlsx_download(write, f"{notice.title}-告知情况.xlsx", f"notice-{notice.pk}-confirmations.xlsx")


class _RowAction(LoginRequiredMixin, View):
    """A button on one household row (list or 今日走访): the service's answer, the row drawn again in place (htmx) or
    back to the list with a message."""

    permission = "notice.confirm"

    def run(self, request, pk):  # pragma: no cover - each action says what it does
        raise NotImplementedError

    def post(self, request, pk):
        require_perm(request.user, self.permission)
        error, done = "", ""
        try:
            done = self.run(request, pk)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        row = (
            NoticeHousehold.objects.restrict(request.user)
            .select_related("household", "building", "grid", "confirmed_by", "notice")
            .prefetch_related(_people())
            .filter(pk=pk)
            .first()
        )
        if row is None:
            raise Http404(confirm.OUTSIDE)
        part = request.POST.get("part")
        if request.htmx:
            decorate([row], request.user)
            template = ROW_TEMPLATES.get(part, ROW_TEMPLATES["list"])
            return render(request, template, {"row": row, "error": error, "done": done, "part": part})
        if error:
            messages.error(request, error)
        elif done:
            messages.success(request, done)
        if part == "worklist":
            return redirect("visits:worklist")
        return redirect(list_url(row.notice, building=row.building_id))


class NoticeHouseholdMarkView(_RowAction):
    def run(self, request, pk):
        row = confirm.mark_told(
            pk, actor=actor_of(request.user), via=request.POST.get("via", ""), note=request.POST.get("note", "")
        )
        return f"{row.household}：{row.get_confirmed_via_display()}。"


class NoticeHouseholdUndoView(_RowAction):
    def run(self, request, pk):
        row = confirm.undo_mark(pk, actor=actor_of(request.user))
        return f"{row.household}：已撤销告知登记。"


class NoticeHouseholdDoorView(_RowAction):
    permission = "notice.manage"

    def run(self, request, pk):
        value = request.POST.get("needs_door")
        if value not in ("1", "0"):
            confirm.set_needs_door(pk, None, actor=actor_of(request.user))  # 404 outside scope, else the message
        row = confirm.set_needs_door(pk, value == "1", actor=actor_of(request.user))
        return f"{row.household}：{'已加入' if row.needs_door else '已移出'}上门告知名单。"


class NoticeBuildingPostedView(LoginRequiredMixin, View):
    """已张贴 for every open household of one building in one step."""

    def post(self, request, pk, building_pk):
        require_perm(request.user, "notice.confirm")
        notice = get_object_or_404(Notice.objects.restrict(request.user), pk=pk)
        try:
            n = confirm.mark_building_posted(
                notice, building_pk, actor=actor_of(request.user), note=request.POST.get("note", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"已将{n}户登记为已张贴。" if n else "这栋楼没有未告知的住户。")
        return redirect(list_url(notice, building=building_pk))
