"""节假日设置: the administrators' holiday table, with the package's days for reference."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from linli.core.audit import actor_of
from linli.core.forms import attach_errors
from linli.core.params import parse_int
from linli.core.querysets import require_perm
from linli.core.views import ScopedMixin
from linli.workdays import calendar, services
from linli.workdays.forms import FIRST, LAST, HolidayOverrideForm
from linli.workdays.models import HolidayOverride


def _year(value, default: int) -> int:
    year = parse_int(value)
    if year is None:
        return default
    return min(max(year, FIRST.year), LAST.year)


def _list_url(year: int) -> str:
    return f"{reverse('workdays:holiday_list')}?year={year}"


class HolidayListView(ScopedMixin, View):
    """One year's overrides and the package's days; street admins add and delete, secretaries read."""

    permission = "holiday.view"

    def get(self, request):
        return self.render(request, HolidayOverrideForm(), _year(request.GET.get("year"), timezone.localdate().year))

    def post(self, request):
        require_perm(request.user, services.MANAGE)
        form = HolidayOverrideForm(request.POST)
        year = _year(request.GET.get("year"), timezone.localdate().year)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_override(data["date"], data["is_workday"], data["name"], actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已添加：{data['date']:%Y-%m-%d} {data['name']}。")
                return redirect(_list_url(data["date"].year))
        return self.render(request, form, year, status=400)

    def render(self, request, form, year: int, status: int = 200):
        overrides = HolidayOverride.objects.filter(date__year=year).select_related("created_by")
        known = calendar.package_knows(year)
        ctx = {
            "year": year,
            "prev_year": max(year - 1, FIRST.year),
            "next_year": min(year + 1, LAST.year),
            "overrides": overrides,
            "package_days": calendar.package_days(year),
            "package_knows": known,
            "package_first": calendar.PACKAGE_FIRST_YEAR,
            "package_last": calendar.PACKAGE_LAST_YEAR,
            "warning": "" if known or any(not o.is_workday for o in overrides) else calendar.warning_for([year]),
            "can_manage": request.user.is_superuser or request.user.has_role_perm(services.MANAGE),
            "form": form,
        }
        return render(request, "workdays/holiday_list.html", ctx, status=status)


class HolidayDeleteView(ScopedMixin, View):
    permission = services.MANAGE
    http_method_names = ["post"]

    def post(self, request, pk):
        override = get_object_or_404(HolidayOverride, pk=pk)
        services.delete_override(override, actor=actor_of(request.user))
        messages.success(request, f"已删除：{override}。")
        return redirect(_list_url(override.date.year))
