"""Replies back to the hotline: content, merged appeals, formula injection, marking, the CLI and the page."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from linli.appeals import services as appeals
from linli.appeals.choices import Outcome, Rating, ReplyMethod
from linli.core.audit import Actor
from linli.hotline import importer, services
from linli.hotline.exporter import HEADERS, write_replies_xlsx
from linli.hotline.models import HotlineExport, HotlineOrder
from linli.hotline.tests.conftest import order


def imported(aw, sheet, *numbers):
    path = sheet([order(n) for n in numbers])
    table = importer.read_orders(str(path), path.name)
    services.commit_import(table, importer.detect(table.headers), aw.communities["e1"], actor=Actor.cli("t"))
    return {n: HotlineOrder.objects.get(order_no=n).appeal for n in numbers}


def resolved(aw, appeal, *, outcome=Outcome.SOLVED, resolution="已更换灯泡。", explanation=""):
    appeals.update_appeal(appeal, actor=aw.actor("secretary"), category=aw.category("corridor_light"))
    appeal = appeals.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))
    appeal = appeals.sign(appeal, actor=aw.actor("dept_handler"))
    return appeals.resolve(
        appeal, actor=aw.actor("dept_handler"), outcome=outcome, resolution=resolution, explanation=explanation
    )


def rows_of(path):
    sheet = load_workbook(path).active
    return [[c.value for c in row] for row in sheet.iter_rows()], sheet


def test_the_reply_sheet_has_one_row_per_answered_order(aw, sheet, tmp_path):
    a = imported(aw, sheet, "E1", "E2", "E3", "E4")
    resolved(aw, a["E1"])
    closed = resolved(aw, a["E2"], outcome=Outcome.PARTLY, resolution="已报修", explanation="需要更换线路，下周施工")
    appeals.reply(
        closed,
        actor=aw.actor("staff"),
        text="已电话告知施工时间",
        method=ReplyMethod.PHONE,
        rating=Rating.BASICALLY,
        rating_note="希望快点",
    )
    # E3 stays open; E4 is merged into E1 (the same broken light, reported twice).
    appeals.merge_appeal(a["E4"], a["E1"], actor=aw.actor("secretary"))
    out = tmp_path / "回复.xlsx"
    assert write_replies_xlsx(aw.communities["e1"], out, user=aw.users["secretary"]) == 3

    rows, _ = rows_of(out)
    assert tuple(rows[0]) == HEADERS
    by_no = {r[0]: r for r in rows[1:]}
    assert set(by_no) == {"E1", "E2", "E4"}
    assert by_no["E1"][1] == "已解决：已更换灯泡。" and by_no["E1"][3] == "未回访"
    e2 = a["E2"]
    e2.refresh_from_db()
    assert by_no["E2"][1] == "部分解决：已报修（说明：需要更换线路，下周施工）"
    assert by_no["E2"][2] == timezone.localtime(e2.resolved_at).replace(tzinfo=None, microsecond=0)
    assert by_no["E2"][3] == "电话回访，基本满意：已电话告知施工时间（希望快点）"
    assert by_no["E4"][1].startswith("已解决：已更换灯泡。（与诉求") and by_no["E4"][3] == "未回访"
    exported = HotlineOrder.objects.filter(exported_at__isnull=False)
    assert set(exported.values_list("order_no", flat=True)) == {"E1", "E2", "E4"}
    record = HotlineExport.objects.get()
    assert (record.user, record.row_count, record.community) == (aw.users["secretary"], 3, aw.communities["e1"])

    # Re-export is allowed; --only-new leaves out what went before.
    assert write_replies_xlsx(aw.communities["e1"], tmp_path / "again.xlsx") == 3
    assert write_replies_xlsx(aw.communities["e1"], tmp_path / "new.xlsx", only_new=True) == 0


def test_cells_are_never_formulas(aw, sheet, tmp_path):
    a = imported(aw, sheet, "F1")
    resolved(aw, a["F1"], outcome=Outcome.SOLVED, resolution='=HYPERLINK("http://evil","点我")')
    HotlineOrder.objects.filter(order_no="F1").update(order_no="+F1")
    out = tmp_path / "f.xlsx"
    write_replies_xlsx(aw.communities["e1"], out)
    rows, ws = rows_of(out)
    assert rows[1][0] == "+F1" and ws.cell(2, 1).data_type == "s" and ws.cell(2, 1).quotePrefix
    assert rows[1][1].startswith("已解决：=HYPERLINK") and ws.cell(2, 2).data_type == "s"
    a = imported(aw, sheet, "F2")
    resolved(aw, a["F2"], resolution="=1+1")
    write_replies_xlsx(aw.communities["e1"], out)
    assert all(cell.data_type in ("s", "n", "d") for row in load_workbook(out).active.iter_rows() for cell in row)


def test_since_keeps_the_orders_resolved_from_that_day(aw, sheet, tmp_path):
    a = imported(aw, sheet, "S1", "S2")
    resolved(aw, a["S1"])
    resolved(aw, a["S2"])
    a["S1"].__class__.objects.filter(pk=a["S1"].pk).update(resolved_at=timezone.now() - datetime.timedelta(days=10))
    since = timezone.localdate() - datetime.timedelta(days=2)
    out = tmp_path / "s.xlsx"
    assert write_replies_xlsx(aw.communities["e1"], out, since=since) == 1
    assert rows_of(out)[0][1][0] == "S2"


def test_export_command(aw, sheet, tmp_path, capsys):
    a = imported(aw, sheet, "C1")
    resolved(aw, a["C1"])
    out = tmp_path / "cli.xlsx"
    call_command("export_hotline", str(out), "--community", "e1", "--since", "2020-01-01")
    assert "导出1条" in capsys.readouterr().out
    assert rows_of(out)[0][1][0] == "C1"
    assert HotlineExport.objects.get().user is None
    with pytest.raises(CommandError) as bad:
        call_command("export_hotline", str(out), "--community", "nowhere")
    assert bad.value.returncode == 2
    with pytest.raises(CommandError) as bad_date:
        call_command("export_hotline", str(out), "--community", "e1", "--since", "3月1日")
    assert bad_date.value.returncode == 2


def test_export_page_is_for_exporting_roles_in_scope(aw, sheet, login):
    a = imported(aw, sheet, "W1")
    resolved(aw, a["W1"])
    url = reverse("hotline:export")
    response = login(aw.users["secretary"]).get(url, {"community": aw.communities["e1"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # Another community is not a choice for this secretary: nothing is exported.
    response = login(aw.users["secretary"]).get(url, {"community": aw.communities["w1"].pk})
    assert response.status_code == 302
    assert login(aw.users["dept_handler"]).get(url, {"community": aw.communities["e1"].pk}).status_code == 403
    assert login(aw.users["grid_worker_1"]).get(url, {"community": aw.communities["e1"].pk}).status_code == 403
    assert HotlineExport.objects.count() == 1


def test_a_downloaded_reply_sheet_is_in_the_export_log_and_a_refused_one_is_not(aw, sheet, login):
    from linli.core.models import ExportRecord

    a = imported(aw, sheet, "L1", "L2")
    resolved(aw, a["L1"])
    url = reverse("hotline:export")
    since = timezone.localdate() - datetime.timedelta(days=2)
    login(aw.users["dept_handler"]).get(url, {"community": aw.communities["e1"].pk})  # 403
    login(aw.users["secretary"]).get(url, {"community": aw.communities["w1"].pk})  # not a choice
    bad = login(aw.users["secretary"]).get(url, {"community": aw.communities["e1"].pk, "since": "3月1日"}, follow=True)
    assert "日期无法识别" in bad.content.decode()
    assert not ExportRecord.objects.exists()
    response = login(aw.users["secretary"]).get(
        url, {"community": aw.communities["e1"].pk, "since": since.isoformat(), "only_new": "on"}
    )
    assert response.status_code == 200
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.row_count) == (aw.users["secretary"], "hotline_replies", 1)
    community = aw.communities["e1"]
    assert record.filters == {
        "community": {"id": community.pk, "name": community.name},
        "since": since.isoformat(),
        "only_new": True,
    }


def test_the_command_line_export_is_recorded_in_the_hotline_exports_only(aw, sheet, tmp_path):
    from linli.core.models import ExportRecord

    resolved(aw, imported(aw, sheet, "K1")["K1"])
    call_command("export_hotline", str(tmp_path / "k.xlsx"), "--community", "e1")
    assert HotlineExport.objects.get().row_count == 1 and not ExportRecord.objects.exists()


def test_the_reply_sheet_download_is_never_cached(aw, sheet, login):
    resolved(aw, imported(aw, sheet, "W1")["W1"])
    response = login(aw.users["secretary"]).get(reverse("hotline:export"), {"community": aw.communities["e1"].pk})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"  # callers' replies
