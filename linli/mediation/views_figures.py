"""调解统计 (anonymous counts, for every role with mediation.view) and the register export (the cases the user
may read in full, phones masked, logged in the export log)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.excel.exports import record_export
from linli.core.querysets import require_perm
from linli.mediation import services
from linli.mediation.choices import ExportKind
from linli.mediation.excel import register_xlsx
from linli.mediation.figures import figures_for
from linli.mediation.filtersets import CaseFilterSet
from linli.mediation.models import Case


class FiguresView(LoginRequiredMixin, TemplateView):
    template_name = "mediation/figures.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_perm(request.user, "mediation.view")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["f"] = figures_for(self.request.user, timezone.localdate())
        return ctx


class RegisterExportView(LoginRequiredMixin, View):
    """人民调解案件登记簿: only the cases the user may read in full (supervisors, a mediator their own)."""

    def get(self, request):
        user = request.user
        if not (user.is_superuser or user.has_role_perm("mediation.supervise") or services.is_mediator(user)):
            raise PermissionDenied("您的角色没有这项权限。")
        data = request.GET.copy()
        filterset = CaseFilterSet(data, Case.objects.restrict(user), request=request)
        cases = list(
            filterset.qs.select_related("community", "room")
            .prefetch_related("parties", "mediators")
            .order_by("received_on", "id")
        )
        response = xlsx_download(
            lambda out: register_xlsx(cases, out), "人民调解案件登记簿.xlsx", "mediation-register.xlsx"
        )
        record_export(user, ExportKind.REGISTER, row_count=len(cases), filters=cleaned_filters(filterset))
        return response
