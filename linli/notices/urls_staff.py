"""Staff pages of 通知公告 and a resident's reading of a notice (notices:notice_detail), and 常用名单."""

from django.urls import path

from linli.notices import views, views_saved

urlpatterns = [
    path("", views.NoticeListView.as_view(), name="notice_list"),
    path("add/", views.NoticeFormView.as_view(), name="notice_add"),
    path("<int:pk>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path("<int:pk>/edit/", views.NoticeFormView.as_view(), name="notice_edit"),
    path("<int:pk>/send/", views.NoticeSendView.as_view(), name="notice_send"),
    path("<int:pk>/withdraw/", views.NoticeWithdrawView.as_view(), name="notice_withdraw"),
    path("audience/picker/", views.AudiencePickerView.as_view(), name="audience_picker"),
    path("audience/count/", views.AudienceCountView.as_view(), name="audience_count"),
    path("audience/export/", views.AudienceExportView.as_view(), name="audience_export"),
    path("lists/", views_saved.SavedAudienceListView.as_view(), name="saved_audience_list"),
    path("lists/add/", views_saved.SavedAudienceAddView.as_view(), name="saved_audience_add"),
    path("lists/<int:pk>/", views_saved.SavedAudienceDetailView.as_view(), name="saved_audience_detail"),
    path("lists/<int:pk>/edit/", views_saved.SavedAudienceEditView.as_view(), name="saved_audience_edit"),
    path("lists/<int:pk>/members/", views_saved.SavedAudienceMembersView.as_view(), name="saved_audience_members"),
    path("lists/<int:pk>/delete/", views_saved.SavedAudienceDeleteView.as_view(), name="saved_audience_delete"),
]
