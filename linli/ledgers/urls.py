from django.urls import path

from linli.ledgers import urls_export, views

app_name = "ledgers"
urlpatterns = [
    path("imports/", views.ImportListView.as_view(), name="import_list"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/run/", views.ImportRunView.as_view(), name="import_run"),
    *urls_export.urlpatterns,
]
