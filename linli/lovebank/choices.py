from django.db import models


class AccountKind(models.TextChoices):
    RESIDENT = "resident", "居民"
    OUTSIDE = "outside", "辖区外人员"
    SYSTEM = "system", "系统账户"


class SystemAccount(models.TextChoices):
    """The community's own accounts: the other side of every movement of a person's points."""

    BANK = "bank", "社区爱心银行"  # points given to the community (捐给爱心银行) are held here
    ISSUE = "issue", "积分发放"  # every earned point comes from here: its balance is minus all points issued
    SPEND = "spend", "兑换支出"  # every redeemed point goes here


#: Accounts whose balance may never go below zero (checked under the row lock, and a DB CHECK).
HOLDER_KINDS = (AccountKind.RESIDENT, AccountKind.OUTSIDE)


class TransactionKind(models.TextChoices):
    AWARD = "award", "服务积分"  # attendance and other awards through services.award
    DEED = "deed", "好人好事"
    REDEEM = "redeem", "积分兑换"
    CANCEL = "cancel", "取消兑换"
    REVERSAL = "reversal", "冲正"
    DONATE = "donate", "捐赠积分"


#: Kinds that count as points earned (honour board, monthly totals).
EARNING_KINDS = (TransactionKind.AWARD, TransactionKind.DEED)


class ItemKind(models.TextChoices):
    GOODS = "goods", "物品"
    SERVICE = "service", "服务"


class RedemptionStatus(models.TextChoices):
    PENDING = "pending", "待领取"
    COLLECTED = "collected", "已领取"
    CANCELLED = "cancelled", "已取消"


class DeedStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/lovebank/shell.py)."""

    LOVEBANK_STATEMENT = "lovebank_statement", "爱心银行积分明细 Excel"
    LOVEBANK_TOTALS = "lovebank_totals", "爱心银行月度汇总 Excel"
    API_LOVEBANK = "api_lovebank", "接口读取积分账户"
