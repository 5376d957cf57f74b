from django.urls import path

from linli.hotline import views

app_name = "hotline"
urlpatterns = [
    path("", views.OrderListView.as_view(), name="order_list"),
    path("imports/", views.ImportUploadView.as_view(), name="import_upload"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/run/", views.ImportRunView.as_view(), name="import_run"),
    path("export/", views.ExportView.as_view(), name="export"),
]
