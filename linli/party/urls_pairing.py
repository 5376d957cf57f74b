"""结对帮扶 and the members' service summary (linli.party.views_pairing)."""

from django.urls import path

from linli.party import views_pairing as views

urlpatterns: list = [
    path("pairings/", views.PairingListView.as_view(), name="pairing_list"),
    path("pairings/add/", views.PairingAddView.as_view(), name="pairing_add"),
    path("pairings/<int:pk>/", views.PairingDetailView.as_view(), name="pairing_detail"),
    path("pairings/<int:pk>/end/", views.PairingEndView.as_view(), name="pairing_end"),
    path("pairings/<int:pk>/contact/", views.PairingContactAddView.as_view(), name="contact_add"),
    path("service/", views.ServiceSummaryView.as_view(), name="service_summary"),
    path("service/export/", views.ServiceExportView.as_view(), name="service_export"),
]
