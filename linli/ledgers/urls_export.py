"""Ledger exports: included by linli.ledgers.urls (namespace "ledgers"); names are app-relative."""

from django.urls import path

from linli.ledgers.views_export import (
    ExportRecordListView,
    ImportTemplateView,
    PrintLedgerView,
    ResidentExportView,
)

urlpatterns = [
    path("export/residents/", ResidentExportView.as_view(), name="resident_export"),
    path("print/building/<int:pk>/", PrintLedgerView.as_view(level="building"), name="print_building"),
    path("print/grid/<int:pk>/", PrintLedgerView.as_view(level="grid"), name="print_grid"),
    path("exports/", ExportRecordListView.as_view(), name="export_log"),
    path("import/template/", ImportTemplateView.as_view(), name="import_template"),
]
