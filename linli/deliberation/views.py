"""民事民议 pages: the matter list, add/edit, a matter's page (its whole history: description, scope, photos,
status actions, publications, follow-up tasks, timeline, then the panels other apps register), the buttons
that act on it, a resident's own proposal, and "转为议题" from an appeal, a diary note or a problem-list item.
Publicity pages (公示: staff page, A4 notice, public board) are in views_public.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.scope import communities_for
from linli.attachments.forms import MultiplePhotoField
from linli.attachments.services import attach_photos, photos_of
from linli.core.audit import actor_of
from linli.core.excel.download import cleaned_filters, safe_workbook, xlsx_download
from linli.core.excel.exports import record_export
from linli.core.filtersets import error_list
from linli.core.forms import LinliForm, attach_errors
from linli.core.querysets import require_perm
from linli.core.views import ScopedMixin, paginate
from linli.deliberation import services
from linli.deliberation.choices import NEXT_STATUSES, ExportKind, MatterStatus, TaskStatus, TurnSource
from linli.deliberation.filtersets import MatterFilterSet
from linli.deliberation.forms import (
    AppealForm,
    MatterForm,
    MoveForm,
    NoteForm,
    ProblemItemForm,
    ProposalForm,
    PublicationForm,
    ReasonForm,
    TaskForm,
)
from linli.deliberation.models import FollowUpTask, Matter
from linli.deliberation.panels import matter_panels


class PhotoForm(LinliForm):
    photos = MultiplePhotoField(label="照片（附件）", required=False)


def _messages(request, exc: ValidationError) -> None:
    for e in exc.messages:
        messages.error(request, e)


class MatterListView(ScopedMixin, TemplateView):
    """Matters in progress first; MatterFilterSet (as the API and the export) narrows by status, scope, grid, text."""

    model = Matter
    filterset_class = MatterFilterSet
    template_name = "deliberation/matter_list.html"

    def filtered(self):
        data = self.request.GET.copy()
        data.pop("page", None)
        data.pop("export", None)
        filterset = self.filterset_class(data, self.scoped(), request=self.request)
        return filterset, filterset.qs.select_related("community", "grid").order_by("-created_at", "-id")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        filterset, matters = self.filtered()
        rows = list(matters.prefetch_related("buildings")[:5000])

        def write(out):
            book = safe_workbook(out)
            sheet = book.add_worksheet("议题")
            head = ["编号", "社区", "议题", "范围", "楼栋/网格", "提出方", "来源", "状态", "提出时间", "办结时间"]
            for col, text in enumerate(head):
                sheet.write(0, col, text)
            for i, m in enumerate(rows, start=1):
                where = "、".join(b.name for b in m.buildings.all()) or (m.grid.name if m.grid_id else "")
                values = [
                    m.pk,
                    m.community.name,
                    m.title,
                    m.get_scope_display(),
                    where,
                    m.get_raised_by_display(),
                    m.get_source_display(),
                    m.get_status_display(),
                    timezone.localtime(m.created_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(m.closed_at).strftime("%Y-%m-%d %H:%M") if m.closed_at else "",
                ]
                for col, value in enumerate(values):
                    sheet.write(i, col, value)
            book.close()

        record_export(
            self.request.user, ExportKind.MATTERS, row_count=len(rows), filters=cleaned_filters(filterset), masked=True
        )
        return xlsx_download(write, "议题清单.xlsx", "matters.xlsx")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset, matters = self.filtered()
        page = paginate(self.request, matters, 30)
        today = timezone.localdate()
        open_tasks = {}
        for task in FollowUpTask.objects.open().filter(matter__in=[m.pk for m in page]):
            open_tasks.setdefault(task.matter_id, []).append(task)
        for m in page:
            tasks = open_tasks.get(m.pk, [])
            m.open_tasks = len(tasks)
            m.overdue_tasks = sum(1 for t in tasks if t.is_overdue(today))
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "xlsx"
        ctx.update(
            page=page,
            filter=filterset,
            filter_errors=error_list(filterset),
            can_add=self.request.user.has_role_perm("matter.add"),
            export_query=query.urlencode(),
        )
        return ctx


class MatterEditView(ScopedMixin, View):
    """Raise a matter (no pk: matter.add) or edit one (matter.manage)."""

    model = Matter
    template_name = "deliberation/matter_form.html"

    def get_permission(self):
        return "matter.manage" if "pk" in self.kwargs else "matter.add"

    def get_matter(self):
        return self.get_scoped_object(action="manage") if "pk" in self.kwargs else None

    def form(self, matter, data=None, files=None):
        communities = communities_for(self.request.user, "matter.add").order_by("street_id", "code")
        initial = MatterForm.initial_for(matter) if matter else None
        return MatterForm(data, files, communities=communities, editing=matter, initial=initial)

    def render_form(self, form, matter, photo_form=None):
        return render(
            self.request,
            self.template_name,
            {"form": form, "matter": matter, "photo_form": photo_form or PhotoForm()},
        )

    def get(self, request, pk=None):
        matter = self.get_matter()
        return self.render_form(self.form(matter), matter)

    def post(self, request, pk=None):
        matter = self.get_matter()
        form = self.form(matter, request.POST)
        photo_form = PhotoForm(request.POST, request.FILES)
        if form.is_valid() and photo_form.is_valid():
            actor = actor_of(request.user)
            try:
                if matter is None:
                    matter = services.raise_matter(
                        actor=actor, community=form.cleaned_data["community"], **form.service_kwargs()
                    )
                else:
                    matter = services.update_matter(matter, actor=actor, **form.service_kwargs())
                attach_photos(matter, photo_form.cleaned_data["photos"], actor=actor)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "议题已保存。")
                return redirect("deliberation:matter_detail", matter.pk)
        return self.render_form(form, matter, photo_form)


class MatterDetailView(ScopedMixin, TemplateView):
    """The matter's whole history. A resident who raised it reads it too (restrict_self), without the actions."""

    model = Matter
    template_name = "deliberation/matter_detail.html"

    def get_permission(self):
        user = self.request.user
        return "matter.propose" if not user.has_role_perm("matter.view") else "matter.view"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        matter = self.get_scoped_object(
            self.scoped().select_related("community", "grid", "raised_by_resident", "created_by")
        )
        staff = user.has_role_perm("matter.view")
        manage = staff and services.can_manage(user, matter)
        today = timezone.localdate()
        tasks = list(matter.tasks.select_related("owner").order_by("status", "deadline", "id"))
        for t in tasks:
            t.is_late = t.is_overdue(today)
            t.can_complete = t.status == TaskStatus.OPEN and (manage or t.owner_id == user.pk)
        ctx.update(
            matter=matter,
            buildings=list(matter.buildings.order_by("number")),
            households=matter.households_in_scope().count(),
            staff=staff,
            manage=manage,
            photos=list(photos_of(matter)) if staff else [],
            publications=list(matter.publications.order_by("-starts_on", "-id")) if staff else [],
            tasks=tasks if staff else [],
            open_tasks=[t for t in tasks if t.status == TaskStatus.OPEN],
            today=today,
            history=list(services.timeline(matter)) if staff else [],
            panels=matter_panels(user, matter) if staff else [],
        )
        if manage:
            ctx.update(
                decline_form=ReasonForm(),
                move_form=MoveForm(choices=NEXT_STATUSES.get(matter.status, ())),
                close_form=NoteForm(auto_id="close_%s"),
                publication_form=PublicationForm(initial={"title": f"关于“{matter.title}”的公示"}),
                task_form=TaskForm(owners=services.task_owners(matter.community)),
                appeal_form=AppealForm(),
                problem_form=ProblemItemForm(lists=lists) if (lists := problem_lists(user, matter)).exists() else None,
                photo_form=PhotoForm(),
                can_move=matter.status in NEXT_STATUSES,
                can_act=matter.status in NEXT_STATUSES or matter.status == MatterStatus.PROPOSED,
            )
        return ctx


class _MatterActionView(ScopedMixin, View):
    """POST a button on the matter page; the service decides, refusals come back as messages on the page."""

    model = Matter
    action = "manage"
    form_class = NoteForm
    done = ""

    def form(self, matter):
        return self.form_class(self.request.POST, self.request.FILES)

    def run(self, matter, form, actor):  # pragma: no cover - each subclass says what it does
        raise NotImplementedError

    def post(self, request, pk):
        matter = self.get_scoped_object()
        form = self.form(matter)
        if not form.is_valid():
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, e)
            return redirect("deliberation:matter_detail", matter.pk)
        try:
            result = self.run(matter, form, actor_of(request.user))
        except ValidationError as exc:
            _messages(request, exc)
        else:
            messages.success(request, self.done)
            if hasattr(result, "get_absolute_url") and not isinstance(result, Matter):
                return redirect(result.get_absolute_url())
        return redirect("deliberation:matter_detail", matter.pk)


class MatterAcceptView(_MatterActionView):
    done = "议题已受理。"

    def run(self, matter, form, actor):
        services.accept_matter(matter, actor=actor)


class MatterDeclineView(_MatterActionView):
    form_class = ReasonForm
    done = "已不予立项。"

    def run(self, matter, form, actor):
        services.decline_matter(matter, actor=actor, reason=form.cleaned_data["reason"])


class MatterMoveView(_MatterActionView):
    form_class = MoveForm
    done = "议题状态已更新。"

    def form(self, matter):
        return MoveForm(self.request.POST, choices=NEXT_STATUSES.get(matter.status, ()))

    def run(self, matter, form, actor):
        services.move_matter(matter, actor=actor, status=form.cleaned_data["status"], note=form.cleaned_data["note"])


class MatterCloseView(_MatterActionView):
    done = "议题已办结。"

    def run(self, matter, form, actor):
        services.close_matter(matter, actor=actor, note=form.cleaned_data["note"])


class MatterPhotoView(_MatterActionView):
    form_class = PhotoForm
    done = "附件已添加。"

    def run(self, matter, form, actor):
        if not form.cleaned_data["photos"]:
            raise ValidationError("请选择照片。")
        attach_photos(matter, form.cleaned_data["photos"], actor=actor)


class PublicationAddView(_MatterActionView):
    form_class = PublicationForm
    done = "公示已发布。"

    def run(self, matter, form, actor):
        d = form.cleaned_data
        return services.publish(actor, matter, d["title"], d["body"], d["days"])


class TaskAddView(_MatterActionView):
    form_class = TaskForm
    done = "落实任务已布置，负责人会收到消息。"

    def form(self, matter):
        return TaskForm(self.request.POST, owners=services.task_owners(matter.community))

    def run(self, matter, form, actor):
        d = form.cleaned_data
        services.add_task(
            matter, actor=actor, title=d["title"], owner=d["owner"], deadline=d["deadline"], note=d["note"]
        )


class MatterAppealView(_MatterActionView):
    form_class = AppealForm
    done = "已生成诉求，等待派单。"

    def run(self, matter, form, actor):
        services.appeal_from_matter(matter, actor=actor, text=form.cleaned_data["text"])


def problem_lists(user, matter):
    """The community's problem lists the user may add items to (none without problem.manage)."""
    from linli.appeals.models import ProblemList

    return (
        ProblemList.objects.restrict(user, "manage").filter(community_id=matter.community_id).order_by("-year", "name")
    )


class MatterProblemView(_MatterActionView):
    form_class = ProblemItemForm
    done = "已列入问题清单。"

    def form(self, matter):
        return ProblemItemForm(self.request.POST, lists=problem_lists(self.request.user, matter))

    def run(self, matter, form, actor):
        d = form.cleaned_data
        services.problem_item_from_matter(
            matter, actor=actor, problem_list=d["problem_list"], title=d["title"], due_on=d["due_on"]
        )


class TaskDoneView(LoginRequiredMixin, View):
    """The task's owner, or whoever manages the matter, marks it done."""

    def post(self, request, pk):
        require_perm(request.user, "matter.view")
        matters = Matter.objects.restrict(request.user, "view")
        task = FollowUpTask.objects.filter(pk=pk, matter__in=matters).select_related("matter").first()
        if task is None:
            raise Http404("找不到这项任务。")
        form = NoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            services.complete_task(task, actor=actor_of(request.user), note=note)
        except ValidationError as exc:
            _messages(request, exc)
        else:
            messages.success(request, "任务已完成。")
        return redirect("deliberation:matter_detail", task.matter_id)


class TurnIntoMatterView(LoginRequiredMixin, View):
    """转为议题: one POST from an appeal, a diary note or a problem-list item; the matter page opens."""

    def post(self, request, kind, pk):
        require_perm(request.user, "matter.add")
        if kind not in TurnSource.values:
            raise Http404("没有这种来源。")
        obj = services.source_object(kind, pk, request.user)
        existing = services.matter_from(kind, obj.pk)
        if existing is not None and Matter.objects.restrict(request.user).filter(pk=existing.pk).exists():
            messages.info(request, "这条记录已经转成议题了。")
            return redirect("deliberation:matter_detail", existing.pk)
        try:
            matter = services.turn_into_matter(actor_of(request.user), kind, obj)
        except ValidationError as exc:
            _messages(request, exc)
            return redirect(request.POST.get("back") if _safe(request.POST.get("back")) else "deliberation:matter_list")
        messages.success(request, "已转为议题，请补充说明和范围。")
        return redirect("deliberation:matter_detail", matter.pk)


def _safe(url) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//")


class ProposeView(LoginRequiredMixin, View):
    """A resident proposes a matter from their own page (large type), and sees their proposals and their status."""

    template_name = "deliberation/propose.html"

    def mine(self):
        return Matter.objects.restrict(self.request.user).order_by("-created_at")[:20]

    def render_form(self, form):
        user = self.request.user
        resident = getattr(user, "resident", None)
        building = resident.household.building if resident is not None and resident.household_id else None
        return render(self.request, self.template_name, {"form": form, "mine": self.mine(), "building": building})

    def get(self, request):
        require_perm(request.user, "matter.propose")
        return self.render_form(ProposalForm())

    def post(self, request):
        require_perm(request.user, "matter.propose")
        form = ProposalForm(request.POST)
        if form.is_valid():
            try:
                services.propose_matter(actor=actor_of(request.user), **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "您的提议已提交，社区受理后会告诉您。")
                return redirect("deliberation:matter_propose")
        return self.render_form(form)
