"""The timetable pages: a room's week, all rooms' day (both a list on a phone, a grid on a wide screen), the
printable week for the room's door; and the usage figures with their Excel export. Queries in
linli.places.timetable and linli.places.usage; every page starts from restrict(user)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.scope import communities_for
from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.excel.exports import record_export
from linli.core.filtersets import error_list
from linli.core.params import parse_id, parse_int
from linli.core.views import paginate
from linli.places import services_rooms, timetable, usage
from linli.places.choices import ExportKind
from linli.places.filtersets_room import RoomFilterSet
from linli.places.views_room import RoomMixin, can

WEEK = datetime.timedelta(days=7)
DAY = datetime.timedelta(days=1)


def week_of(request) -> tuple[datetime.date, str]:
    """The Monday of ?week= (any day of the week will do), this week's when absent or junk (with a message)."""
    day, error = timetable.parse_day(request.GET.get("week"), timezone.localdate(), fallback="本周")
    return timetable.monday_of(day), error


class RoomWeekView(RoomMixin, TemplateView):
    """A room's week (places:room_week, ?week=YYYY-MM-DD)."""

    template_name = "places/timetable_week.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        room = self.get_scoped_object(self.scoped().select_related("community"))
        monday, error = week_of(self.request)
        ctx.update(
            room=room,
            week=timetable.room_week(self.request.user, room, monday),
            errors=[error] if error else [],
            prev=(monday - WEEK).isoformat(),
            next=(monday + WEEK).isoformat(),
            this_week=timetable.monday_of(timezone.localdate()),
            today=timezone.localdate(),
            can_book=room.is_active and can(self.request.user, "booking.add"),
        )
        return ctx


class RoomTimetablePrintView(RoomMixin, TemplateView):
    """The week on A4 landscape for the door: the room, its hours, the bookings by day, a QR code to its page."""

    template_name = "places/timetable_print.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        room = self.get_scoped_object(self.scoped().select_related("community"))
        monday, error = week_of(self.request)
        url = self.request.build_absolute_uri(reverse("places:room_detail", args=[room.pk]))
        week = timetable.room_week(self.request.user, room, monday)
        for day in week.days:  # the door is public: residents' names masked whoever prints it
            for slot in day.slots:
                slot.booker = timetable.booker_label(slot.booking, names=False)
        ctx.update(
            room=room,
            week=week,
            errors=[error] if error else [],
            open_days=services_rooms.open_days_label(room.open_days),
            qr=timetable.qr_svg(url),
            url=url,
            printed_on=timezone.localdate(),
        )
        return ctx


#: Rooms per page of the day view: a community's rooms on one page, a street's in a few.
ROOMS_PER_PAGE = 40


class DayView(RoomMixin, TemplateView):
    """今日安排 (places:day, ?date=, ?community=): every active room in scope and its bookings of the day."""

    template_name = "places/timetable_day.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        day, error = timetable.parse_day(self.request.GET.get("date"), today)
        errors = [error] if error else []
        communities = communities_for(user, "room.view").order_by("name")
        rooms = self.scoped()
        raw = self.request.GET.get("community")
        community = None
        if raw not in (None, ""):
            community = communities.filter(pk=parse_id(raw)).first() if parse_id(raw) else None
            if community is None:
                errors.append("找不到这个社区，或不在您的管辖范围内；已显示全部。")
            else:
                rooms = rooms.filter(community=community)
        # A street's hundreds of rooms come a page at a time (one row each); the total counts every page, as the
        # home page's 今日预约 does (timetable.bookings_on).
        page = paginate(self.request, list(timetable.day_room_order(rooms)), per_page=ROOMS_PER_PAGE)
        board = timetable.day_rooms(user, page.object_list, day)
        total = timetable.bookings_on(user, rooms, day) if page.has_other_pages() else board.total
        ctx.update(
            board=board,
            total=total,
            page=page,
            day=day,
            today=today,
            errors=errors,
            prev=(day - DAY).isoformat(),
            next=(day + DAY).isoformat(),
            communities=list(communities) if len(communities) > 1 else [],
            community=community,
            weekday=timetable.WEEKDAY_SHORT[day.weekday()],
        )
        return ctx


def year_of(request) -> tuple[int, str]:
    raw = request.GET.get("year")
    this_year = timezone.localdate().year
    if raw in (None, ""):
        return this_year, ""
    year = parse_int(raw, minimum=2000, maximum=2100)
    if year is None:
        return this_year, "年度应为2000至2100之间的数字，已显示今年。"
    return year, ""


class UsageMixin(RoomMixin):
    def figures(self, action="view"):
        user = self.request.user
        rows = self.scoped(action)
        filterset = RoomFilterSet(self.request.GET or None, rows, user=user, active="all")
        year, error = year_of(self.request)
        return filterset, year, error, usage.usage(user, filterset.qs, year)


class UsageView(UsageMixin, TemplateView):
    """使用统计 (places:usage, ?year=): bookings, hours, attendance, no-shows, cancellations by room and month."""

    template_name = "places/usage.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset, year, error, figures = self.figures()
        errors = error_list(filterset) if filterset.is_bound and not filterset.is_valid() else []
        this_year = timezone.localdate().year
        ctx.update(
            filterset=filterset,
            figures=figures,
            year=year,
            years=range(this_year - 4, this_year + 2),
            errors=([error] if error else []) + errors,
            metrics=usage.METRICS,
            month_numbers=range(1, 13),
            can_export=can(self.request.user, "booking.export"),
            query=self.request.GET.urlencode(),
        )
        return ctx


class UsageExportView(UsageMixin, View):
    """The figures as Excel (the same rooms and year as the page), logged in the export log."""

    permission = "booking.export"

    def get(self, request):
        filterset, year, _, figures = self.figures("view")
        rows = []

        def write(out):
            rows.append(usage.write_usage_xlsx(figures, out))

        response = xlsx_download(write, f"功能室使用统计_{year}年.xlsx", f"room_usage_{year}.xlsx")
        record_export(
            request.user,
            ExportKind.USAGE,
            row_count=rows[0],
            filters={**cleaned_filters(filterset), "year": year},
            masked=True,
        )
        return response
