"""Booking pages: book a room (once or every week, with the clash report), a booking's page (cancel, approve or refuse,
attendance), the booking list and its Excel export, the approval queue, a room's closure for a day, 我的预约.

Rows come from the querysets' restrict() (a resident's or volunteer's own bookings through restrict_self); who may
book, cancel or decide is linli.places.access, asked by the services and, for the buttons, by these views. Every
change goes through linli.places.services / linli.places.series.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.core.audit import actor_of
from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.views import paginate
from linli.places import access, series, services
from linli.places.booking import BookingClash
from linli.places.choices import HOLDING, BookingStatus
from linli.places.excel_booking import write_bookings_xlsx
from linli.places.filtersets import BookingFilterSet
from linli.places.forms_booking import BookingForm, CancelForm, CloseForm, RejectForm, UseForm
from linli.places.home_booking import my_bookings
from linli.places.models import Booking, Room

SELF_OR_STAFF = ("booking.view", "booking.add", "booking.add_self")


def require_any(user, perms) -> None:
    if not (user.is_superuser or any(user.has_role_perm(p) for p in perms)):
        raise PermissionDenied("您的角色没有这项权限。")


def readable(user):
    return Booking.objects.restrict(user).select_related("room", "community", "series", "team")


class BookingGate(LoginRequiredMixin, View):
    """Staff roles that read bookings, and residents and volunteers who book (their own)."""

    perms = SELF_OR_STAFF
    model = Booking

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_any(request.user, self.perms)
        return super().dispatch(request, *args, **kwargs)

    def booking(self):
        return get_object_or_404(readable(self.request.user), pk=self.kwargs["pk"])


# --------------------------------------------------------------------------- booking a room


class BookingAddView(BookingGate):
    """预约功能室: once, or every week / every weekday until a date. A series with dates that are taken shows them
    and books the rest only when the booker presses 跳过这些日期."""

    perms = ("booking.add", "booking.add_self")
    model = Room
    template_name = "places/booking_form.html"

    def room(self):
        return get_object_or_404(access.bookable_rooms(self.request.user), pk=self.kwargs["pk"])

    def render_form(self, room, form, plan=None, status=200):
        today = timezone.localdate()
        start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
        week = (
            Booking.objects.holding()
            .filter(room=room, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=8))
            .order_by("starts_at")
        )
        staff = access.may_book_for_others(self.request.user, room.community_id)
        ctx = {"room": room, "form": form, "plan": plan, "week": week, "staff": staff}
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, pk):
        room = self.room()
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        form = BookingForm(room=room, user=request.user, initial={"day": tomorrow})
        return self.render_form(room, form)

    def post(self, request, pk):
        room = self.room()
        form = BookingForm(request.POST, room=room, user=request.user)
        if not form.is_valid():
            return self.render_form(room, form)
        data, actor = form.cleaned_data, actor_of(request.user)
        who = {
            "purpose": data["purpose"],
            "expected_attendance": data["expected_attendance"],
            "booker_kind": data["booker_kind"],
            "booker_name": data["booker_name"],
            "contact_phone": data["contact_phone"],
            "team": data["team"],
        }
        try:
            if data["repeat"] == "once":
                starts_at, ends_at = form.moments()
                booking = services.book(room, actor=actor, starts_at=starts_at, ends_at=ends_at, **who)
                wait = "请等待社区审核。" if booking.status == BookingStatus.PENDING else ""
                messages.success(request, f"已预约：{booking}。{wait}")
                return redirect("places:booking_detail", booking.pk)
            plan = series.plan_series(
                room,
                actor=actor,
                weekdays=[int(d) for d in data["weekdays"]],
                first_date=data["day"],
                until=data["until"],
                start_time=data["start"],
                end_time=data["end"],
                **who,
            )
            skip = request.POST.get("skip") == "1"
            if plan.taken and not skip:
                return self.render_form(room, form, plan)
            made = series.create_series(plan, actor=actor, skip_clashes=skip)
        except BookingClash as clash:
            if access.may_book_for_others(request.user, room.community_id):
                attach_errors(form, clash)
            else:  # a resident is not told who else booked the room
                span = services.local_span(clash.conflict.starts_at, clash.conflict.ends_at) if clash.conflict else ""
                form.add_error(None, f"这个时段已被预约（{span}），请换一个时间或功能室。")
            return self.render_form(room, form)
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.render_form(room, form)
        skipped = f"，跳过 {len(made.skipped)} 个日期" if made.skipped else ""
        messages.success(request, f"已预约{plan.description}，共 {len(made.made)} 次{skipped}。")
        return redirect("places:booking_detail", made.made[0].pk)


# --------------------------------------------------------------------------- one booking


class BookingDetailView(BookingGate, TemplateView):
    """A booking: when, where, who, its status; the other dates of its series; the actions the user may take."""

    template_name = "places/booking_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        booking = self.booking()
        manager = access.may_manage(user, booking.community_id)
        now = timezone.now()
        live = booking.status in HOLDING and booking.ends_at > now
        others = []
        if booking.series_id:
            others = readable(user).filter(series_id=booking.series_id).exclude(pk=booking.pk).order_by("starts_at")
        booking.shown_booker = access.shown_booker(booking, user)
        ctx.update(
            booking=booking,
            span=services.local_span(booking.starts_at, booking.ends_at),
            series_text=series.describe_rule(booking.series.rule) if booking.series_id else "",
            others=others,
            show_phone=manager or access.is_owner(user, booking),
            can_cancel=live and access.may_cancel(user, booking),
            can_decide=manager and booking.status == BookingStatus.PENDING,
            can_record=booking.status == BookingStatus.CONFIRMED
            and booking.starts_at <= now
            and (manager or booking.room.manager_id == user.pk),
            cancel_form=CancelForm(booking=booking, manager=manager),
            reject_form=RejectForm(),
            use_form=UseForm(initial={"attendance": booking.attendance, "no_show": booking.no_show}),
        )
        return ctx


def _errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


class BookingCancelView(BookingGate):
    """取消 (POST): this booking, the rest of its series, or (managers) the room's whole day."""

    def post(self, request, pk):
        booking = self.booking()
        user = request.user
        if not access.may_cancel(user, booking):
            raise PermissionDenied("您没有取消这个预约的权限。")
        form = CancelForm(request.POST, booking=booking, manager=access.may_manage(user, booking.community_id))
        if form.is_valid():
            try:
                done = services.cancel(
                    booking, actor=actor_of(user), reason=form.cleaned_data["reason"], scope=form.cleaned_data["scope"]
                )
            except ValidationError as exc:
                messages.error(request, "未能取消：" + "；".join(exc.messages))
            else:
                messages.success(request, done.message)
        else:
            messages.error(request, "未能取消：" + _errors(form))
        return redirect("places:booking_detail", booking.pk)


class ManagerGate(BookingGate):
    perms = ("booking.manage",)

    def booking(self):
        rows = Booking.objects.restrict(self.request.user, "manage").select_related("room")
        return get_object_or_404(rows, pk=self.kwargs["pk"])


class BookingApproveView(ManagerGate):
    """审核通过 (POST)."""

    def post(self, request, pk):
        booking = self.booking()
        try:
            services.approve(booking, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已审核通过，并通知了预约人。")
        if request.POST.get("next") == "queue":
            return redirect("places:approval_list")
        return redirect("places:booking_detail", booking.pk)


class BookingRejectView(ManagerGate):
    """审核不通过 (POST, with the reason the booker reads)."""

    def post(self, request, pk):
        booking = self.booking()
        form = RejectForm(request.POST)
        if form.is_valid():
            try:
                services.reject(booking, actor=actor_of(request.user), reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, "已审核不通过，并通知了预约人。")
        else:
            messages.error(request, "未能提交：" + _errors(form))
        return redirect("places:booking_detail", booking.pk)


class BookingUseView(BookingGate):
    """登记使用情况 (POST): 实到人数 or 爽约; managers of bookings and the room's manager."""

    def post(self, request, pk):
        booking = self.booking()
        user = request.user
        if not (access.may_manage(user, booking.community_id) or booking.room.manager_id == user.pk):
            raise PermissionDenied("您没有登记使用情况的权限。")
        form = UseForm(request.POST)
        if form.is_valid():
            try:
                services.record_use(
                    booking,
                    actor=actor_of(user),
                    attendance=form.cleaned_data["attendance"],
                    no_show=form.cleaned_data["no_show"],
                )
            except ValidationError as exc:
                messages.error(request, "未能登记：" + "；".join(exc.messages))
            else:
                messages.success(request, "已登记使用情况。")
        else:
            messages.error(request, "未能登记：" + _errors(form))
        return redirect("places:booking_detail", booking.pk)


# --------------------------------------------------------------------------- lists


class BookingListView(BookingGate, TemplateView):
    """功能室预约: every booking in the user's area, by room, status, booker and dates (BookingFilterSet)."""

    perms = ("booking.view",)
    template_name = "places/booking_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = BookingFilterSet(self.request.GET or None, readable(user), user=user)
        rows = filterset.qs if filterset.is_valid() else filterset.queryset
        page = paginate(self.request, rows.order_by("-starts_at", "-id"), 50)
        page.object_list = access.mark_bookers(page.object_list, user)
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=page,
            can_export=user.is_superuser or user.has_role_perm("booking.export"),
            pending=Booking.objects.restrict(user, "manage").filter(status=BookingStatus.PENDING).count()
            if user.has_role_perm("booking.manage")
            else 0,
            query=self.request.GET.urlencode(),
        )
        return ctx


class BookingExportView(BookingGate):
    """The list as .xlsx (the page's filter; phones masked; the export log records it)."""

    perms = ("booking.export",)

    def get(self, request):
        user = request.user
        rows = Booking.objects.restrict(user, "export").select_related("room", "community")
        filterset = BookingFilterSet(request.GET, rows, user=user)
        if not filterset.is_valid():
            messages.error(request, "筛选条件有误：" + "；".join(error_list(filterset)))
            return redirect("places:booking_list")
        bookings = filterset.qs.order_by("starts_at", "room_id", "id")
        filters = cleaned_filters(filterset)
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_download(
            lambda out: write_bookings_xlsx(bookings.iterator(), user=user, out=out, filters=filters),
            f"功能室预约_{stamp}.xlsx",
            f"room_bookings_{stamp}.xlsx",
        )


class ApprovalListView(BookingGate, TemplateView):
    """待审核: the bookings of rooms that need approval, soonest first, with 通过 / 不通过 on each."""

    perms = ("booking.manage",)
    template_name = "places/booking_approvals.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = Booking.objects.restrict(self.request.user, "manage").filter(status=BookingStatus.PENDING)
        rows = rows.select_related("room", "community", "series").order_by("starts_at", "id")
        ctx.update(page=paginate(self.request, rows, 50), reject_form=RejectForm())
        return ctx


class MyBookingsView(BookingGate, TemplateView):
    """我的预约: the user's own bookings (booked by them, for their resident record, for a team they lead), coming
    ones first, and the rooms they may book."""

    perms = ("booking.add", "booking.add_self")
    template_name = "places/booking_mine.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(my_bookings(self.request.user, limit=None))
        return ctx


# --------------------------------------------------------------------------- closing a room for a day


class RoomCloseView(BookingGate):
    """闭馆: cancel every booking of a room on one day in one step, everyone affected told. GET shows the day's
    bookings (?day=YYYY-MM-DD) and the form."""

    perms = ("booking.manage",)
    model = Room
    template_name = "places/booking_close.html"

    def room(self):
        return get_object_or_404(Room.objects.restrict(self.request.user, "view"), pk=self.kwargs["pk"])

    def render_form(self, room, form):
        day = form.cleaned_data.get("day") if form.is_bound and hasattr(form, "cleaned_data") else None
        day = day or form.initial.get("day") or timezone.localdate()
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        affected = (
            Booking.objects.holding()
            .filter(room=room, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1))
            .order_by("starts_at")
        )
        return render(self.request, self.template_name, {"room": room, "form": form, "day": day, "affected": affected})

    def get(self, request, pk):
        room = self.room()
        picked = CloseForm({"day": request.GET.get("day", ""), "reason": "-"})
        day = picked.cleaned_data["day"] if picked.is_valid() else timezone.localdate()
        return self.render_form(room, CloseForm(initial={"day": day}))

    def post(self, request, pk):
        room = self.room()
        if not access.may_manage(request.user, room.community_id):
            raise PermissionDenied("您没有关闭这间功能室的权限。")
        form = CloseForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["day"]
            try:
                done = services.close_room_for_day(
                    room, day, actor=actor_of(request.user), reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"{room.name} {day:%Y-%m-%d} 闭馆：{done.message}")
                return redirect(f"{reverse('places:booking_list')}?room={room.pk}&date_from={day}&date_to={day}")
        return self.render_form(room, form)
