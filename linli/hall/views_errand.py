"""代办/帮办: the list (overdue first to see) with its export, recording one for a resident (from the resident's page:
?resident=), one errand with its dated events, a step, and the result handed back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.core.audit import actor_of
from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.views import ScopedMixin, paginate
from linli.hall import services
from linli.hall.excel import write_errands_xlsx
from linli.hall.filtersets import ErrandFilterSet
from linli.hall.forms import ErrandForm, ErrandStepForm, HandBackForm
from linli.hall.models import Errand, ServiceMatter


class ErrandListView(ScopedMixin, TemplateView):
    model = Errand
    template_name = "hall/errand_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = self.scoped().select_related("resident", "matter", "community")
        filterset = ErrandFilterSet(self.request.GET or None, rows, user=user)
        rows = filterset.qs if filterset.is_valid() else filterset.queryset
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=paginate(self.request, rows.order_by("-accepted_on", "-id")),
            today=timezone.localdate(),
            overdue=self.scoped().overdue(timezone.localdate()).count(),
            can_export=user.has_role_perm("hall.export"),
        )
        return ctx


class ErrandExportView(ScopedMixin, View):
    model = Errand
    action = "export"

    def get(self, request):
        rows = self.scoped().select_related("resident", "matter", "community", "handled_by")
        filterset = ErrandFilterSet(request.GET, rows, user=request.user)
        if not filterset.is_valid():
            messages.error(request, "筛选条件有误：" + "；".join(error_list(filterset)))
            return redirect("hall:errand_list")
        rows = list(filterset.qs.order_by("accepted_on", "id"))
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_download(
            lambda out: write_errands_xlsx(rows, user=request.user, out=out, filters=cleaned_filters(filterset)),
            f"代办帮办记录_{stamp}.xlsx",
            f"hall_errands_{stamp}.xlsx",
        )


class ErrandAddView(ScopedMixin, View):
    """受理代办 for a resident chosen on their page (?resident=<id>): grid workers for their grid's residents."""

    model = Errand
    action = "errand"
    template_name = "hall/errand_form.html"

    def resident(self):
        from linli.residents.models import Resident

        rid = parse_id(self.request.GET.get("resident") or self.request.POST.get("resident"))
        resident = Resident.objects.restrict(self.request.user).filter(pk=rid).first() if rid else None
        if resident is None:
            raise Http404("请从居民页面进入，为这位居民登记代办。")
        return resident

    def form(self, resident, data=None):
        matters = ServiceMatter.objects.filter(community_id=resident.community_id).order_by("sort", "name")
        return ErrandForm(data, matters=matters)

    def get(self, request):
        if not request.GET.get("resident"):
            messages.info(request, "请在居民页面点“登记代办”，为这位居民受理。")
            return redirect("residents:resident_list")
        resident = self.resident()
        return render(request, self.template_name, {"form": self.form(resident), "resident": resident})

    def post(self, request):
        resident = self.resident()
        form = self.form(resident, request.POST)
        if form.is_valid():
            try:
                errand = services.record_errand(resident=resident, actor=actor_of(request.user), **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已受理代办：{errand}，办结期限 {errand.due_on:%Y-%m-%d}")
                return redirect(errand)
        return render(request, self.template_name, {"form": form, "resident": resident})


class ErrandDetailView(ScopedMixin, TemplateView):
    model = Errand
    template_name = "hall/errand_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        errand = self.get_scoped_object(self.scoped().select_related("resident", "matter", "community", "handled_by"))
        can_act = Errand.objects.restrict(self.request.user, "errand").filter(pk=errand.pk).exists()
        ctx.update(
            errand=errand,
            events=errand.events.select_related("by"),
            overdue=errand.is_overdue(),
            can_act=can_act,
            step_form=ErrandStepForm(errand=errand),
            hand_form=HandBackForm(),
        )
        return ctx


class ErrandActionView(ScopedMixin, View):
    """A POST on one errand: its form, the service it calls, what to say either way."""

    model = Errand
    action = "errand"
    done = failed = ""

    def build_form(self, errand):  # pragma: no cover - each subclass has its form
        raise NotImplementedError

    def apply(self, errand, actor, data):  # pragma: no cover - each subclass calls its service
        raise NotImplementedError

    def post(self, request, pk):
        errand = self.get_scoped_object()
        form = self.build_form(errand)
        if form.is_valid():
            try:
                self.apply(errand, actor_of(request.user), form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, self.done)
                return redirect(errand)
        messages.error(request, self.failed + "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(errand)


class ErrandStepView(ErrandActionView):
    """A step (POST): 办理中 / 已提交上级 / 已办结 / 已退回 with its date and note."""

    done, failed = "已记录进展。", "未能记录进展："

    def build_form(self, errand):
        return ErrandStepForm(self.request.POST, errand=errand)

    def apply(self, errand, actor, data):
        services.advance_errand(errand, actor=actor, **data)


class ErrandHandBackView(ErrandActionView):
    """结果交还 (POST): to whom and when."""

    done, failed = "已登记结果交还。", "未能登记交还："

    def build_form(self, errand):
        return HandBackForm(self.request.POST)

    def apply(self, errand, actor, data):
        services.hand_back(errand, actor=actor, **data)
