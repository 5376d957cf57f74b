"""预约: the appointment list with its export, booking by staff for a resident or a visitor, booking by a resident
for themself (hall.book_self), one appointment and its status at the counter."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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
from linli.hall.choices import APPOINTMENT_MOVES, AppointmentStatus
from linli.hall.excel import write_appointments_xlsx
from linli.hall.filtersets import AppointmentFilterSet
from linli.hall.forms import AppointmentForm
from linli.hall.models import Appointment, Counter, ServiceMatter


class AppointmentListView(ScopedMixin, TemplateView):
    model = Appointment
    template_name = "hall/appointment_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = self.scoped().select_related("counter", "matter", "community")
        filterset = AppointmentFilterSet(self.request.GET or None, rows, user=user)
        rows = filterset.qs if filterset.is_valid() else filterset.queryset
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=paginate(self.request, rows.order_by("-starts_at", "counter_id", "id")),
            can_serve=user.has_role_perm("hall.serve"),
            can_export=user.has_role_perm("hall.export"),
        )
        return ctx


class AppointmentExportView(ScopedMixin, View):
    model = Appointment
    action = "export"

    def get(self, request):
        rows = self.scoped().select_related("counter", "matter", "community")
        filterset = AppointmentFilterSet(request.GET, rows, user=request.user)
        if not filterset.is_valid():
            messages.error(request, "筛选条件有误：" + "；".join(error_list(filterset)))
            return redirect("hall:appointment_list")
        rows = list(filterset.qs.order_by("starts_at", "counter_id", "id"))
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_download(
            lambda out: write_appointments_xlsx(rows, user=request.user, out=out, filters=cleaned_filters(filterset)),
            f"便民服务预约_{stamp}.xlsx",
            f"hall_appointments_{stamp}.xlsx",
        )


class AppointmentAddView(ScopedMixin, View):
    """预约 by staff (hall.serve) for a resident (?resident=) or a named visitor; or, with `self_booking`, by a
    resident for themself at a counter of their own community."""

    model = Appointment
    action = "serve"
    self_booking = False
    template_name = "hall/appointment_form.html"

    def get_permission(self):
        return "hall.book_self" if self.self_booking else "hall.serve"

    def choices(self):
        user = self.request.user
        if self.self_booking:
            if not user.resident_id:
                raise PermissionDenied("您的账号没有关联居民信息。")
            community_id = user.resident.community_id
            counters = Counter.objects.filter(community_id=community_id)
            matters = ServiceMatter.objects.filter(community_id=community_id).published()
        else:
            counters = Counter.objects.restrict(user, "serve")
            matters = ServiceMatter.objects.restrict(user, "serve")
        return counters.active().order_by("sort", "name"), matters.order_by("sort", "name")

    def resident(self):
        from linli.residents.models import Resident

        if self.self_booking:
            return None
        rid = parse_id(self.request.POST.get("resident") or self.request.GET.get("resident"))
        return Resident.objects.restrict(self.request.user).filter(pk=rid).first() if rid else None

    def render_form(self, form, resident):
        ctx = {"form": form, "resident": resident, "self_booking": self.self_booking}
        return render(self.request, self.template_name, ctx)

    def get(self, request):
        counters, matters = self.choices()
        initial = {"counter": request.GET.get("counter", ""), "day": request.GET.get("day", ""),
                   "matter": request.GET.get("matter", "")}  # fmt: skip
        if not parse_id(initial["counter"]) and counters.exists():
            initial["counter"] = counters.first().pk
        if not initial["day"]:
            initial["day"] = timezone.localdate().isoformat()
        form = AppointmentForm(initial=initial, counters=counters, matters=matters, self_booking=self.self_booking)
        return self.render_form(form, self.resident())

    def post(self, request):
        counters, matters = self.choices()
        form = AppointmentForm(request.POST, counters=counters, matters=matters, self_booking=self.self_booking)
        resident = self.resident()
        if "show_slots" not in request.POST and form.is_valid():
            data = form.cleaned_data
            try:
                appointment = services.book_appointment(
                    counter=data["counter"],
                    matter=data["matter"],
                    starts_at=form.starts_at(),
                    actor=actor_of(request.user),
                    resident=resident,
                    name=data.get("name", ""),
                    phone=data.get("phone", ""),
                    note=data["note"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"预约成功：{appointment}")
                return redirect(appointment)
        elif "show_slots" in request.POST:
            form.errors.clear()
        return self.render_form(form, resident)


class AppointmentDetailView(ScopedMixin, TemplateView):
    model = Appointment
    template_name = "hall/appointment_detail.html"

    def get_permission(self):
        user = self.request.user
        return "hall.view" if user.has_role_perm("hall.view") else "hall.book_self"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        appointment = self.get_scoped_object(self.scoped().select_related("counter", "matter", "community"))
        serving = Appointment.objects.restrict(user, "serve").filter(pk=appointment.pk).exists()
        moves = APPOINTMENT_MOVES.get(appointment.status, ())
        if not serving:
            moves = [m for m in moves if m == AppointmentStatus.CANCELLED and appointment.starts_at > timezone.now()]
        ctx.update(appointment=appointment, moves=[AppointmentStatus(m) for m in moves])
        return ctx


class AppointmentStatusView(ScopedMixin, View):
    """已到 / 已办结 / 未到 / 已取消 (POST); a resident cancels their own booking here too."""

    model = Appointment

    def get_permission(self):
        user = self.request.user
        return "hall.serve" if user.has_role_perm("hall.serve") else "hall.book_self"

    def post(self, request, pk):
        user = request.user
        action = "serve" if user.has_role_perm("hall.serve") else "book_self"
        appointment = self.get_scoped_object(action=action)
        status = request.POST.get("status", "")
        if status not in AppointmentStatus.values:
            messages.error(request, "请选择预约的状态。")
        else:
            try:
                services.set_appointment_status(appointment, status, actor=actor_of(user))
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, f"预约已改为“{AppointmentStatus(status).label}”。")
        return redirect(appointment)
