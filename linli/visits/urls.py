from django.urls import path

from linli.visits import views, views_coverage, views_diary, views_ledgers

app_name = "visits"
urlpatterns = [
    path("", views.WorklistView.as_view(), name="worklist"),
    path("resident/<int:pk>/log/", views.VisitLogView.as_view(), name="visit_log"),
    path("alerts/", views.AlertListView.as_view(), name="alert_list"),
    path("alerts/resolve/", views.AlertBulkResolveView.as_view(), name="alert_bulk_resolve"),
    path("alerts/<int:pk>/resolve/", views.AlertResolveView.as_view(), name="alert_resolve"),
    path("coverage/", views_coverage.CoverageView.as_view(), name="coverage"),
    path("coverage/overdue/", views_coverage.OverdueListView.as_view(), name="coverage_overdue"),
    path("ledger/visits/", views_ledgers.VisitLedgerView.as_view(), name="visit_ledger"),
    path("ledger/visits.xlsx", views_ledgers.VisitLedgerView.as_view(xlsx=True), name="visit_ledger_xlsx"),
    path("ledger/diary/", views_ledgers.DiaryLedgerView.as_view(), name="diary_ledger"),
    path("ledger/diary.xlsx", views_ledgers.DiaryLedgerView.as_view(xlsx=True), name="diary_ledger_xlsx"),
    path("ledger/coverage/", views_ledgers.CoverageLedgerView.as_view(), name="coverage_ledger"),
    path("ledger/coverage.xlsx", views_ledgers.CoverageLedgerView.as_view(xlsx=True), name="coverage_ledger_xlsx"),
    path("diary/", views_diary.FieldNoteListView.as_view(), name="diary_list"),
    path("diary/new/", views_diary.FieldNoteEditView.as_view(), name="diary_add"),
    path("diary/<int:pk>/", views_diary.FieldNoteDetailView.as_view(), name="diary_detail"),
    path("diary/<int:pk>/edit/", views_diary.FieldNoteEditView.as_view(), name="diary_edit"),
]
