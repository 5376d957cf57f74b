from django.urls import path

from linli.visits import views, views_coverage, views_diary

app_name = "visits"
urlpatterns = [
    path("", views.WorklistView.as_view(), name="worklist"),
    path("resident/<int:pk>/log/", views.VisitLogView.as_view(), name="visit_log"),
    path("alerts/", views.AlertListView.as_view(), name="alert_list"),
    path("alerts/resolve/", views.AlertBulkResolveView.as_view(), name="alert_bulk_resolve"),
    path("alerts/<int:pk>/resolve/", views.AlertResolveView.as_view(), name="alert_resolve"),
    path("coverage/", views_coverage.CoverageView.as_view(), name="coverage"),
    path("coverage/overdue/", views_coverage.OverdueListView.as_view(), name="coverage_overdue"),
    path("diary/", views_diary.FieldNoteListView.as_view(), name="diary_list"),
    path("diary/new/", views_diary.FieldNoteEditView.as_view(), name="diary_add"),
    path("diary/<int:pk>/", views_diary.FieldNoteDetailView.as_view(), name="diary_detail"),
    path("diary/<int:pk>/edit/", views_diary.FieldNoteEditView.as_view(), name="diary_edit"),
]
