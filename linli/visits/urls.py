from django.urls import path

from linli.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.WorklistView.as_view(), name="worklist"),
    path("resident/<int:pk>/log/", views.VisitLogView.as_view(), name="visit_log"),
    path("alerts/", views.AlertListView.as_view(), name="alert_list"),
    path("alerts/<int:pk>/resolve/", views.AlertResolveView.as_view(), name="alert_resolve"),
]
