"""帮扶台账 pages: the assistance ledger (AssistanceFilterSet) with its export, recording assistance, a household's
assistance history, the yearly table per care group (CareTableFilterSet: "今年未获帮扶" is received=no) with its
export, and the figures per grid with theirs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
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
from linli.party.models import Pairing
from linli.support import services
from linli.support.excel import care_headers, write_assistance, write_care_table, write_grid_figures
from linli.support.figures import SOURCES, care_rows, care_table_url, grid_figures, in_need, scoped_households
from linli.support.filtersets import AssistanceFilterSet, CareTableFilterSet
from linli.support.forms import AssistanceForm
from linli.support.models import Assistance, HelpPairing
from linli.support.views_directory import filtered


class AssistanceMixin(ScopedMixin):
    model = Assistance
    permission = "support.view"


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


class AssistanceListView(AssistanceMixin, TemplateView):
    template_name = "support/assistance_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = self.scoped().select_related("household__building", "organisation", "community")
        filterset = AssistanceFilterSet(self.request.GET or None, rows, user=user)
        rows = filtered(filterset)
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=paginate(self.request, rows.order_by("-given_on", "-id"), 50),
            money=rows.aggregate(total=Sum("amount"))["total"],
            can_add=user.has_role_perm("support.add"),
            can_export=user.has_role_perm("support.export"),
            year=filterset.chosen_year(),
        )
        return ctx


class AssistanceExportView(AssistanceMixin, View):
    permission = "support.export"

    def get(self, request):
        user = request.user
        filterset = AssistanceFilterSet(request.GET, self.scoped("export"), user=user)
        if not filterset.is_valid():
            messages.error(request, "筛选条件有误：" + "；".join(error_list(filterset)))
            return redirect("support:assistance_list")
        rows = filterset.qs.select_related("household__building", "organisation", "community").order_by("-given_on")
        filters = cleaned_filters(filterset)
        return xlsx_download(
            lambda out: write_assistance(rows, user=user, out=out, filters=filters),
            f"帮扶记录_{_stamp()}.xlsx",
            f"support_assistance_{_stamp()}.xlsx",
        )


class AssistanceAddView(AssistanceMixin, View):
    permission = "support.add"
    template_name = "support/assistance_form.html"

    def get(self, request):
        form = AssistanceForm(user=request.user, initial={"household": parse_id(request.GET.get("household"))})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = AssistanceForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            household = data.pop("household")
            try:
                services.record_assistance(household, actor=actor_of(request.user), **data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记：{household} {data['description']}")
                return redirect("support:household_history", household.pk)
        return render(request, self.template_name, {"form": form})


class HouseholdHistoryView(AssistanceMixin, TemplateView):
    """A household's assistance history (every year) and its pairings, party members' and other helpers'."""

    template_name = "support/household_history.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        household = scoped_households(user).select_related("building__community").filter(pk=self.kwargs["pk"]).first()
        if household is None:
            raise Http404("找不到这一户，或不在您的管辖范围内。")
        records = self.scoped().filter(household=household).select_related("organisation")
        ctx.update(
            household=household,
            records=records.order_by("-given_on", "-id"),
            money=records.aggregate(total=Sum("amount"))["total"],
            help_pairings=HelpPairing.objects.restrict(user)
            .filter(household=household)
            .select_related("volunteer", "organisation")
            .order_by("ended_on", "-started_on"),
            party_pairings=Pairing.objects.filter(household=household).select_related("member").order_by("-started_on"),
            can_add=user.has_role_perm("support.add"),
        )
        return ctx


class CareTableView(AssistanceMixin, TemplateView):
    """帮扶年度表: one row per household in need, the year's assistance by source and its pairings."""

    template_name = "support/care_table.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        base = in_need(scoped_households(user), user=user).select_related("building")
        filterset = CareTableFilterSet(self.request.GET or None, base, user=user)
        year = filterset.chosen_year()
        rows = filtered(filterset).order_by("building__number", "entrance", "room", "pk")
        # Unfiltered (the page people open first): a street's count may come from the planner's estimate.
        unfiltered = not any(self.request.GET.get(k) for k in filterset.filters if k != "year")
        page = paginate(self.request, rows, 50, estimate=unfiltered)
        page.object_list = care_rows(page.object_list, year, user)
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=page,
            year=year,
            sources=SOURCES,
            headers=care_headers(),
            nothing_url=care_table_url(year, received="no"),
            can_export=user.has_role_perm("support.export"),
        )
        return ctx


class CareExportView(AssistanceMixin, View):
    permission = "support.export"

    def get(self, request):
        user = request.user
        base = in_need(scoped_households(user, "support.export"), user=user).select_related("building")
        filterset = CareTableFilterSet(request.GET, base, user=user)
        if not filterset.is_valid():
            messages.error(request, "筛选条件有误：" + "；".join(error_list(filterset)))
            return redirect("support:care_table")
        year = filterset.chosen_year()
        households = filterset.qs.order_by("building__number", "entrance", "room", "pk")
        filters = cleaned_filters(filterset) | {"year": year}
        return xlsx_download(
            lambda out: write_care_table(care_rows(households, year, user), year, user=user, out=out, filters=filters),
            f"帮扶年度表_{year}_{_stamp()}.xlsx",
            f"support_care_{year}_{_stamp()}.xlsx",
        )


def _year(request) -> int:
    from linli.core.params import parse_int

    return parse_int(request.GET.get("year"), minimum=2000, maximum=2100) or timezone.localdate().year


class GridFiguresView(AssistanceMixin, TemplateView):
    """Per grid: households in need, paired (party or help pairing), assisted this year, nothing this year."""

    template_name = "support/grid_figures.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year(self.request)
        rows, total = grid_figures(self.request.user, year)
        ctx.update(
            rows=rows,
            total=total,
            year=year,
            can_export=self.request.user.has_role_perm("support.export"),
        )
        return ctx


class GridExportView(AssistanceMixin, View):
    permission = "support.export"

    def get(self, request):
        user = request.user
        year = _year(request)
        rows, total = grid_figures(user, year)
        return xlsx_download(
            lambda out: write_grid_figures(rows, total, year, user=user, out=out),
            f"网格帮扶统计_{year}_{_stamp()}.xlsx",
            f"support_grids_{year}_{_stamp()}.xlsx",
        )
