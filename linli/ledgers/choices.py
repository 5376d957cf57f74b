from django.db import models


class ExportKind(models.TextChoices):
    RESIDENTS_XLSX = "residents_xlsx", "居民台账 Excel"
    PRINT_LEDGER = "print_ledger", "打印台账"
    TEMPLATE = "template", "导入模板"
    APPEALS_XLSX = "appeals_xlsx", "诉求清单 Excel"
    VOLUNTEER_HOURS_XLSX = "volunteer_hours_xlsx", "志愿服务时长 Excel"
    LOVEBANK_STATEMENT = "lovebank_statement", "爱心银行积分明细 Excel"
    LOVEBANK_TOTALS = "lovebank_totals", "爱心银行月度汇总 Excel"
    WISHES_REPORT = "wishes_report", "心愿统计 Excel"
    HOTLINE_REPLIES = "hotline_replies", "12345办理结果 Excel"
    VISITS_XLSX = "visits_xlsx", "走访台账 Excel"
    VISITS_PRINT = "visits_print", "打印走访台账"
    DIARY_XLSX = "diary_xlsx", "民情日记 Excel"
    DIARY_PRINT = "diary_print", "打印民情日记"
    COVERAGE_XLSX = "coverage_xlsx", "走访统计 Excel"
    COVERAGE_PRINT = "coverage_print", "打印走访统计"
    PROBLEMS_XLSX = "problems_xlsx", "问题清单 Excel"
    PROBLEMS_PRINT = "problems_print", "打印问题清单"
    APPEAL_SHEET = "appeal_sheet", "打印派单单/回访单"
    # API list reads of personal data (linli.ledgers.api_reads): logged like exports.
    API_RESIDENTS = "api_residents", "接口读取居民"
    API_APPEALS = "api_appeals", "接口读取诉求"
    API_WISHES = "api_wishes", "接口读取心愿"
    API_LOVEBANK = "api_lovebank", "接口读取积分账户"
    API_VOLUNTEER_HOURS = "api_volunteer_hours", "接口读取志愿者时长"
