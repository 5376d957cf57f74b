"""Codes of the party app, each with the Chinese label people read."""

from django.db import models


class OrgKind(models.TextChoices):
    """The five levels of 青和居's structure (seed 003), top down. 党员中心户 is a household (PartyHousehold), not an
    organisation."""

    STREET_COMMITTEE = "street_committee", "街道大工委"
    COMMUNITY_COMMITTEE = "community_committee", "社区大党委"
    COMMUNITY_ORG = "community_org", "社区党组织"
    GRID_BRANCH = "grid_branch", "网格党支部"
    GROUP = "group", "党小组"


#: Each kind's parent kind: the tree is checked against it (services.save_org).
PARENT_KIND = {
    OrgKind.STREET_COMMITTEE: None,
    OrgKind.COMMUNITY_COMMITTEE: OrgKind.STREET_COMMITTEE,
    OrgKind.COMMUNITY_ORG: OrgKind.COMMUNITY_COMMITTEE,
    OrgKind.GRID_BRANCH: OrgKind.COMMUNITY_ORG,
    OrgKind.GROUP: OrgKind.GRID_BRANCH,
}
#: Organisations whose members are on the roster and which keep 三会一课 (a member belongs to one of them).
BRANCH_KINDS = (OrgKind.COMMUNITY_ORG, OrgKind.GRID_BRANCH)


class OrgForm(models.TextChoices):
    """What a community party organisation is by the party's rules (its size decides it)."""

    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"


class UnitKind(models.TextChoices):
    """A unit that works with the community's 大党委 or whose in-service members register here (双报到)."""

    GOVERNMENT = "government", "机关单位"
    INSTITUTION = "institution", "事业单位"
    STATE_ENTERPRISE = "state_enterprise", "国有企业"
    PRIVATE_ENTERPRISE = "private_enterprise", "非公企业"
    PROPERTY = "property", "物业服务企业"
    OWNERS_COMMITTEE = "owners_committee", "业主委员会"
    SOCIAL_ORG = "social_org", "社会组织"
    POLICE = "police", "派出所/社区警务室"
    SCHOOL = "school", "学校"
    HOSPITAL = "hospital", "医疗机构"
    OTHER = "other", "其他"


class Review(models.TextChoices):
    """The community's confirmation of a 双报到 registration (a unit's or a member's)."""

    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "未通过"


class MemberKind(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class MemberStatus(models.TextChoices):
    """Where a member's party relation is and how they take part here."""

    REGISTERED = "registered", "在册党员"
    FLOATING_OUT = "floating_out", "流动党员（外出）"
    FLOATING_IN = "floating_in", "流动党员（流入）"
    IN_SERVICE = "in_service", "在职党员（双报到）"


class MemberSource(models.TextChoices):
    """How the member came onto the roster."""

    STAFF = "staff", "社区录入"
    SELF = "self", "扫码报到"
    IMPORT = "import", "名册导入"


class LeftReason(models.TextChoices):
    TRANSFERRED = "transferred", "组织关系转出"
    MOVED = "moved", "迁出本社区"
    ENDED = "ended", "报到结束"
    DECEASED = "deceased", "去世"
    OTHER = "other", "其他"


class ContactKind(models.TextChoices):
    """How a paired member kept in touch with the household (结对帮扶 contact record)."""

    VISIT = "visit", "上门看望"
    PHONE = "phone", "电话联系"
    WECHAT = "wechat", "微信联系"
    HELP = "help", "代办帮办"
    OTHER = "other", "其他"


class MeetingKind(models.TextChoices):
    """三会一课 and 主题党日."""

    GENERAL = "general", "支部党员大会"
    COMMITTEE = "committee", "支部委员会"
    GROUP = "group", "党小组会"
    LECTURE = "lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"


class Period(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"


#: The least each kind must be held (中国共产党支部工作条例（试行）第十九条; 主题党日 monthly by practice).
MEETING_RULES: dict[str, str] = {
    MeetingKind.GENERAL: Period.QUARTER,
    MeetingKind.COMMITTEE: Period.MONTH,
    MeetingKind.GROUP: Period.MONTH,
    MeetingKind.LECTURE: Period.QUARTER,
    MeetingKind.THEME_DAY: Period.MONTH,
}


class Attendance(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class Rating(models.TextChoices):
    """民主评议党员: the branch's rating of a member for the year."""

    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    BASIC = "basic", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"


class ExportKind(models.TextChoices):
    """Export log kinds (≤ 20 characters: linli.core.excel.exports)."""

    MEMBERS = "party_members", "党员名册"
    UNIT_SUMMARY = "party_unit_summary", "双报到单位服务汇总"
    COMPLIANCE = "party_compliance", "三会一课落实情况"
    API_MEMBERS = "api_party_members", "接口读取党员"
    SERVICE = "party_service", "党员服务汇总"
