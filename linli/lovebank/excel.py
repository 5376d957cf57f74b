"""The love bank in Excel: an account's statement with its running balance, and the monthly totals.

Every cell is data, never a formula (linli.core.excel.download): the workbook turns no string into a formula,
link or number, and a text starting with = + - @ carries Excel's quote prefix, so that a clerk editing the cell
does not run it either (a deed described as "=HYPERLINK(...)" stays text). Callers pass rows they have already
restricted to the user's scope.
"""

from __future__ import annotations

from django.utils import timezone

from linli.core.excel.download import formula_like, safe_workbook
from linli.lovebank.models import Account, Entry

STATEMENT_HEADERS = ("时间", "事由", "类型", "积分", "余额", "操作人")
STATEMENT_WIDTHS = (17, 50, 10, 8, 8, 14)
TOTALS_HEADERS = ("月份", "发放积分", "兑换积分", "捐赠积分", "兑换次数", "其中取消")


class _Book:
    """One sheet with a title line, a header row and formula-safe text cells."""

    def __init__(self, out, sheet_name: str, title: str, headers, widths=()):
        self.workbook = safe_workbook(out)
        self.workbook.set_properties({"title": title, "comments": "由邻里导出，内含个人积分信息，请妥善保管。"})
        self.sheet = self.workbook.add_worksheet(sheet_name)
        self.quoted = self.workbook.add_format({"quote_prefix": True})
        self.when = self.workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        header = self.workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
        self.text(0, 0, title, self.workbook.add_format({"bold": True}))
        for col, width in enumerate(widths):
            self.sheet.set_column(col, col, width)
        for col, name in enumerate(headers):
            self.sheet.write_string(1, col, name, header)
        self.sheet.freeze_panes(2, 0)

    def text(self, r, c, value, fmt=None):
        value = value or ""
        self.sheet.write_string(r, c, value, self.quoted if formula_like(value) else fmt)

    def close(self):
        self.workbook.close()


def write_statement_xlsx(account: Account, out) -> int:
    """Every movement of a holder's account, oldest first, with the balance after it; returns the row count."""
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    book = _Book(
        out,
        "积分明细",
        f"{account.name}（{account.community.name}）积分明细 · 现有{account.balance}分 · 导出于{stamp}",
        STATEMENT_HEADERS,
        STATEMENT_WIDTHS,
    )
    entries = Entry.objects.filter(account=account).select_related("transaction", "transaction__actor").order_by("id")
    r = 1
    for r, e in enumerate(entries.iterator(chunk_size=2000), start=2):
        txn = e.transaction
        book.sheet.write_datetime(r, 0, timezone.localtime(e.created_at).replace(tzinfo=None), book.when)
        book.text(r, 1, txn.reason)
        book.text(r, 2, txn.get_kind_display())
        book.sheet.write_number(r, 3, e.amount)
        if e.balance_after is not None:
            book.sheet.write_number(r, 4, e.balance_after)
        book.text(r, 5, txn.actor_name)
    book.close()
    return r - 1


def write_totals_xlsx(months, out, *, title: str) -> int:
    """stats.monthly_totals() rows, newest month first; returns the row count."""
    book = _Book(out, "月度汇总", title, TOTALS_HEADERS, (10, 10, 10, 10, 10, 10))
    for r, (month, t) in enumerate(months, start=2):
        book.text(r, 0, f"{month.year}年{month.month}月")
        for c, key in enumerate(("earned", "spent", "donated", "redemptions", "cancelled"), start=1):
            book.sheet.write_number(r, c, t[key])
    book.close()
    return len(months)
