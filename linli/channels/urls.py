from django.urls import path

from linli.channels import views

app_name = "channels"
urlpatterns = [
    path("groups/", views.WechatGroupListView.as_view(), name="wechat_group_list"),
    path("groups/new/", views.WechatGroupAddView.as_view(), name="wechat_group_add"),
    path("groups/<int:pk>/", views.WechatGroupEditView.as_view(), name="wechat_group_edit"),
    path("groups/<int:pk>/active/", views.WechatGroupActiveView.as_view(), name="wechat_group_active"),
    path("groups/<int:pk>/test/", views.WechatGroupTestView.as_view(), name="wechat_group_test"),
    path("settings/<int:community_pk>/", views.ChannelSettingsEditView.as_view(), name="channel_settings_edit"),
    path("dispatches/", views.DispatchListView.as_view(), name="dispatch_list"),
    path("dispatches/<int:pk>/", views.DispatchDetailView.as_view(), name="dispatch_detail"),
    path("dispatches/<int:pk>/cancel/", views.DispatchCancelView.as_view(), name="dispatch_cancel"),
    path("dispatches/<int:pk>/retry/", views.DispatchRetryView.as_view(), name="dispatch_retry"),
]
