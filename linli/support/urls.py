from django.urls import path

from linli.support import views_assistance, views_directory, views_pairing

app_name = "support"
urlpatterns = [
    # 帮扶台账
    path("", views_assistance.AssistanceListView.as_view(), name="assistance_list"),
    path("assistance/add/", views_assistance.AssistanceAddView.as_view(), name="assistance_add"),
    path("assistance/export/", views_assistance.AssistanceExportView.as_view(), name="assistance_export"),
    path("households/<int:pk>/", views_assistance.HouseholdHistoryView.as_view(), name="household_history"),
    path("care/", views_assistance.CareTableView.as_view(), name="care_table"),
    path("care/export/", views_assistance.CareExportView.as_view(), name="care_export"),
    path("grids/", views_assistance.GridFiguresView.as_view(), name="grid_figures"),
    path("grids/export/", views_assistance.GridExportView.as_view(), name="grid_export"),
    # 结对帮扶（志愿者/单位）
    path("pairings/", views_pairing.PairingListView.as_view(), name="pairing_list"),
    path("pairings/add/", views_pairing.PairingAddView.as_view(), name="pairing_add"),
    path("pairings/<int:pk>/", views_pairing.PairingDetailView.as_view(), name="pairing_detail"),
    path("pairings/<int:pk>/contact/", views_pairing.ContactAddView.as_view(), name="contact_add"),
    path("pairings/<int:pk>/end/", views_pairing.PairingEndView.as_view(), name="pairing_end"),
    # 驻区单位名录, 好商家
    path("organisations/", views_directory.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/add/", views_directory.OrganisationEditView.as_view(), name="organisation_add"),
    path("organisations/export/", views_directory.OrganisationExportView.as_view(), name="organisation_export"),
    path("organisations/<int:pk>/", views_directory.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views_directory.OrganisationEditView.as_view(), name="organisation_edit"),
    path(
        "organisations/<int:pk>/contribution/",
        views_directory.ContributionAddView.as_view(),
        name="contribution_add",
    ),
    path("merchants/", views_directory.MerchantListView.as_view(), name="merchant_list"),
    path("public/<str:code>/merchants/", views_directory.merchant_public, name="merchant_public"),
]
