from django.urls import path

from linli.wishes import views, views_claimers, views_donations, views_public, views_report

app_name = "wishes"
urlpatterns = [
    path("", views.WishListView.as_view(), name="wish_list"),
    path("new/", views.WishEditView.as_view(), name="wish_add"),
    path("<int:pk>/", views.WishDetailView.as_view(), name="wish_detail"),
    path("<int:pk>/edit/", views.WishEditView.as_view(), name="wish_edit"),
    path("<int:pk>/claim/", views.WishClaimView.as_view(), name="wish_claim"),
    path("<int:pk>/release/", views.WishReleaseView.as_view(), name="wish_release"),
    path("<int:pk>/fulfil/", views.WishFulfilView.as_view(), name="wish_fulfil"),
    path("<int:pk>/thanks/", views.WishThanksView.as_view(), name="wish_thanks"),
    path("<int:pk>/cancel/", views.WishCancelView.as_view(), name="wish_cancel"),
    path("claimers/", views_claimers.ClaimerListView.as_view(), name="claimer_list"),
    path("claimers/new/", views_claimers.ClaimerEditView.as_view(), name="claimer_add"),
    path("claimers/<int:pk>/edit/", views_claimers.ClaimerEditView.as_view(), name="claimer_edit"),
    path("report/", views_report.WishReportView.as_view(), name="wish_report"),
    path("donations/", views_donations.DonationStockView.as_view(), name="donation_stock"),
    path("public/<str:code>/", views_public.WishPublicView.as_view(), name="wish_public"),
]
