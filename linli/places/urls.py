from django.urls import path
from django.views.generic import RedirectView

from linli.places import urls_booking, urls_room, urls_timetable

app_name = "places"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="places:room_list")),  # /places/ is the room list
    *urls_room.urlpatterns,
    *urls_timetable.urlpatterns,
    *urls_booking.urlpatterns,
]
