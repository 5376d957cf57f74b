from django.urls import path

from linli.deliberation import views, views_public

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
]
