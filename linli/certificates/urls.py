from django.urls import path

from linli.certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.CertificateListView.as_view(), name="certificate_list"),
    path("export/", views.CertificateExportView.as_view(), name="certificate_export"),
    path("issue/", views.CertificateIssueView.as_view(), name="certificate_issue"),
    path("<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"),
    path("<int:pk>/pdf/", views.CertificatePdfView.as_view(), name="certificate_pdf"),
    path("<int:pk>/void/", views.CertificateVoidView.as_view(), name="certificate_void"),
    path("<int:pk>/reissue/", views.CertificateReissueView.as_view(), name="certificate_reissue"),
    path("templates/", views.CertificateTemplateListView.as_view(), name="template_list"),
    path("templates/add/", views.CertificateTemplateEditView.as_view(), name="template_add"),
    path("templates/<int:pk>/edit/", views.CertificateTemplateEditView.as_view(), name="template_edit"),
    path("check/", views.CertificateCheckView.as_view(), name="check"),
]
