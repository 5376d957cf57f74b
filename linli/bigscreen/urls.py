from django.urls import path

from linli.bigscreen import views, views_display

app_name = "bigscreen"
urlpatterns = [
    path("", views.ScreenListView.as_view(), name="screen_list"),
    path("add/", views.ScreenCreateView.as_view(), name="screen_add"),
    path("<int:pk>/", views.ScreenDetailView.as_view(), name="screen_detail"),
    path("<int:pk>/edit/", views.ScreenEditView.as_view(), name="screen_edit"),
    path("<int:pk>/renew/", views.ScreenActionView.as_view(operation="renew"), name="screen_renew"),
    path("<int:pk>/stop/", views.ScreenActionView.as_view(operation="stop"), name="screen_stop"),
    path("wall/", views.WallView.as_view(), name="wall"),
    path("wall/hide/", views.WallActionView.as_view(operation="hide"), name="wall_hide"),
    path("wall/show/", views.WallActionView.as_view(operation="show"), name="wall_show"),
    path("wall/consent/", views.WallActionView.as_view(operation="consent"), name="wall_consent"),
    # the display device (no login): the screen's long random link
    path("show/<str:key>/", views_display.ScreenShowView.as_view(), name="screen_show"),
    path("show/<str:key>/data/", views_display.ScreenDataView.as_view(), name="screen_data"),
]
