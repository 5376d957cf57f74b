from django.urls import path

from linli.appeals import (
    views,
    views_bulk,
    views_directory,
    views_duplicates,
    views_print,
    views_problems,
    views_public,
)
from linli.appeals.views_queues import AppealExportView, AppealListView
from linli.appeals.views_stats import AppealStatsView

app_name = "appeals"
urlpatterns = [
    path("", AppealListView.as_view(), name="appeal_list"),
    path("export/", AppealExportView.as_view(), name="appeal_export"),
    path("bulk-dispatch/", views_bulk.AppealBulkDispatchView.as_view(), name="appeal_bulk_dispatch"),
    path("stats/", AppealStatsView.as_view(), name="appeal_stats"),
    path("new/", views.AppealCreateView.as_view(), name="appeal_add"),
    path("new/reporters/", views.IntakeReporterSearchView.as_view(), name="intake_reporter_search"),
    path("new/duplicates/", views_duplicates.IntakeDuplicatesView.as_view(), name="intake_duplicates"),
    path("<int:pk>/", views.AppealDetailView.as_view(), name="appeal_detail"),
    path("<int:pk>/edit/", views.AppealEditView.as_view(), name="appeal_edit"),
    path("<int:pk>/dispatch/", views.AppealDispatchView.as_view(), name="appeal_dispatch"),
    path("<int:pk>/sign/", views.AppealSignView.as_view(), name="appeal_sign"),
    path("<int:pk>/return/", views.AppealReturnView.as_view(), name="appeal_return"),
    path("<int:pk>/assist/", views.AppealAssistView.as_view(), name="appeal_assist"),
    path("<int:pk>/progress/", views.AppealProgressView.as_view(), name="appeal_progress"),
    path("<int:pk>/extension/", views.AppealExtensionView.as_view(), name="appeal_extension"),
    path("<int:pk>/extension/decide/", views.AppealExtensionDecideView.as_view(), name="appeal_extension_decide"),
    path("<int:pk>/resolve/", views.AppealResolveView.as_view(), name="appeal_resolve"),
    path("<int:pk>/reply/", views.AppealReplyView.as_view(), name="appeal_reply"),
    path("<int:pk>/public/", views.AppealPublicView.as_view(), name="appeal_public"),
    path("<int:pk>/reopen/", views.AppealReopenView.as_view(), name="appeal_reopen"),
    path("<int:pk>/escalate/", views.AppealEscalateView.as_view(), name="appeal_escalate"),
    path("<int:pk>/withdraw/", views.AppealWithdrawView.as_view(), name="appeal_withdraw"),
    path("<int:pk>/merge/", views_duplicates.AppealMergeView.as_view(), name="appeal_merge"),
    path("<int:pk>/unmerge/", views_duplicates.AppealUnmergeView.as_view(), name="appeal_unmerge"),
    # directory (啥事儿该找谁), problem lists (问题清单), public results (结果公开)
    path("guide/", views_directory.UnitGuideView.as_view(), name="unit_guide"),
    path("units/", views_directory.UnitSetupView.as_view(), name="unit_setup"),
    path("units/bind/", views_directory.UnitBindView.as_view(), name="unit_bind"),
    path("units/route/", views_directory.CategoryRouteView.as_view(), name="category_route"),
    path("units/<int:pk>/edit/", views_directory.HandlingUnitEditView.as_view(), name="unit_edit"),
    path("directory/", views_directory.DirectoryView.as_view(), name="directory"),
    path("categories/add/", views_directory.CategoryEditView.as_view(), name="category_add"),
    path("categories/<int:pk>/edit/", views_directory.CategoryEditView.as_view(), name="category_edit"),
    path("organisations/add/", views_directory.OrganisationEditView.as_view(), name="organisation_add"),
    path("organisations/<int:pk>/edit/", views_directory.OrganisationEditView.as_view(), name="organisation_edit"),
    path("problems/", views_problems.ProblemListIndexView.as_view(), name="problem_lists"),
    path("problems/add/", views_problems.ProblemListEditView.as_view(), name="problem_list_add"),
    path("problems/<int:pk>/", views_problems.ProblemListDetailView.as_view(), name="problem_list_detail"),
    path("problems/<int:pk>/print/", views_print.ProblemListLedgerView.as_view(), name="problem_list_print"),
    path("problems/<int:pk>/export/", views_print.ProblemListLedgerView.as_view(xlsx=True), name="problem_list_xlsx"),
    path(
        "<int:pk>/print/dispatch/", views_print.AppealSheetView.as_view(sheet="dispatch"), name="appeal_sheet_dispatch"
    ),
    path(
        "<int:pk>/print/callback/", views_print.AppealSheetView.as_view(sheet="callback"), name="appeal_sheet_callback"
    ),
    path("problems/<int:pk>/edit/", views_problems.ProblemListEditView.as_view(), name="problem_list_edit"),
    path("problems/<int:list_pk>/items/add/", views_problems.ProblemItemEditView.as_view(), name="problem_item_add"),
    path("problem-items/<int:pk>/edit/", views_problems.ProblemItemEditView.as_view(), name="problem_item_edit"),
    path("problem-items/<int:pk>/link/", views_problems.ProblemItemLinkView.as_view(), name="problem_item_link"),
    path(
        "problem-items/<int:pk>/unlink/<int:appeal_pk>/",
        views_problems.ProblemItemUnlinkView.as_view(),
        name="problem_item_unlink",
    ),
    path("problem-items/<int:pk>/solve/", views_problems.ProblemItemSolveView.as_view(), name="problem_item_solve"),
    path("public/<str:code>/", views_public.PublicResultsView.as_view(), name="public_results"),
]
