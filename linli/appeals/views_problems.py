"""问题清单 pages: the lists of a user's area with their progress, one list with its numbered items,
and the manager's edits (create a list, add and edit items, link appeals, mark solved)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from linli.appeals import services_problems as problems
from linli.appeals.choices import ProblemItemStatus
from linli.appeals.forms_directory import LinkAppealForm, ProblemItemForm, ProblemListForm
from linli.appeals.models import Appeal, ProblemItem, ProblemList
from linli.core.audit import actor_of
from linli.core.forms import attach_errors
from linli.core.params import parse_int
from linli.core.querysets import require_perm


class _Perm(LoginRequiredMixin, View):
    permission = "problem.view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_perm(request.user, self.permission)
        return super().dispatch(request, *args, **kwargs)

    def get_list(self, pk, action="view") -> ProblemList:
        return get_object_or_404(problems.lists_for(self.request.user, action).select_related("community"), pk=pk)

    def get_item(self, pk, action="manage") -> ProblemItem:
        lists = problems.lists_for(self.request.user, action)
        return get_object_or_404(
            ProblemItem.objects.filter(problem_list__in=lists).select_related("problem_list"), pk=pk
        )


def _with_progress(qs):
    from django.utils import timezone

    overdue = Q(items__due_on__lt=timezone.localdate()) & ~Q(items__status=ProblemItemStatus.SOLVED)
    return qs.annotate(
        n_items=Count("items", distinct=True),
        n_solved=Count("items", filter=Q(items__status=ProblemItemStatus.SOLVED), distinct=True),
        n_overdue=Count("items", filter=overdue, distinct=True),
    )


class ProblemListIndexView(_Perm):
    def get(self, request):
        lists = _with_progress(problems.lists_for(request.user).select_related("community"))
        year = request.GET.get("year", "")
        if (number := parse_int(year, minimum=1, maximum=9999)) is not None:
            lists = lists.filter(year=number)
        return render(
            request,
            "appeals/problem_lists.html",
            {"lists": lists, "can_manage": request.user.has_role_perm("problem.manage"), "year": year},
        )


class ProblemListEditView(_Perm):
    permission = "problem.manage"

    def form(self, obj, data=None):
        initial = {}
        if obj is not None:
            initial = {"name": obj.name, "year": obj.year, "community": obj.community, "description": obj.description}
        return ProblemListForm(data, initial=initial, communities=problems.communities_for(self.request.user))

    def get_object(self):
        return self.get_list(self.kwargs["pk"], "manage") if "pk" in self.kwargs else None

    def render_form(self, form, obj):
        return render(self.request, "appeals/problem_list_form.html", {"form": form, "object": obj})

    def get(self, request, pk=None):
        obj = self.get_object()
        return self.render_form(self.form(obj), obj)

    def post(self, request, pk=None):
        obj = self.get_object()
        form = self.form(obj, request.POST)
        if form.is_valid():
            try:
                if obj is None:
                    obj = problems.create_list(actor=actor_of(request.user), **form.cleaned_data)
                else:
                    obj = problems.update_list(obj, actor=actor_of(request.user), **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"问题清单“{obj.name}”已保存。")
                return redirect("appeals:problem_list_detail", obj.pk)
        return self.render_form(form, obj)


class ProblemListDetailView(_Perm):
    def get(self, request, pk):
        problem_list = self.get_list(pk)
        user = request.user
        appeals = Appeal.objects.select_related("category").order_by("received_at")
        items = list(problem_list.items.select_related("unit").prefetch_related(Prefetch("appeals", queryset=appeals)))
        linked = {a.pk for item in items for a in item.appeals.all()}
        visible = set(Appeal.objects.restrict(user).filter(pk__in=linked).values_list("pk", flat=True))
        can_manage = problems.lists_for(user, "manage").filter(pk=problem_list.pk).exists()
        rows = [
            {
                "item": item,
                "appeals": [(a, a.pk in visible) for a in item.appeals.all()],
                "can_solve": can_manage
                and item.status != ProblemItemStatus.SOLVED
                and problems.all_linked_solved(item),
            }
            for item in items
        ]
        return render(
            request,
            "appeals/problem_list_detail.html",
            {
                "problem_list": problem_list,
                "rows": rows,
                "progress": problems.progress(problem_list),
                "can_manage": can_manage,
                "link_form": LinkAppealForm(),
            },
        )


class ProblemItemEditView(_Perm):
    """Add an item to a list (list_pk) or edit one (pk)."""

    permission = "problem.manage"

    def render_form(self, form, problem_list, item):
        ctx = {"form": form, "problem_list": problem_list, "item": item}
        return render(self.request, "appeals/problem_item_form.html", ctx)

    def objects(self):
        if "pk" in self.kwargs:
            item = self.get_item(self.kwargs["pk"])
            return item.problem_list, item
        return self.get_list(self.kwargs["list_pk"], "manage"), None

    def get(self, request, **kwargs):
        problem_list, item = self.objects()
        initial = {}
        if item:
            initial = {
                "title": item.title,
                "status": item.status,
                "note": item.note,
                "unit": item.unit_id,
                "due_on": item.due_on,
            }
        return self.render_form(ProblemItemForm(initial=initial), problem_list, item)

    def post(self, request, **kwargs):
        problem_list, item = self.objects()
        form = ProblemItemForm(request.POST)
        if form.is_valid():
            try:
                if item is None:
                    item = problems.add_item(problem_list, actor=actor_of(request.user), **form.cleaned_data)
                else:
                    item = problems.update_item(item, actor=actor_of(request.user), **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"第{item.number}项已保存。")
                return redirect(_item_url(item))
        return self.render_form(form, problem_list, item)


def _item_url(item) -> str:
    from django.urls import reverse

    return reverse("appeals:problem_list_detail", args=[item.problem_list_id]) + f"#item-{item.number}"


class ProblemItemLinkView(_Perm):
    permission = "problem.manage"

    def post(self, request, pk):
        item = self.get_item(pk)
        form = LinkAppealForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写诉求编号。")
            return redirect(_item_url(item))
        try:
            appeal = problems.find_appeal(item, request.user, form.cleaned_data["appeal"])
            problems.link_appeal(item, appeal, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已把诉求{appeal.number or appeal.pk}关联到第{item.number}项。")
        return redirect(_item_url(item))


class ProblemItemUnlinkView(_Perm):
    permission = "problem.manage"

    def post(self, request, pk, appeal_pk):
        item = self.get_item(pk)
        appeal = get_object_or_404(item.appeals.all(), pk=appeal_pk)
        try:
            problems.unlink_appeal(item, appeal, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已取消关联诉求{appeal.number or appeal.pk}。")
        return redirect(_item_url(item))


class ProblemItemSolveView(_Perm):
    permission = "problem.manage"

    def post(self, request, pk):
        item = self.get_item(pk)
        try:
            problems.mark_solved(item, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"第{item.number}项已标记为已解决。")
        return redirect(_item_url(item))
