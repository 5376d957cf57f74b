"""URLs of the room part (linli.places.urls concatenates the parts)."""

from django.urls import path

from linli.places import views_room as v

urlpatterns = [
    path("rooms/", v.RoomListView.as_view(), name="room_list"),
    path("rooms/add/", v.RoomEditView.as_view(), name="room_add"),
    path("rooms/<int:pk>/", v.RoomDetailView.as_view(), name="room_detail"),
    path("rooms/<int:pk>/edit/", v.RoomEditView.as_view(), name="room_edit"),
    path("rooms/<int:pk>/active/", v.RoomActiveView.as_view(), name="room_active"),
]
