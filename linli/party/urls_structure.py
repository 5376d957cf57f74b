"""Structure pages: organisations, 共建单位, 党员中心户 (linli.party.views_structure)."""

from django.urls import path

from linli.party import views_structure as v

urlpatterns = [
    path("orgs/", v.OrgListView.as_view(), name="org_list"),
    path("orgs/add/", v.OrgEditView.as_view(), name="org_add"),
    path("orgs/<int:pk>/", v.OrgDetailView.as_view(), name="org_detail"),
    path("orgs/<int:pk>/edit/", v.OrgEditView.as_view(), name="org_edit"),
    path("units/", v.UnitListView.as_view(), name="unit_list"),
    path("units/add/", v.UnitEditView.as_view(), name="unit_add"),
    path("units/<int:pk>/", v.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", v.UnitEditView.as_view(), name="unit_edit"),
    path("units/<int:pk>/review/", v.UnitReviewView.as_view(), name="unit_review"),
    path("units/<int:pk>/summary/", v.UnitSummaryView.as_view(), name="unit_summary"),
    path("units/<int:pk>/summary/export/", v.UnitSummaryExportView.as_view(), name="unit_summary_export"),
    path("centres/", v.CentreListView.as_view(), name="centre_list"),
    # by the member whose household is (or becomes) the 中心户
    path("centres/member/<int:pk>/", v.CentreEditView.as_view(), name="centre_edit"),
    path("centres/<int:pk>/end/", v.CentreEndView.as_view(), name="centre_end"),
]
