"""Organisational life: 三会一课 meetings, the compliance table, 民主评议党员."""

from django.urls import path

from linli.party import views_life as v

urlpatterns: list = [
    path("meetings/", v.PartyMeetingListView.as_view(), name="meeting_list"),
    path("meetings/add/", v.PartyMeetingAddView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", v.PartyMeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", v.PartyMeetingEditView.as_view(), name="meeting_edit"),
    path("compliance/", v.ComplianceView.as_view(), name="compliance"),
    path("compliance/export/", v.ComplianceExportView.as_view(), name="compliance_export"),
    path("appraisals/", v.AppraisalListView.as_view(), name="appraisal_list"),
    path("appraisals/add/", v.AppraisalAddView.as_view(), name="appraisal_add"),
    path("appraisals/<int:pk>/", v.AppraisalDetailView.as_view(), name="appraisal_detail"),
    path("appraisals/<int:pk>/edit/", v.AppraisalEditView.as_view(), name="appraisal_edit"),
    path("appraisals/<int:pk>/finalise/", v.AppraisalFinaliseView.as_view(), name="appraisal_finalise"),
]
