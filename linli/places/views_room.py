"""Room pages: the list (cards with a photo, the facts and today's next booking), a room's page, create and edit,
take out of use. Rows come from Room.objects.restrict(user, action); writes go to services_rooms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.scope import communities_for
from linli.core import audit
from linli.core.audit import actor_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin, paginate
from linli.places import services_rooms, timetable
from linli.places.filtersets_room import RoomFilterSet
from linli.places.forms_room import RoomForm
from linli.places.models import Room


def can(user, perm: str) -> bool:
    return user.is_superuser or user.has_role_perm(perm)


class RoomMixin(ScopedMixin):
    model = Room


class RoomListView(RoomMixin, TemplateView):
    """功能室: the rooms in scope as cards, filtered by RoomFilterSet."""

    template_name = "places/room_list.html"

    def get_context_data(self, **kwargs):
        from linli.attachments.services import attach_photo_lists

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = self.scoped().select_related("community").order_by("community__name", "community_id", "sort", "name")
        filterset = RoomFilterSet(self.request.GET or None, rows, user=user)
        page = paginate(self.request, filterset.qs, per_page=24)
        attach_photo_lists(page.object_list)
        upcoming = timetable.next_today(user, [r.pk for r in page.object_list], timezone.now())
        for room in page.object_list:
            room.bookable_text = services_rooms.bookable_label(room.bookable_by)
            room.next_booking = upcoming.get(room.pk)
            room.next_label = (
                timetable.booker_label(room.next_booking, names=timetable.may_see_names(user))
                if room.next_booking
                else ""
            )
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset) if filterset.is_bound and not filterset.is_valid() else [],
            page=page,
            can_manage=can(user, "room.manage"),
        )
        return ctx


class RoomDetailView(RoomMixin, TemplateView):
    """A room: photos, the facts, this week's bookings, and the ways to book, close for a day, edit."""

    template_name = "places/room_detail.html"

    def get_context_data(self, **kwargs):
        from linli.attachments.services import photos_of

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        room = self.get_scoped_object(self.scoped().select_related("community", "manager"))
        can_manage = Room.objects.restrict(user, "manage").filter(pk=room.pk).exists()
        ctx.update(
            room=room,
            photos=list(photos_of(room)),
            week=timetable.room_week(user, room, timetable.monday_of(timezone.localdate())),
            open_days=services_rooms.open_days_label(room.open_days),
            bookable=services_rooms.bookable_label(room.bookable_by),
            can_manage=can_manage,
            can_close=can_manage and can(user, "booking.manage"),
            can_book=room.is_active and can(user, "booking.add"),
            history=audit.history_of(room)[:20] if can_manage else [],
        )
        return ctx


class RoomEditView(RoomMixin, View):
    """登记功能室 (no pk) or 修改 (pk): room.manage over the room's community."""

    permission = "room.manage"
    template_name = "places/room_form.html"

    def room(self, pk):
        return None if pk is None else self.get_scoped_object(self.scoped("manage").select_related("community"))

    def form(self, room, data=None, files=None):
        communities = None if room else communities_for(self.request.user, "room.manage")
        return RoomForm(data, files, room=room, communities=communities)

    def show(self, form, room):
        return render(self.request, self.template_name, {"form": form, "room": room})

    def get(self, request, pk=None):
        room = self.room(pk)
        return self.show(self.form(room), room)

    def post(self, request, pk=None):
        room = self.room(pk)
        form = self.form(room, request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = services_rooms.save_room(
                    form.to_room(), actor=actor_of(request.user), photos=form.cleaned_data["photos"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
                if room is not None:
                    room.refresh_from_db()
            else:
                messages.success(request, f"已保存功能室：{saved.name}")
                return redirect(saved)
        return self.show(form, room)


class RoomActiveView(RoomMixin, View):
    """停用 / 启用 a room (POST active=0 or 1)."""

    permission = "room.manage"

    def post(self, request, pk):
        room = self.get_scoped_object(action="manage")
        active = request.POST.get("active") == "1"
        try:
            services_rooms.set_room_active(room, active=active, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已{'启用' if active else '停用'}功能室：{room.name}")
        return redirect(room)
