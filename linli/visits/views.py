"""Visit pages: today's worklist, the visit form, the secretary's alerts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.core import shell
from linli.core.audit import actor_of
from linli.core.context_processors import DRAFT_CLEAR_SESSION_KEY
from linli.core.forms import attach_errors
from linli.core.selection import BulkActionView, all_in_scope
from linli.core.views import ScopedMixin, paginate
from linli.residents.models import Resident
from linli.visits import services
from linli.visits.choices import Wellbeing
from linli.visits.forms import VisitForm
from linli.visits.models import Visit, VisitAlert
from linli.visits.overdue import Worklist
from linli.visits.rows import worklist_rows

#: Session key: the draft (see linli.js data-draft) the next page should clear after a successful save.


def visit_draft_key(user, resident) -> str:
    """The browser-side draft of one user's visit form for one resident (shared phones keep drafts apart)."""
    return f"visit-{user.pk}-{resident.pk}"


#: Residents on one page of 今日走访.
WORKLIST_PAGE = 50


class WorklistView(ScopedMixin, TemplateView):
    """今日走访: what a grid worker walks today, building by building, floor by floor."""

    model = Visit
    template_name = "visits/worklist.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        # 50 a page, as the other lists: each row is a tall card with its own button on a phone.
        page = paginate(self.request, Worklist(user, today), WORKLIST_PAGE)
        sensitive_ok = user.has_role_perm("resident.view_sensitive")
        for resident in page:
            resident.days_overdue = (today - resident.visit_due_on).days if resident.visit_due_on else None
            # The reason: the care groups that set an interval (sensitive ones only for roles that may see them).
            resident.groups = [
                t
                for t in resident.tags.all()
                if t.is_active and t.visit_interval_days and (sensitive_ok or not t.sensitive)
            ]
        can_log = user.has_role_perm("visit.add")
        ctx.update(
            today=today,
            page=page,
            rows_html=worklist_rows(page.object_list, user=user, can_log=can_log),  # linli/visits/rows.py
            can_log=can_log,
            can_see_alerts=user.has_role_perm("visit.alerts"),
            # Door-to-door work of other apps (a notice to tell in person, a campaign's targets): linli.core.shell.
            other_parts=shell.registry.worklist_parts_for(user, today),
        )
        return ctx


class VisitLogView(ScopedMixin, View):
    """The light visit form; a failed submission comes back with everything that was typed."""

    model = Visit
    action = "add"
    template_name = "visits/visit_form.html"

    def get_resident(self):
        return self.get_scoped_object(
            Resident.objects.restrict(self.request.user).select_related("household", "building")
        )

    def render_form(self, form, resident, photos_dropped=False):
        ctx = {
            "form": form,
            "resident": resident,
            "draft_key": visit_draft_key(self.request.user, resident),
            "photos_dropped": photos_dropped,
        }
        return render(self.request, self.template_name, ctx)

    def get(self, request, pk):
        return self.render_form(VisitForm(user=request.user), self.get_resident())

    def post(self, request, pk):
        resident = self.get_resident()
        form = VisitForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                visit = services.log_visit(resident, actor=actor_of(request.user), **form.service_kwargs())
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                n = len(form.cleaned_data.get("photos") or ())
                messages.success(request, f"已记录对{resident.name}的走访" + (f"，附照片{n}张。" if n else "。"))
                if visit.wellbeing == Wellbeing.URGENT:
                    messages.warning(request, f"已立即提醒社区书记：{resident.name}情况紧急，处理前排在今日走访最前。")
                # The next page tells linli.js to drop the browser's draft of this form: only a page
                # that confirms the save may clear it (a lost response keeps the draft).
                request.session[DRAFT_CLEAR_SESSION_KEY] = visit_draft_key(request.user, resident)
                if form.cleaned_data.get("to_appeal") and visit.need:
                    # "A need found on a visit becomes an appeal in one step": the intake screen, prefilled.
                    messages.info(request, "请核对诉求内容、选择问题类别后登记。")
                    return redirect(f"{reverse('appeals:appeal_add')}?visit={visit.pk}")
                return redirect("visits:worklist")
        # A browser never refills a file input: say so when photos were sent with a refused form.
        return self.render_form(form, resident, photos_dropped=bool(request.FILES))


class AlertListView(ScopedMixin, TemplateView):
    """走访提醒 for secretaries and street administrators: unresolved first."""

    model = VisitAlert
    action = "alerts"
    template_name = "visits/alert_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        alerts = (
            self.scoped()
            .unresolved()
            .select_related("resident__household", "resident__building", "resident__grid", "visit__visitor")
            .prefetch_related("resident__emergency_contacts")
            .order_by("-created_at", "-id")
        )
        ctx["page"] = paginate(self.request, alerts, 50)
        return ctx


class AlertBulkResolveView(ScopedMixin, BulkActionView, View):
    """批量标为已处理 for the alerts ticked in the list (all of them in scope, or nothing changes)."""

    model = VisitAlert
    action = "alerts"
    list_url_name = "visits:alert_list"
    title = "批量处理走访提醒"
    confirm_label = "确认标为已处理"

    def clean(self, data):
        return {}

    def rows(self, ids):
        related = self.scoped().select_related("resident__household", "resident__building")
        return all_in_scope(related, ids, "条提醒")

    def describe(self, a):
        r = a.resident
        return f"{r.name}（{r.building.name}{r.household.entrance}单元{r.household.room}）：{a.get_reason_display()}"

    def question(self, rows, params):
        return f"确认将 {len(rows)} 条走访提醒标为已处理？"

    def perform(self, rows, params):
        changed = services.resolve_alerts([a.pk for a in rows], actor=actor_of(self.request.user))
        skipped = len(rows) - changed
        return f"已将 {changed} 条走访提醒标为已处理{f'（{skipped} 条此前已处理）' if skipped else ''}。"


class AlertResolveView(ScopedMixin, View):
    model = VisitAlert
    action = "alerts"

    def post(self, request, pk):
        alert = self.get_scoped_object()
        services.resolve_alert(alert, actor=actor_of(request.user))
        messages.success(request, f"已将“{alert}”标为已处理。")
        return redirect("visits:alert_list")
