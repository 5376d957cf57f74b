from linli.places import urls_booking, urls_room, urls_timetable

app_name = "places"
urlpatterns = [
    *urls_room.urlpatterns,
    *urls_timetable.urlpatterns,
    *urls_booking.urlpatterns,
]
