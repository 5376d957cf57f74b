from django.urls import path

from linli.party import views_members as v
from linli.party import views_register as r

urlpatterns = [
    path("members/", v.PartyMemberListView.as_view(), name="member_list"),
    path("members/add/", v.PartyMemberCreateView.as_view(), name="member_add"),
    path("members/export/", v.PartyMemberExportView.as_view(), name="member_export"),
    path("members/<int:pk>/", v.PartyMemberDetailView.as_view(), name="member_detail"),
    path("members/<int:pk>/edit/", v.PartyMemberEditView.as_view(), name="member_edit"),
    path("members/<int:pk>/leave/", v.PartyMemberLeaveView.as_view(), name="member_leave"),
    path("members/<int:pk>/review/", v.PartyMemberReviewView.as_view(), name="member_review"),
    path("members/import/", v.MemberImportView.as_view(), name="member_import"),
    path("members/import/<int:pk>/", v.ImportDetailView.as_view(), name="import_detail"),
    path("members/import/<int:pk>/run/", v.ImportRunView.as_view(), name="import_run"),
    path("register/<str:code>/", r.RegisterView.as_view(), name="register"),
    path("register-poster/<int:pk>/", r.RegisterPosterView.as_view(), name="register_poster"),
]
