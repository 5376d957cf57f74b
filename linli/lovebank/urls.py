from django.urls import path

from linli.lovebank import views, views_deeds, views_reports, views_rules

app_name = "lovebank"
urlpatterns = [
    path("", views.AccountListView.as_view(), name="account_list"),
    path("accounts/new/", views.HolderAddView.as_view(), name="holder_add"),
    path("accounts/<int:pk>/", views.AccountDetailView.as_view(), name="account_detail"),
    path("accounts/<int:pk>/redeem/", views.RedemptionAddView.as_view(), name="redemption_add"),
    path("me/", views.MyAccountView.as_view(), name="my_account"),
    path("redemptions/", views.RedemptionListView.as_view(), name="redemption_list"),
    path("redemptions/<int:pk>/collect/", views.RedemptionCollectView.as_view(), name="redemption_collect"),
    path("redemptions/<int:pk>/cancel/", views.RedemptionCancelView.as_view(), name="redemption_cancel"),
    path("transactions/<int:pk>/reverse/", views.TransactionReverseView.as_view(), name="transaction_reverse"),
    path("deeds/", views_deeds.DeedListView.as_view(), name="deed_list"),
    path("deeds/new/", views_deeds.DeedAddView.as_view(), name="deed_add"),
    path("deeds/<int:pk>/", views_deeds.DeedDetailView.as_view(), name="deed_detail"),
    path("deeds/<int:pk>/approve/", views_deeds.DeedApproveView.as_view(), name="deed_approve"),
    path("deeds/<int:pk>/reject/", views_deeds.DeedRejectView.as_view(), name="deed_reject"),
    path("catalogue/", views_deeds.CatalogueItemListView.as_view(), name="item_list"),
    path("catalogue/new/", views_deeds.CatalogueItemEditView.as_view(), name="item_add"),
    path("catalogue/<int:pk>/edit/", views_deeds.CatalogueItemEditView.as_view(), name="item_edit"),
    path("accounts/<int:pk>/export/", views_reports.AccountStatementExportView.as_view(), name="account_export"),
    path("honour/", views_reports.HonourBoardView.as_view(), name="honour_board"),
    path("totals/", views_reports.MonthlyTotalsView.as_view(), name="monthly_totals"),
    path("totals/export/", views_reports.MonthlyTotalsExportView.as_view(), name="totals_export"),
    path("rules/", views_rules.EarningRuleListView.as_view(), name="rule_list"),
]
