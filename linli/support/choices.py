"""Choices of 帮扶与共建 (linli.support), with their Chinese labels."""

from django.db import models

from linli.residents.choices import CARE_TAGS  # noqa: F401 (the care groups are the registry's: defined there)


class OrganisationKind(models.TextChoices):
    RESIDENT_UNIT = "resident_unit", "驻区单位"
    SOCIAL_ORG = "social_org", "社会组织"
    OWNERS_COMMITTEE = "owners", "业主委员会"
    PROPERTY = "property", "物业服务企业"
    MERCHANT = "merchant", "好商家"
    OTHER = "other", "其他"


class ContributionKind(models.TextChoices):
    GOODS = "goods", "物资"
    MONEY = "money", "资金"
    SERVICE = "service", "服务"
    VENUE = "venue", "场地"
    JOBS = "jobs", "岗位"
    OTHER = "other", "其他"


class HelperKind(models.TextChoices):
    VOLUNTEER = "volunteer", "志愿者"
    ORGANISATION = "organisation", "单位"
    PERSON = "person", "其他个人"


class ContactKind(models.TextChoices):
    VISIT = "visit", "上门"
    PHONE = "phone", "电话"
    ERRAND = "errand", "代办"
    OTHER = "other", "其他"


class AssistanceKind(models.TextChoices):
    GOODS = "goods", "物资"
    MONEY = "money", "资金"
    SERVICE = "service", "服务"


class AssistanceSource(models.TextChoices):
    DONATION = "donation", "捐赠"
    LOVEBANK = "lovebank", "爱心银行"
    UNIT = "unit", "驻区单位"
    PROGRAMME = "programme", "政府项目"
    PAIRING = "pairing", "结对帮扶人"


class ExportKind(models.TextChoices):
    ORGANISATIONS = "support_orgs", "驻区单位名录 Excel"
    ASSISTANCE = "support_assistance", "帮扶记录 Excel"
    CARE_TABLE = "support_care_table", "帮扶年度表 Excel"
    GRID_FIGURES = "support_grid_figures", "网格帮扶统计 Excel"


#: Programmes offered as examples when a 政府项目 is recorded.
PROGRAMMES = ("临时救助", "慈善助学", "节日慰问", "医疗救助", "残疾人补贴")
