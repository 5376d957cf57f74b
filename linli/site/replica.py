"""The pages whose GETs read from the read replica when there is one (linli.core.dbrouter): the figures,
statistics and reports of every app and its Excel exports. Lists and detail pages are not here: a clerk opens them
right after a change, and a lagging replica would show the list without it (the pin after a write covers the
same client, not a colleague at the next desk who was just told "it is done").

A new figures page, report or export is added here; linli/core/tests/test_dbrouter.py fails for a route named
like one (export, xlsx, figures, stats, report, ledger, summary, totals) that is in neither list.
"""

from __future__ import annotations

#: dashboards, figures, statistics
FIGURES = {
    "visits:coverage",
    "visits:coverage_overdue",
    "appeals:appeal_stats",
    "volunteers:hours_report",
    "lovebank:honour_board",
    "lovebank:monthly_totals",
    "wishes:wish_report",
    "mediation:figures",
    "party:unit_summary",
    "party:compliance",
    "party:service_summary",
    "afterschool:figures",
    "support:grid_figures",
}
#: printed ledgers and reports (and their .xlsx)
REPORTS = {
    "visits:visit_ledger",
    "visits:visit_ledger_xlsx",
    "visits:diary_ledger",
    "visits:diary_ledger_xlsx",
    "visits:coverage_ledger",
    "visits:coverage_ledger_xlsx",
    "ledgers:print_building",
    "ledgers:print_grid",
    "appeals:problem_list_print",
    "appeals:problem_list_xlsx",
}
#: Excel exports (the export record itself is written to the primary, and the rest of the request then reads the
#: export log from there too)
EXPORTS = {
    "ledgers:resident_export",
    "appeals:appeal_export",
    "hotline:export",
    "lovebank:account_export",
    "lovebank:totals_export",
    "mediation:register_export",
    "votes:vote_export",
    "notices:audience_export",
    "notices:notice_household_export",
    "campaigns:campaign_export",
    "party:unit_summary_export",
    "party:member_export",
    "party:compliance_export",
    "party:service_export",
    "places:usage_export",
    "places:booking_export",
    "afterschool:roster_export",
    "afterschool:attendance_export",
    "hall:ticket_export",
    "hall:appointment_export",
    "hall:errand_export",
    "certificates:certificate_export",
    "support:assistance_export",
    "support:care_export",
    "support:grid_export",
    "support:organisation_export",
}
ROUTES = FIGURES | REPORTS | EXPORTS

#: Named like a report but read on the primary, and why.
PRIMARY = {
    "ledgers:export_log": "刚导出的人马上要看到自己的导出记录",
    "ledgers:import_list": "导入进度：刚上传的台账要马上看到",
    "ledgers:import_detail": "导入进度",
    "ledgers:import_run": "导入操作（POST）",
    "ledgers:import_template": "空白模板，不读数据",
    "appeals:appeal_sheet_dispatch": "派单后马上打印的派单单",
    "appeals:appeal_sheet_callback": "回访后马上打印的回访单",
    "appeals:intake_reporter_search": "登记诉求时查找来电人（刚登记的人要能找到）",
    "deliberation:publication_print": "公示打印：刚发布的内容",
    "deliberation:public_board": "居民看的公示栏：刚发布的内容",
    "deliberation:questionnaire_status": "改状态（POST）",
    "mediation:agreement_print": "刚签的协议马上打印",
    "mediation:case_from_appeal": "从诉求建案（POST）",
    "notices:public_board": "居民看的公告栏：刚发布的通知",
    "campaigns:campaign_start": "改状态（POST）",
    "campaigns:campaign_close": "改状态（POST）",
    "campaigns:campaign_reopen": "改状态（POST）",
    "places:room_timetable_print": "刚预约的场地马上打印",
    "hall:ticket_status": "改状态（POST）",
    "hall:appointment_status": "改状态（POST）",
    "tracking:status": "居民查询刚提交的诉求",
    # 工作报告: a draft is read right after its author saves a paragraph or picks a case, and a report is
    # downloaded right after it is finalised; the figures inside come from the daily rollup either way.
    "workreports:workreport_list": "刚新建的报告要马上出现在列表里",
    "workreports:workreport_add": "新建报告（POST）",
    "workreports:workreport_detail": "刚保存的草稿段落和案例要马上看到",
    "workreports:workreport_edit": "编辑草稿（POST）",
    "workreports:workreport_case_add": "选典型案例（POST）",
    "workreports:workreport_case_delete": "移除典型案例（POST）",
    "workreports:workreport_finalise": "定稿（POST）",
    "workreports:workreport_pdf": "刚定稿的报告马上下载报送",
    "workreports:workreport_xlsx": "刚定稿的报告马上下载",
    "workreports:workreport_docx": "刚定稿的报告马上下载编辑",
}


def register() -> None:
    from linli.core import dbrouter

    dbrouter.REPLICA_OK_ROUTES.update(ROUTES)
