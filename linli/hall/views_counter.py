"""The hall itself: its overview, the counters (the staff's phone page: take a number, call the next, serve, done,
skip), the walk-in ticket list with its export, and the 叫号屏 (public by community code: numbers only, no names,
refreshed by htmx polling)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Community
from linli.core.audit import actor_of
from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.views import ScopedMixin, paginate
from linli.hall import services
from linli.hall.choices import AppointmentStatus, TicketStatus
from linli.hall.excel import write_tickets_xlsx
from linli.hall.filtersets import TicketFilterSet
from linli.hall.forms import CounterForm
from linli.hall.home import hall_figures
from linli.hall.models import Counter, ServiceMatter, Ticket

SCREEN_NEXT = 5


def queue_of(counters, day) -> list[dict]:
    """For each counter: the number now called (or being served) and the next waiting numbers."""
    tickets = Ticket.objects.filter(counter__in=counters, day=day).select_related("counter").order_by("number")
    rows = {c.pk: {"counter": c, "current": None, "waiting": [], "waiting_count": 0} for c in counters}
    for ticket in tickets:
        row = rows[ticket.counter_id]
        if ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING):
            row["current"] = ticket
        elif ticket.status == TicketStatus.WAITING:
            row["waiting_count"] += 1
            if len(row["waiting"]) < SCREEN_NEXT:
                row["waiting"].append(ticket)
    return list(rows.values())


class HallHomeView(ScopedMixin, TemplateView):
    """便民服务大厅: today's counters and queues, today's appointments, open and overdue 代办."""

    model = Counter
    template_name = "hall/hall_home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        counters = list(self.scoped().active().select_related("community"))
        ctx.update(
            today=today,
            queues=queue_of(counters, today),
            figures=hall_figures(user, today),
            can_serve=user.has_role_perm("hall.serve"),
            communities={c.community for c in counters},
        )
        return ctx


class CounterListView(ScopedMixin, TemplateView):
    model = Counter
    template_name = "hall/counter_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = self.scoped().select_related("community").prefetch_related("matters")
        ctx.update(counters=rows, can_manage=self.request.user.has_role_perm("hall.manage"))
        return ctx


class CounterDetailView(ScopedMixin, TemplateView):
    """A counter's phone page: today's queue, the number now called, and the buttons of the staff at the counter."""

    model = Counter
    template_name = "hall/counter_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        counter = self.get_scoped_object(self.scoped().select_related("community"))
        today = timezone.localdate()
        appointments = counter.appointments.filter(starts_at__date=today).select_related("matter")
        ctx.update(
            counter=counter,
            queue=queue_of([counter], today)[0],
            appointments=appointments.exclude(status=AppointmentStatus.CANCELLED),
            matters=counter.matters.all(),
            slots=services.free_slots(counter, today),
            can_serve=Counter.objects.restrict(user, "serve").filter(pk=counter.pk).exists(),
            can_manage=Counter.objects.restrict(user, "manage").filter(pk=counter.pk).exists(),
            today=today,
        )
        return ctx


class CounterEditView(ScopedMixin, View):
    model = Counter
    action = "manage"
    template_name = "hall/counter_form.html"

    def counter(self):
        return self.get_scoped_object() if "pk" in self.kwargs else None

    def get(self, request, pk=None):
        counter = self.counter()
        form = CounterForm(instance=counter, user=request.user)
        return render(request, self.template_name, {"form": form, "counter": counter})

    def post(self, request, pk=None):
        counter = self.counter()
        form = CounterForm(request.POST, instance=counter, user=request.user)
        if form.is_valid():
            try:
                saved = services.save_counter(
                    form.instance, actor=actor_of(request.user), matters=list(form.cleaned_data["matters"])
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已保存窗口：{saved.name}")
                return redirect(saved)
        return render(request, self.template_name, {"form": form, "counter": counter})


class TicketTakeView(ScopedMixin, View):
    """取号 (POST) at a counter: the next number of the day, shown large to read out or write on a slip."""

    model = Counter
    action = "serve"

    def post(self, request, pk):
        counter = self.get_scoped_object()
        matter_id = parse_id(request.POST.get("matter"))
        matter = ServiceMatter.objects.filter(pk=matter_id, community_id=counter.community_id).first()
        try:
            ticket = services.take_ticket(counter, actor=actor_of(request.user), matter=matter)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"取号成功：{ticket.label}")
        return redirect(counter)


class TicketCallView(ScopedMixin, View):
    """叫号 (POST): the next waiting number; the one served until now is finished."""

    model = Counter
    action = "serve"

    def post(self, request, pk):
        counter = self.get_scoped_object()
        ticket = services.call_next(counter, actor=actor_of(request.user))
        if ticket is None:
            messages.info(request, "没有等候的号码。")
        else:
            messages.success(request, f"请 {ticket.label} 号到{counter.name}办理")
        return redirect(counter)


class TicketStatusView(ScopedMixin, View):
    """办理中 / 已办结 / 过号 (POST) for a number."""

    model = Ticket
    action = "serve"

    def post(self, request, pk):
        ticket = self.get_scoped_object(self.scoped().select_related("counter"))
        status = request.POST.get("status", "")
        if status not in TicketStatus.values:
            messages.error(request, "请选择号码的状态。")
        else:
            try:
                services.set_ticket_status(ticket, status, actor=actor_of(request.user))
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        return redirect(ticket.counter)


class TicketListView(ScopedMixin, TemplateView):
    """取号记录: every number of the counters in scope (by day, counter, status)."""

    model = Ticket
    template_name = "hall/ticket_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = self.scoped().select_related("counter", "community", "matter")
        filterset = TicketFilterSet(self.request.GET or None, rows, user=user)
        rows = filterset.qs if filterset.is_valid() else filterset.queryset
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=paginate(self.request, rows.order_by("-day", "counter_id", "number")),
            can_export=user.has_role_perm("hall.export"),
        )
        return ctx


class TicketExportView(ScopedMixin, View):
    model = Ticket
    action = "export"

    def get(self, request):
        filterset = TicketFilterSet(
            request.GET, self.scoped().select_related("counter", "community", "matter"), user=request.user
        )
        if not filterset.is_valid():
            messages.error(request, "筛选条件有误：" + "；".join(error_list(filterset)))
            return redirect("hall:ticket_list")
        rows = list(filterset.qs.order_by("day", "counter_id", "number"))
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_download(
            lambda out: write_tickets_xlsx(rows, user=request.user, out=out, filters=cleaned_filters(filterset)),
            f"取号记录_{stamp}.xlsx",
            f"hall_tickets_{stamp}.xlsx",
        )


class PublicScreenView(View):
    """叫号屏 of a community's hall: the number each counter calls and who waits next. Numbers only."""

    template_name = "hall/screen.html"

    def get(self, request, community_code):
        community = get_object_or_404(Community, code=community_code)
        counters = list(Counter.objects.filter(community=community, is_active=True))
        ctx = {"community": community, "queues": queue_of(counters, timezone.localdate()), "now": timezone.now()}
        if request.headers.get("HX-Request"):
            return render(request, "hall/_screen_board.html", ctx)
        return render(request, self.template_name, ctx)
