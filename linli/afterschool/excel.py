"""The roster and attendance exports (logged in the export log: children's data)."""

from __future__ import annotations

from django.utils import timezone

from linli.core.excel.download import safe_workbook


def roster_xlsx(rows, out) -> None:
    book = safe_workbook(out)
    sheet = book.add_worksheet("花名册")
    sheet.write_row(0, 0, ["姓名", "性别", "年龄", "状态", "优先情形", "报名时间", "监护人（可接送）", "备注"])
    today = timezone.localdate()
    from linli.afterschool.services import child_age

    for i, e in enumerate(rows, start=1):
        guardians = "；".join(
            f"{g.name}（{g.relation}）{g.phone}" for g in e.guardians.all() if g.is_active and g.authorised
        )
        sheet.write_row(i, 0, [e.child.name, e.child.get_sex_display(), child_age(e.child, today) or "",
                               e.get_status_display(), e.get_priority_display(),
                               f"{timezone.localtime(e.applied_at):%Y-%m-%d %H:%M}", guardians, e.notes])  # fmt: skip
    sheet.set_column(0, 7, 14)
    book.close()


def attendance_xlsx(rows, out) -> None:
    book = safe_workbook(out)
    sheet = book.add_worksheet("签到记录")
    sheet.write_row(0, 0, ["日期", "姓名", "签到", "接走", "接走人", "特批"])

    def hm(at):
        return timezone.localtime(at).strftime("%H:%M") if at else ""

    for i, a in enumerate(rows, start=1):
        override = getattr(a, "override", None)
        who = a.collected_by.name if a.collected_by_id else (override.name if override else "")
        note = f"{override.reason}（批准：{override.approved_by}）" if override else ""
        sheet.write_row(i, 0, [a.session.date.isoformat(), a.enrolment.child.name, hm(a.signed_in_at),
                               hm(a.signed_out_at), who, note])  # fmt: skip
    sheet.set_column(0, 5, 14)
    book.close()
