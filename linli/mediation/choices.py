from django.db import models


class CaseType(models.TextChoices):
    NEIGHBOUR = "neighbour", "邻里纠纷"
    FAMILY = "family", "家庭纠纷"
    PROPERTY = "property", "物业纠纷"
    NOISE = "noise", "噪音"
    LEAK = "leak", "漏水"
    OBSTRUCTION = "obstruction", "占道"
    MARRIAGE = "marriage", "婚姻家庭"
    OTHER = "other", "其他"


class CaseSource(models.TextChoices):
    WALK_IN = "walk_in", "顺顺吧接待"
    APPEAL = "appeal", "诉求转入"
    VISIT = "visit", "走访发现"
    DIARY = "diary", "民情日记"
    MATTER = "matter", "议题转入"
    REFERRAL = "referral", "网格员转介"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"


class CaseStatus(models.TextChoices):
    RECEIVED = "received", "已受理"
    MEDIATING = "mediating", "调解中"
    SETTLED = "settled", "调解成功"
    FAILED = "failed", "调解不成"
    WITHDRAWN = "withdrawn", "已撤回"
    REOPENED = "reopened", "重新调解"


#: A case in these states is still being worked on (sessions, outcome).
OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.MEDIATING, CaseStatus.REOPENED)
CLOSED_STATUSES = (CaseStatus.SETTLED, CaseStatus.FAILED, CaseStatus.WITHDRAWN)
#: A mediation that ran to its end, either way: the whole of the success rate (调解成功率 = settled / these).
CONCLUDED_STATUSES = (CaseStatus.SETTLED, CaseStatus.FAILED)


class AgreementKind(models.TextChoices):
    WRITTEN = "written", "书面协议（人民调解协议书）"
    ORAL = "oral", "口头协议"


class Referral(models.TextChoices):
    LITIGATION = "litigation", "引导诉讼"
    ARBITRATION = "arbitration", "引导仲裁"
    DEPARTMENT = "department", "转职能部门（诉求）"
    NONE = "none", "不再处理"


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    OTHER = "other", "其他当事人"


class MediatorKind(models.TextChoices):
    PEOPLE = "people", "人民调解员"
    PARTY_MEMBER = "party_member", "党员"
    BUILDING_CAPTAIN = "building_captain", "楼栋长"
    VOLUNTEER = "volunteer", "志愿者"


class FollowUpResult(models.TextChoices):
    PERFORMED = "performed", "已履行"
    PARTLY = "partly", "部分履行"
    NOT_PERFORMED = "not_performed", "未履行"


class ReceptionHandling(models.TextChoices):
    LISTENED = "listened", "倾听疏导"
    CASE = "case", "立案调解"
    REFERRED = "referred", "转有关部门"


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/mediation/shell.py)."""

    REGISTER = "mediation_register", "人民调解案件登记簿 Excel"
