from django.urls import path

from linli.party import urls_life, urls_members, urls_pairing, urls_structure, views

app_name = "party"
urlpatterns = [
    path("", views.PartyHomeView.as_view(), name="home"),
    *urls_structure.urlpatterns,
    *urls_members.urlpatterns,
    *urls_life.urlpatterns,
    *urls_pairing.urlpatterns,
]
