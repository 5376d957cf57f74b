from django.urls import path

from linli.workdays import views

app_name = "workdays"

urlpatterns = [
    path("holidays/", views.HolidayListView.as_view(), name="holiday_list"),
    path("holidays/<int:pk>/delete/", views.HolidayDeleteView.as_view(), name="holiday_delete"),
]
