"""确认送达 pages of a notice (views_confirm): progress, households, marking buttons, export."""

from django.urls import path

from linli.notices import views_confirm as views

urlpatterns = [
    path("<int:pk>/confirmations/", views.NoticeConfirmationsView.as_view(), name="notice_confirmations"),
    path("<int:pk>/households/", views.NoticeHouseholdListView.as_view(), name="notice_household_list"),
    path("<int:pk>/households.xlsx", views.NoticeHouseholdExportView.as_view(), name="notice_household_export"),
    path(
        "<int:pk>/buildings/<int:building_pk>/posted/",
        views.NoticeBuildingPostedView.as_view(),
        name="notice_building_posted",
    ),
    path("households/<int:pk>/mark/", views.NoticeHouseholdMarkView.as_view(), name="notice_household_mark"),
    path("households/<int:pk>/undo/", views.NoticeHouseholdUndoView.as_view(), name="notice_household_undo"),
    path("households/<int:pk>/door/", views.NoticeHouseholdDoorView.as_view(), name="notice_household_door"),
]
