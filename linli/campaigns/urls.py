from django.urls import path

from linli.campaigns import views, views_import

app_name = "campaigns"
urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaign_list"),
    path("new/", views.CampaignEditView.as_view(), name="campaign_add"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("<int:pk>/edit/", views.CampaignEditView.as_view(), name="campaign_edit"),
    path("<int:pk>/work/", views.CampaignWorkView.as_view(), name="campaign_work"),
    path("<int:pk>/targets/add/", views.CampaignTargetsAddView.as_view(), name="campaign_targets_add"),
    path("<int:pk>/targets/remove/", views.TargetRemoveView.as_view(), name="target_remove"),
    path("<int:pk>/start/", views.CampaignStatusView.as_view(change="start"), name="campaign_start"),
    path("<int:pk>/close/", views.CampaignStatusView.as_view(change="close"), name="campaign_close"),
    path("<int:pk>/reopen/", views.CampaignStatusView.as_view(change="reopen"), name="campaign_reopen"),
    path("<int:pk>/outcomes/", views.OutcomeAddView.as_view(), name="outcome_add"),
    path("outcomes/<int:pk>/delete/", views.OutcomeDeleteView.as_view(), name="outcome_delete"),
    path("<int:pk>/export.xlsx", views.CampaignExportView.as_view(), name="campaign_export"),
    path("<int:pk>/columns/", views.CampaignColumnsView.as_view(), name="campaign_columns"),
    path("<int:pk>/notice/", views.CampaignNoticeView.as_view(), name="campaign_notice"),
    path("<int:pk>/imports/", views_import.ImportUploadView.as_view(), name="import_upload"),
    path("imports/<int:pk>/", views_import.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/run/", views_import.ImportRunView.as_view(), name="import_run"),
    path("targets/", views.TargetListView.as_view(), name="target_list"),
    path("targets/<int:pk>/record/", views.TargetRecordView.as_view(), name="target_record"),
]
