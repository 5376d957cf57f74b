"""URLs of the booking part (linli.places.urls concatenates the parts)."""

from django.urls import path

from linli.places import views_booking as views

urlpatterns = [
    path("bookings/", views.BookingListView.as_view(), name="booking_list"),
    path("bookings/export/", views.BookingExportView.as_view(), name="booking_export"),
    path("bookings/approvals/", views.ApprovalListView.as_view(), name="approval_list"),
    path("bookings/mine/", views.MyBookingsView.as_view(), name="my_bookings"),
    path("bookings/<int:pk>/", views.BookingDetailView.as_view(), name="booking_detail"),
    path("bookings/<int:pk>/cancel/", views.BookingCancelView.as_view(), name="booking_cancel"),
    path("bookings/<int:pk>/approve/", views.BookingApproveView.as_view(), name="booking_approve"),
    path("bookings/<int:pk>/reject/", views.BookingRejectView.as_view(), name="booking_reject"),
    path("bookings/<int:pk>/use/", views.BookingUseView.as_view(), name="booking_use"),
    path("rooms/<int:pk>/book/", views.BookingAddView.as_view(), name="booking_add"),
    path("rooms/<int:pk>/close/", views.RoomCloseView.as_view(), name="room_close"),
]
