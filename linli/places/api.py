"""places JSON API (read): bookings, scoped as the pages are.

Staff roles read the bookings of their area (booking.view); residents and volunteers (booking.add_self) read their
own (restrict_self); other roles get 403. The list takes the booking list page's BookingFilterSet
(tests/test_one_filterset_per_list.py). A booking's contact phone is given only to those who manage the room's
bookings (booking.manage over its community), masked unless the token carries full personal data.
"""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from linli.accounts.api_auth import full_personal_data
from linli.core.api_pagination import LinliPagination
from linli.core.filtersets import api_data, api_rows
from linli.core.params import MAX_ID
from linli.core.phone import mask_phone
from linli.places import access
from linli.places.choices import BookerKind, BookingStatus
from linli.places.filtersets import BookingFilterSet
from linli.places.models import Booking

router = Router(tags=["places"])

BookingId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _labels(choices) -> str:
    return "，".join(f"{c.value} {c.label}" for c in choices)


def _gate(request):
    user = request.auth_user
    if not (user.is_superuser or user.has_role_perm("booking.view") or user.has_role_perm("booking.add_self")):
        raise PermissionDenied("您的角色没有查看功能室预约的权限。")
    return user


class RoomBookingFilterParams(Schema):
    """The booking list page's filters (BookingFilterSet): the same names, the same rows."""

    q: str | None = Field(None, max_length=50, description="预约人或用途")
    room: int | None = Field(None, ge=1, le=MAX_ID, description="功能室id")
    status: BookingStatus | None = Field(None, description=_labels(BookingStatus))
    booker_kind: BookerKind | None = Field(None, description=_labels(BookerKind))
    date_from: datetime.date | None = Field(None, description="开始日期（含）")
    date_to: datetime.date | None = Field(None, description="结束日期（含）")


class RoomBookingSchema(Schema):
    id: int
    room_id: int
    room: str
    community_id: int
    series_id: int | None
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: BookingStatus
    purpose: str
    expected_attendance: int
    attendance: int | None
    no_show: bool
    booker_kind: BookerKind
    booker_name: str = Field(description="预约人/组织；居民个人的姓名仅对预约管理人和本人完整显示")
    contact_phone: str | None = Field(description="联系电话：仅预约管理权限可见（令牌未勾选完整电话时遮蔽）")
    cancel_reason: str

    @staticmethod
    def resolve_room(booking):
        return booking.room.name

    @staticmethod
    def resolve_booker_name(booking, context):
        request = context["request"]
        return access.shown_booker(booking, request.auth_user, _managed(request))

    @staticmethod
    def resolve_contact_phone(booking, context):
        request = context["request"]
        if not booking.contact_phone or not _manages(request, booking.community_id):
            return None
        return booking.contact_phone if full_personal_data(request) else mask_phone(booking.contact_phone)


def _managed(request) -> dict:
    """{community id: may manage its bookings}, cached on the request (one check per community, not per row)."""
    if not hasattr(request, "places_managed"):
        request.places_managed = {}
    return request.places_managed


def _manages(request, community_id: int) -> bool:
    managed = _managed(request)
    if community_id not in managed:
        managed[community_id] = access.may_manage(request.auth_user, community_id)
    return managed[community_id]


def _bookings(user):
    return Booking.objects.restrict(user).select_related("room")


@router.get("/bookings", response=list[RoomBookingSchema], summary="功能室预约列表（筛选，分页）")
@paginate(LinliPagination)
def room_booking_list(request, filters: Query[RoomBookingFilterParams]):
    """工作人员：辖区内的预约；居民、志愿者：本人的预约。"""
    user = _gate(request)
    rows = api_rows(BookingFilterSet(api_data(filters), _bookings(user), user=user))
    return rows.order_by("starts_at", "room_id", "id")


@router.get("/bookings/{booking_id}", response=RoomBookingSchema, summary="功能室预约")
def room_booking_detail(request, booking_id: BookingId):
    user = _gate(request)
    booking = _bookings(user).filter(pk=booking_id).first()
    if booking is None:
        raise Http404("找不到这个预约，或不在您的管辖范围内。")
    return booking
