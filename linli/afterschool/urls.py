from django.urls import path

from linli.afterschool import views, views_day, views_figures

app_name = "afterschool"
urlpatterns = [
    path("", views.SchoolListView.as_view(), name="school_list"),
    path("new/", views.SchoolEditView.as_view(), name="school_add"),
    path("figures/", views_figures.FiguresView.as_view(), name="figures"),
    path("<int:pk>/", views.SchoolDetailView.as_view(), name="school_detail"),
    path("<int:pk>/edit/", views.SchoolEditView.as_view(), name="school_edit"),
    path("<int:pk>/terms/new/", views.TermAddView.as_view(), name="term_add"),
    path("terms/<int:pk>/", views.TermDetailView.as_view(), name="term_detail"),
    path("terms/<int:pk>/enrol/", views.EnrolmentAddView.as_view(), name="enrolment_add"),
    path("terms/<int:pk>/sessions/", views.SessionAddView.as_view(), name="session_add"),
    path("terms/<int:pk>/roster.xlsx", views_figures.RosterExportView.as_view(), name="roster_export"),
    path("terms/<int:pk>/attendance.xlsx", views_figures.AttendanceExportView.as_view(), name="attendance_export"),
    path("children/<int:pk>/", views.ChildDetailView.as_view(), name="child_detail"),
    path("children/<int:pk>/guardians/", views.GuardianAddView.as_view(), name="guardian_add"),
    path("children/<int:pk>/withdraw/", views.EnrolmentWithdrawView.as_view(), name="enrolment_withdraw"),
    path("guardians/<int:pk>/", views.GuardianEditView.as_view(), name="guardian_edit"),
    path("sessions/<int:pk>/", views_day.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/sign-in/", views_day.SignInView.as_view(), name="sign_in"),
    path("sessions/<int:pk>/tutors/", views_day.TutorAddView.as_view(), name="tutor_add"),
    path("sessions/<int:pk>/tutors/hours/", views_day.TutorHoursView.as_view(), name="tutor_hours"),
    path("attendance/<int:pk>/sign-out/", views_day.SignOutView.as_view(), name="sign_out"),
]
