from django.db import models

#: Care groups (Tag codes, linli/residents/defaults.py) whose households are "in need" (关爱名单, the support app's
#: yearly table and figures per grid): Household.care_members counts a household's active residents in one of them
#: (linli.residents.care keeps it).
CARE_TAGS = ("living_alone", "empty_nest", "disabled", "low_income", "dibao", "hardship", "left_behind_child")


class ResidenceType(models.TextChoices):
    REGISTERED = "registered", "户籍"
    PERMANENT = "permanent", "常住"
    MIGRANT = "migrant", "流动"
    TENANT = "tenant", "租户"


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙子女"
    GRANDPARENT = "grandparent", "祖父母"
    SIBLING = "sibling", "兄弟姐妹"
    CHILD_IN_LAW = "child_in_law", "儿媳/女婿"
    TENANT = "tenant", "租住人员"
    OTHER = "other", "其他"


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class ResidentStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    MOVED_OUT = "moved_out", "已迁出"
    DECEASED = "deceased", "已故"


class RevealField(models.TextChoices):
    ID_NUMBER = "id_number", "身份证号码"
    PHONE = "phone", "联系电话"


class ContactRelation(models.TextChoices):
    """How an emergency contact is related to the resident."""

    CHILD = "child", "子女"
    SPOUSE = "spouse", "配偶"
    SIBLING = "sibling", "兄弟姐妹"
    RELATIVE = "relative", "其他亲属"
    NEIGHBOUR = "neighbour", "邻居"
    OTHER = "other", "其他"


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/residents/shell.py)."""

    API_RESIDENTS = "api_residents", "接口读取居民"


def export_filter_values() -> dict:
    """Per filter name, the labels of its codes in an export of residents (the export log: status "active")."""
    return {
        "status": dict(ResidentStatus.choices),
        "residence_type": dict(ResidenceType.choices),
        "sex": dict(Sex.choices),
    }


class FamilyLinkStatus(models.TextChoices):
    """A family helper link (家人帮忙): asked, then agreed by the elder, until either side ends it."""

    ASKED = "asked", "等待老人同意"
    AGREED = "agreed", "已同意"
    DECLINED = "declined", "老人未同意"
    REVOKED = "revoked", "已解除"


class FamilyConsent(models.TextChoices):
    """How the elder agreed: on their own account, or in person with a staff member as witness."""

    OWN_ACCOUNT = "own_account", "本人在自己的账号上确认"
    IN_PERSON = "in_person", "本人当面同意（工作人员见证）"
