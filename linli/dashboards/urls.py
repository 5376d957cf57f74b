from django.urls import path

from linli.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.DashboardHomeView.as_view(), name="dashboard_home"),
    path("street/<int:pk>/", views.DashboardView.as_view(level="street"), name="street_dashboard"),
    path("community/<int:pk>/", views.DashboardView.as_view(level="community"), name="community_dashboard"),
    path("grid/<int:pk>/", views.DashboardView.as_view(level="grid"), name="grid_dashboard"),
]
