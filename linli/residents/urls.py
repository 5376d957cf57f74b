from django.urls import path

from linli.residents import views, views_home

app_name = "residents"
urlpatterns = [
    path("", views.ResidentListView.as_view(), name="resident_list"),
    path("bulk-tag/", views.ResidentBulkTagView.as_view(), name="resident_bulk_tag"),
    path("search/", views.SearchView.as_view(), name="resident_search"),
    path("new/", views.ResidentEditView.as_view(), name="resident_add"),
    path("me/", views.MyRecordView.as_view(), name="my_record"),
    path("me/s/<str:name>/", views_home.MySectionView.as_view(), name="my_section"),
    path("me/family/", views_home.FamilyView.as_view(), name="family"),
    path("me/family/<int:pk>/", views_home.FamilyHelpView.as_view(), name="family_view"),
    path("<int:pk>/", views.ResidentDetailView.as_view(), name="resident_detail"),
    path("<int:pk>/edit/", views.ResidentEditView.as_view(), name="resident_edit"),
    path("<int:pk>/left/", views.MarkLeftView.as_view(), name="resident_mark_left"),
    path("<int:pk>/delete/", views.ResidentDeleteView.as_view(), name="resident_delete"),
    path("<int:pk>/family/", views_home.FamilyRecordView.as_view(), name="family_record"),
    path("<int:pk>/reveal-id/", views.RevealIdNumberView.as_view(), name="resident_reveal_id"),
    path("<int:resident_pk>/contacts/new/", views.EmergencyContactEditView.as_view(), name="contact_add"),
    path("contacts/<int:pk>/edit/", views.EmergencyContactEditView.as_view(), name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.EmergencyContactDeleteView.as_view(), name="contact_delete"),
    path("reveals/", views.RevealRecordListView.as_view(), name="reveal_list"),
    path("tags/", views.TagListView.as_view(), name="tag_list"),
    path("tags/new/", views.TagEditView.as_view(), name="tag_add"),
    path("tags/<int:pk>/edit/", views.TagEditView.as_view(), name="tag_edit"),
]
