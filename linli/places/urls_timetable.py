"""URLs of the timetable part (linli.places.urls concatenates the parts)."""

from django.urls import path

from linli.places import views_timetable as v

urlpatterns = [
    path("day/", v.DayView.as_view(), name="day"),
    path("rooms/<int:pk>/week/", v.RoomWeekView.as_view(), name="room_week"),
    path("rooms/<int:pk>/week/print/", v.RoomTimetablePrintView.as_view(), name="room_timetable_print"),
    path("usage/", v.UsageView.as_view(), name="usage"),
    path("usage/export/", v.UsageExportView.as_view(), name="usage_export"),
]
