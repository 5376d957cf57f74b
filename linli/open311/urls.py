from django.urls import path, re_path

from linli.open311 import views, views_keys

app_name = "open311"
_FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})$"
urlpatterns = [
    path("keys/", views_keys.ApiKeyListView.as_view(), name="apikey_list"),
    path("keys/<int:pk>/revoke/", views_keys.ApiKeyRevokeView.as_view(), name="apikey_revoke"),
    path("v2/", views.discovery, {"fmt": "json"}, name="root"),
    re_path(r"^v2/discovery" + _FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + _FMT, views.service_list, name="service_list"),
    re_path(r"^v2/services/(?P<code>[^/]+?)" + _FMT, views.service_definition, name="service_definition"),
    re_path(r"^v2/requests" + _FMT, views.requests, name="request_list"),
    re_path(r"^v2/requests/(?P<number>[^/]+?)" + _FMT, views.request_detail, name="request_detail"),
    re_path(r"^v2/tokens/(?P<token>[^/]+?)" + _FMT, views.token, name="token"),
]
