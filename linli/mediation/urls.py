from django.urls import path

from linli.mediation import views, views_figures, views_people, views_reception

app_name = "mediation"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("new/", views.CaseAddView.as_view(), name="case_add"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("<int:pk>/edit/", views.CaseEditView.as_view(), name="case_edit"),
    path("<int:pk>/assign/", views.CaseAssignView.as_view(), name="case_assign"),
    path("<int:pk>/parties/", views.PartyAddView.as_view(), name="party_add"),
    path("<int:pk>/sessions/", views.SessionAddView.as_view(), name="session_add"),
    path("<int:pk>/settle/", views.CaseSettleView.as_view(), name="case_settle"),
    path("<int:pk>/fail/", views.CaseFailView.as_view(), name="case_fail"),
    path("<int:pk>/withdraw/", views.CaseWithdrawView.as_view(), name="case_withdraw"),
    path("<int:pk>/agreement/", views.AgreementPrintView.as_view(), name="agreement_print"),
    path("<int:pk>/agreement/scan/", views.AgreementScanView.as_view(), name="agreement_scan"),
    path("follow-ups/<int:pk>/", views.FollowUpRecordView.as_view(), name="follow_up_record"),
    path("<int:pk>/agreement/scan/file/", views.AgreementScanFileView.as_view(), name="agreement_scan_file"),
    path("from-appeal/<int:pk>/", views.CaseFromAppealView.as_view(), name="case_from_appeal"),
    path("from-note/<int:pk>/", views.CaseFromNoteView.as_view(), name="case_from_note"),
    path("from-matter/<int:pk>/", views.CaseFromMatterView.as_view(), name="case_from_matter"),
    path("receptions/", views_reception.ReceptionListView.as_view(), name="reception_list"),
    path("receptions/new/", views_reception.ReceptionAddView.as_view(), name="reception_add"),
    path("figures/", views_figures.FiguresView.as_view(), name="figures"),
    path("export/", views_figures.RegisterExportView.as_view(), name="register_export"),
    path("mediators/", views_people.MediatorListView.as_view(), name="mediator_list"),
    path("mediators/new/", views_people.MediatorEditView.as_view(), name="mediator_add"),
    path("mediators/<int:pk>/edit/", views_people.MediatorEditView.as_view(), name="mediator_edit"),
    path("rooms/new/", views_people.RoomEditView.as_view(), name="room_add"),
    path("rooms/<int:pk>/edit/", views_people.RoomEditView.as_view(), name="room_edit"),
]
