from django.urls import path

from linli.workreports import views

app_name = "workreports"
urlpatterns = [
    path("", views.WorkReportListView.as_view(), name="workreport_list"),
    path("new/", views.WorkReportAddView.as_view(), name="workreport_add"),
    path("<int:pk>/", views.WorkReportDetailView.as_view(), name="workreport_detail"),
    path("<int:pk>/edit/", views.WorkReportEditView.as_view(), name="workreport_edit"),
    path("<int:pk>/cases/", views.WorkReportCaseAddView.as_view(), name="workreport_case_add"),
    path("cases/<int:pk>/delete/", views.WorkReportCaseDeleteView.as_view(), name="workreport_case_delete"),
    path("<int:pk>/finalise/", views.WorkReportFinaliseView.as_view(), name="workreport_finalise"),
    path("<int:pk>/pdf/", views.WorkReportPdfView.as_view(), name="workreport_pdf"),
    path("<int:pk>/xlsx/", views.WorkReportXlsxView.as_view(), name="workreport_xlsx"),
    path("<int:pk>/docx/", views.WorkReportDocxView.as_view(), name="workreport_docx"),
]
