from django.urls import path

from linli.deliberation import views_hearings as hearings

app_name = "deliberation"
urlpatterns = [
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
