from django.urls import path

from linli.deliberation import views, views_public
from linli.deliberation import views_hearings as hearings

app_name = "deliberation"
urlpatterns = [
    path("", views.MatterListView.as_view(), name="matter_list"),
    path("new/", views.MatterEditView.as_view(), name="matter_add"),
    path("propose/", views.ProposeView.as_view(), name="matter_propose"),
    path("from/<str:kind>/<int:pk>/", views.TurnIntoMatterView.as_view(), name="turn_into_matter"),
    path("<int:pk>/", views.MatterDetailView.as_view(), name="matter_detail"),
    path("<int:pk>/edit/", views.MatterEditView.as_view(), name="matter_edit"),
    path("<int:pk>/accept/", views.MatterAcceptView.as_view(), name="matter_accept"),
    path("<int:pk>/decline/", views.MatterDeclineView.as_view(), name="matter_decline"),
    path("<int:pk>/move/", views.MatterMoveView.as_view(), name="matter_move"),
    path("<int:pk>/close/", views.MatterCloseView.as_view(), name="matter_close"),
    path("<int:pk>/photos/", views.MatterPhotoView.as_view(), name="matter_photos"),
    path("<int:pk>/publish/", views.PublicationAddView.as_view(), name="publication_add"),
    path("<int:pk>/tasks/", views.TaskAddView.as_view(), name="task_add"),
    path("<int:pk>/appeal/", views.MatterAppealView.as_view(), name="matter_appeal"),
    path("<int:pk>/problem/", views.MatterProblemView.as_view(), name="matter_problem"),
    path("tasks/<int:pk>/done/", views.TaskDoneView.as_view(), name="task_done"),
    path("publications/<int:pk>/", views_public.PublicationDetailView.as_view(), name="publication_detail"),
    path("publications/<int:pk>/print/", views_public.PublicationPrintView.as_view(), name="publication_print"),
    path(
        "publications/<int:pk>/withdraw/", views_public.PublicationWithdrawView.as_view(), name="publication_withdraw"
    ),
    path("publications/<int:pk>/objections/", views_public.ObjectionAddView.as_view(), name="objection_add"),
    path("objections/<int:pk>/respond/", views_public.ObjectionRespondView.as_view(), name="objection_respond"),
    path("public/<str:code>/", views_public.PublicBoardView.as_view(), name="public_board"),
    path("public/<str:code>/<int:pk>/", views_public.PublicPublicationView.as_view(), name="public_publication"),
    # hearing residents: meetings (集中议), door-to-door questionnaires (当面议), building table talks (座谈议)
    path("<int:matter>/hearings/", hearings.MatterHearingsView.as_view(), name="matter_hearings"),
    path("<int:matter>/hearings/residents/", hearings.ResidentSearchView.as_view(), name="hearing_resident_search"),
    path("<int:matter>/meetings/new/", hearings.MeetingEditView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", hearings.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", hearings.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/minutes/", hearings.MeetingMinutesView.as_view(), name="meeting_minutes"),
    path("<int:matter>/questionnaires/new/", hearings.QuestionnaireEditView.as_view(), name="questionnaire_add"),
    path("questionnaires/<int:pk>/", hearings.QuestionnaireDetailView.as_view(), name="questionnaire_detail"),
    path("questionnaires/<int:pk>/edit/", hearings.QuestionnaireEditView.as_view(), name="questionnaire_edit"),
    path("questionnaires/<int:pk>/status/", hearings.QuestionnaireStatusView.as_view(), name="questionnaire_status"),
    path(
        "questionnaires/<int:pk>/buildings/<int:building>/",
        hearings.QuestionnaireBuildingView.as_view(),
        name="questionnaire_building",
    ),
    path(
        "questionnaires/<int:pk>/households/<int:household>/",
        hearings.DoorVisitView.as_view(),
        name="door_visit",
    ),
    path("<int:matter>/talks/new/", hearings.TableTalkEditView.as_view(), name="talk_add"),
    path("talks/<int:pk>/", hearings.TableTalkDetailView.as_view(), name="talk_detail"),
    path("talks/<int:pk>/edit/", hearings.TableTalkEditView.as_view(), name="talk_edit"),
]
