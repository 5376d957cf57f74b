"""The mediation register (人民调解案件登记簿) as a spreadsheet: one row per case, phones masked."""

from __future__ import annotations

from linli.core.excel.download import safe_workbook
from linli.mediation.choices import PartyRole

HEADERS = [
    "案件编号",
    "社区",
    "受理日期",
    "来源",
    "纠纷类型",
    "申请人",
    "申请人电话",
    "被申请人",
    "纠纷简要情况",
    "调解员",
    "调解室",
    "状态",
    "结案日期",
    "调解不成的去向",
]


def _names(parties, role):
    return "、".join(p.name for p in parties if p.role == role)


def _phones(parties, role):
    return "、".join(p.masked_phone for p in parties if p.role == role and p.phone)


def register_xlsx(cases, out) -> None:
    book = safe_workbook(out)
    sheet = book.add_worksheet("调解案件登记簿")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, HEADERS, bold)
    for row, case in enumerate(cases, start=1):
        parties = list(case.parties.all())
        sheet.write_row(
            row,
            0,
            [
                case.number,
                case.community.name,
                case.received_on.isoformat(),
                case.get_source_display(),
                case.get_case_type_display(),
                _names(parties, PartyRole.APPLICANT),
                _phones(parties, PartyRole.APPLICANT),
                _names(parties, PartyRole.RESPONDENT),
                case.account,
                "、".join(m.name for m in case.mediators.all()),
                case.room.name if case.room_id else "",
                case.get_status_display(),
                case.closed_on.isoformat() if case.closed_on else "",
                case.get_referral_display() if case.referral else "",
            ],
        )
    sheet.set_column(0, 0, 22)
    sheet.set_column(8, 8, 50)
    book.close()
