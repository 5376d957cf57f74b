from django.urls import path

from linli.volunteers import views, views_people

app_name = "volunteers"
urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.ActivityEditView.as_view(), name="activity_add"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/cancel/", views.ActivityCancelView.as_view(), name="activity_cancel"),
    path("activities/<int:pk>/signup/", views.SignUpView.as_view(), name="activity_signup"),
    path("activities/<int:pk>/code/", views.ActivityCodeView.as_view(), name="activity_code"),
    path("activities/<int:pk>/scan/", views.ActivityScanView.as_view(), name="activity_scan"),
    path("activities/<int:pk>/attendance/", views.ActivityAttendanceView.as_view(), name="activity_attendance"),
    path("signups/<int:pk>/cancel/", views.SignUpCancelView.as_view(), name="signup_cancel"),
    path("attendance/<int:pk>/correct/", views.AttendanceCorrectView.as_view(), name="attendance_correct"),
    path("people/", views_people.VolunteerListView.as_view(), name="volunteer_list"),
    path("people/new/", views_people.VolunteerEditView.as_view(), name="volunteer_add"),
    path("people/hours/", views_people.HoursReportView.as_view(), name="hours_report"),
    path("people/residents/", views_people.ResidentSearchView.as_view(), name="resident_search"),
    path("people/<int:pk>/", views_people.VolunteerDetailView.as_view(), name="volunteer_detail"),
    path("people/<int:pk>/edit/", views_people.VolunteerEditView.as_view(), name="volunteer_edit"),
    path("people/<int:pk>/certificate/", views_people.CertificateView.as_view(), name="certificate"),
    path("me/", views_people.MyRecordView.as_view(), name="my_record"),
    path("teams/", views_people.TeamListView.as_view(), name="team_list"),
    path("teams/new/", views_people.TeamEditView.as_view(), name="team_add"),
    path("teams/<int:pk>/", views_people.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", views_people.TeamEditView.as_view(), name="team_edit"),
]
