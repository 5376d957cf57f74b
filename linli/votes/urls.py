from django.urls import path

from linli.votes import views

app_name = "votes"
urlpatterns = [
    path("", views.VoteListView.as_view(), name="vote_list"),
    path("matter/<int:matter_pk>/new/", views.VoteAddView.as_view(), name="vote_add"),
    path("<int:pk>/", views.VoteDetailView.as_view(), name="vote_detail"),
    path("<int:pk>/open/", views.VoteOpenView.as_view(), name="vote_open"),
    path("<int:pk>/close/", views.VoteCloseView.as_view(), name="vote_close"),
    path("<int:pk>/cast/", views.VoteCastView.as_view(), name="vote_cast"),
    path("<int:pk>/door/", views.VoteEntryView.as_view(), name="vote_door"),
    path("<int:pk>/paper/", views.VotePaperView.as_view(), name="vote_paper"),
    path("<int:pk>/ballots/", views.VoteBallotsView.as_view(), name="vote_ballots"),
    path("<int:pk>/notice/", views.VoteNoticeView.as_view(), name="vote_notice"),
    path("<int:pk>/turnout.xlsx", views.VoteExportView.as_view(), name="vote_export"),
    path("public/<int:pk>/", views.VotePublicView.as_view(), name="vote_public"),
]
