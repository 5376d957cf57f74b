"""Hotline work orders in: reading, column synonyms, checks by row and column, re-import, one transaction."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from linli.appeals.choices import Channel, Status
from linli.appeals.models import Appeal, AppealEvent
from linli.areas.models import Household
from linli.core.audit import Actor, actor_of
from linli.hotline import importer, services
from linli.hotline.models import HotlineOrder
from linli.hotline.tests.conftest import HEADERS, order, text, when

CLI = Actor.cli("test")


def run(path, community, *, user=None, actor=CLI, **kwargs):
    table = importer.read_orders(str(path), path.name)
    return services.commit_import(table, importer.detect(table.headers), community, actor=actor, **kwargs)


def dry(path, community, user=None):
    table = importer.read_orders(str(path), path.name)
    report, _ = importer.check(table, importer.detect(table.headers), community, user=user)
    return report


def state():
    return Appeal.objects.count(), HotlineOrder.objects.count(), AppealEvent.objects.count()


def test_an_xlsx_sheet_becomes_hotline_appeals_placed_in_buildings(aw, sheet):
    e1 = aw.communities["e1"]
    called = when(-1, hour=14)
    path = sheet(
        [
            order("GD2025001", called=text(called)),
            order("GD2025002", address="青山区和平大道88号路口", contact="", phone="", content="路口红绿灯不亮"),
            order("GD2025003", address="和平街道东一社区2号楼3楼", contact="王女士", phone="13600002222"),
        ]
    )
    report = run(path, e1)

    assert (report.rows, report.created, report.skipped, report.errors) == (3, 3, 0, [])
    assert (report.buildings_matched, report.unmatched_buildings, report.residents_linked) == (2, 1, 2)
    first = HotlineOrder.objects.get(order_no="GD2025001")
    appeal = first.appeal
    assert appeal.channel == Channel.HOTLINE and appeal.status == Status.PENDING_DISPATCH
    assert appeal.category is None  # the dispatcher (and the routing suggestion) decide
    assert timezone.localtime(appeal.received_at).replace(tzinfo=None) == called
    assert appeal.building == aw.buildings["b1"]
    assert appeal.household == Household.objects.get(building=aw.buildings["b1"], entrance=2, room="502")
    assert appeal.reporter == aw.residents["li"]  # the phone of 李四, who lives in this community
    assert (appeal.reporter_name, appeal.reporter_phone) == ("李先生", "13987654321")
    assert timezone.localtime(first.due_at).replace(tzinfo=None) == when(5, hour=18)
    assert first.raw["工单编号"] == "GD2025001" and first.raw["地址"] == "东一社区1栋2单元502"
    assert first.community == e1 and first.batch is None
    unmatched = HotlineOrder.objects.get(order_no="GD2025002").appeal
    assert (unmatched.building, unmatched.address, unmatched.anonymous) == (None, "青山区和平大道88号路口", True)
    third = HotlineOrder.objects.get(order_no="GD2025003").appeal
    assert third.building == aw.buildings["b2"] and third.household is None
    assert third.reporter == aw.residents["wang"]
    assert any(w.message.startswith("未匹配楼栋") and w.row == 4 for w in report.warnings)
    note = AppealEvent.objects.filter(appeal=appeal, internal=True).last().note
    assert note.startswith("12345工单 GD2025001，办理时限")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_utf8_or_gb18030_with_the_hotlines_own_column_names(aw, sheet, encoding):
    headers = ["工单号", "受理时间", "来电内容", "事发地址", "来电人", "来电号码", "办结时限（截止）"]
    rows = [
        order("12345-0001", called="2025/3/3 8:05", due="2025年3月10日"),
        order("12345-0002", address="东一社区一栋一单元101室", called="2025年3月3日9时30分", due="5个工作日"),
    ]
    path = sheet(rows, name="转办.csv", headers=headers, encoding=encoding)
    table = importer.read_orders(str(path), path.name)
    assert importer.detect(table.headers) == dict(
        enumerate(["order_no", "called_at", "text", "address", "contact", "phone", "due"])
    )
    report = run(path, aw.communities["e1"])
    assert (report.created, report.errors) == (2, [])
    first = HotlineOrder.objects.get(order_no="12345-0001")
    assert timezone.localtime(first.due_at).replace(tzinfo=None) == datetime.datetime(2025, 3, 10, 23, 59, 59)
    assert first.appeal.text == "楼道灯坏了一个星期，晚上看不见。"
    second = HotlineOrder.objects.get(order_no="12345-0002")
    # 5 working days from Monday 3 March 2025: Monday 10 March, end of day
    assert timezone.localtime(second.due_at).replace(tzinfo=None) == datetime.datetime(2025, 3, 10, 23, 59, 59)
    assert second.appeal.household.room == "101" and second.appeal.building == aw.buildings["b1"]


def test_missing_required_columns_are_named_and_nothing_is_read_further(aw, sheet):
    path = sheet([["A1", "漏水", "1栋"]], headers=["工单编号", "诉求内容", "地址"])
    table = importer.read_orders(str(path), path.name)
    before = state()
    with pytest.raises(importer.HotlineFileError, match="缺少必需的列：来电时间、办理时限"):
        services.commit_import(table, importer.detect(table.headers), aw.communities["e1"], actor=CLI)
    assert state() == before


def test_a_sheet_without_a_hotline_header_says_which_columns_it_needs(aw, sheet):
    path = sheet([["张三", "1栋"]], headers=["姓名", "楼栋"])
    with pytest.raises(
        importer.HotlineFileError, match="没有找到12345工单的表头.*工单编号、来电时间、诉求内容、地址、办理时限"
    ):
        importer.read_orders(str(path), path.name)


def test_an_order_number_twice_in_the_file_rejects_every_row_with_it(aw, sheet):
    path = sheet([order("D1"), order("D2"), order("D1", content="另一条"), order("D3")])
    report = run(path, aw.communities["e1"])
    assert sorted(report.orders) == ["D2", "D3"]
    assert [(e.row, e.column) for e in report.errors] == [(3, "工单编号"), (5, "工单编号")]
    assert "第5行也是这个编号" in report.errors[0].message and "第3行也是这个编号" in report.errors[1].message
    assert not HotlineOrder.objects.filter(order_no="D1").exists()
    assert report.rejected == 2


def test_strict_writes_nothing_when_a_row_is_rejected(aw, sheet):
    path = sheet([order("S1"), order("S1"), order("S2")])
    before = state()
    report = run(path, aw.communities["e1"], strict=True)
    assert report.dry_run and report.rejected == 2
    assert state() == before


def test_re_importing_the_same_orders_never_duplicates(aw, sheet):
    path = sheet([order("R1"), order("R2")])
    run(path, aw.communities["e1"])
    before = state()
    again = sheet([order("R1"), order("R2", content="内容改了也不重复导入"), order("R3")], name="again.xlsx")
    report = run(again, aw.communities["e1"])
    assert (report.created, report.skipped, report.errors) == (1, 2, [])
    assert [(n.order_no, n.message) for n in report.skipped_orders] == [("R1", "已导入，跳过"), ("R2", "已导入，跳过")]
    assert Appeal.objects.count() == before[0] + 1
    assert HotlineOrder.objects.get(order_no="R2").appeal.text == "楼道灯坏了一个星期，晚上看不见。"
    # The city's numbers are global: another community cannot import the same order again.
    elsewhere = dry(path, aw.communities["e2"])
    assert elsewhere.created == 0 and elsewhere.skipped_orders[0].message == "已导入，跳过（由其他社区导入）"


def test_every_problem_is_reported_by_row_and_column(aw, sheet):
    rows = [
        order("E1", content=""),
        order("E2", called="上周三"),
        order("E3", due="尽快"),
        order("E4", phone="12345"),
        order("2.02503E+12"),
        order("", content="没有编号"),
        order("E7", called=text(when(3))),
        order("E8", due=text(when(-3))),
        order("E9", address=""),
        order("OK1", phone="138****5678"),
    ]
    report = dry(sheet(rows), aw.communities["e1"])
    found = {(e.row, e.column): e.message for e in report.errors}
    assert found[(3, "诉求内容")] == "诉求内容为空"
    assert found[(4, "来电时间")].startswith("来电时间“上周三”无法识别")
    assert found[(5, "办理时限")].startswith("办理时限“尽快”无法识别")
    assert found[(6, "联系电话")].startswith("联系电话“12345”")
    assert "科学计数法" in found[(7, "工单编号")]
    assert found[(8, "工单编号")] == "请填写工单编号"
    assert "晚于现在" in found[(9, "来电时间")]
    assert found[(10, "办理时限")].endswith("早于来电时间")
    assert found[(11, "地址")] == "请填写地址"
    assert report.orders == ["OK1"]
    assert any(w.row == 12 and "已遮蔽" in w.message for w in report.warnings)


def test_a_past_deadline_is_a_warning_not_an_error(aw, sheet):
    report = dry(sheet([order("P1", called=text(when(-9)), due=text(when(-2)))]), aw.communities["e1"])
    assert report.errors == [] and report.past_due == 1 and "已过" in report.warnings[0].message


def test_a_category_column_is_used_when_it_names_a_category(aw, sheet):
    headers = [*HEADERS, "问题类别"]
    path = sheet([[*order("C1"), "楼道照明"], [*order("C2"), "外星人"]], headers=headers)
    report = run(path, aw.communities["e1"])
    assert report.created == 2
    assert HotlineOrder.objects.get(order_no="C1").appeal.category == aw.category("corridor_light")
    assert HotlineOrder.objects.get(order_no="C2").appeal.category is None
    assert any("外星人" in w.message for w in report.warnings)


def test_a_failure_in_the_middle_of_the_commit_leaves_nothing(aw, sheet, monkeypatch):
    path = sheet([order("T1"), order("T2"), order("T3")])
    real = services.appeal_services.create_appeal
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services.appeal_services, "create_appeal", failing)
    before = state()
    with pytest.raises(RuntimeError):
        run(path, aw.communities["e1"])
    assert len(calls) == 3
    assert state() == before


def test_an_order_written_by_another_import_meanwhile_rolls_back_this_one(aw, sheet, monkeypatch):
    """The unique order number is the last guard: the whole import is undone with a clear message."""
    path = sheet([order("X1"), order("X2")])
    other = services.appeal_services.create_appeal(
        actor=CLI,
        text="另一次导入",
        channel=Channel.HOTLINE,
        community=aw.communities["e1"],
        address="1栋",
        anonymous=True,
    )
    real_check = services.check

    def check_then_race(*args, **kwargs):
        result = real_check(*args, **kwargs)
        HotlineOrder.objects.create(order_no="X2", appeal=other, community=aw.communities["e1"], due_at=timezone.now())
        return result

    monkeypatch.setattr(services, "check", check_then_race)
    before = state()
    with pytest.raises(services.ImportConflict, match="没有写入任何数据"):
        run(path, aw.communities["e1"])
    assert state() == before
    assert not HotlineOrder.objects.exists()


def test_a_user_imports_only_into_a_community_of_their_scope(aw, sheet):
    path = sheet([order("U1")])
    secretary = aw.users["secretary"]  # 东一社区
    with pytest.raises(PermissionDenied):
        run(path, aw.communities["e2"], actor=actor_of(secretary))
    with pytest.raises(PermissionDenied):
        run(path, aw.communities["e1"], actor=actor_of(aw.users["grid_worker_1"]))  # a grid, not the community
    with pytest.raises(PermissionDenied):
        run(path, aw.communities["e1"], actor=actor_of(aw.users["dept_handler"]))
    assert not HotlineOrder.objects.exists()
    report = run(path, aw.communities["e1"], actor=actor_of(secretary))
    assert report.created == 1
    assert HotlineOrder.objects.get().appeal.created_by == secretary
    assert run(path, aw.communities["e1"], actor=actor_of(aw.users["street_admin"])).skipped == 1


def test_the_hotline_deadline_caps_the_appeals_resolve_deadline(aw, sheet):
    from linli.appeals import services as appeals

    run(sheet([order("H1", due=text(when(2, hour=12)))]), aw.communities["e1"])
    hotline = HotlineOrder.objects.get()
    appeal = hotline.appeal
    appeals.update_appeal(appeal, actor=aw.actor("secretary"), category=aw.category("corridor_light"))
    appeal = appeals.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))
    appeal.refresh_from_db()
    assert appeal.resolve_due == hotline.due_at  # 一般 7 working days would be later
    assert appeal.sign_due <= hotline.due_at and appeal.current_due == appeal.sign_due
    assert AppealEvent.objects.filter(appeal=appeal, note__contains="办结时限不能晚于12345转办的办理时限").count() == 1
    appeal = appeals.sign(appeal, actor=aw.actor("dept_handler"))
    assert appeal.current_due == hotline.due_at


def test_an_appeal_entered_by_hand_keeps_its_deadlines(aw):
    from linli.appeals import services as appeals
    from linli.appeals.tests.conftest import new_appeal

    appeal = appeals.dispatch(new_appeal(aw), aw.units["property"], actor=aw.actor("secretary"))
    assert appeal.resolve_due > timezone.now() + datetime.timedelta(days=5)


def test_checking_hundreds_of_rows_reads_the_buildings_and_rooms_once(aw, sheet):
    """Addresses are matched against one index of the community (linli.areas.addresses), not a query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    e1 = aw.communities["e1"]
    addresses = ["东一社区1栋2单元502", "1栋101", "2号楼3楼", "青山区和平大道88号", "1-1-201"]

    def queries(n: int) -> int:
        rows = [order(f"Q{n}-{i}", address=addresses[i % len(addresses)]) for i in range(n)]
        path = sheet(rows, name=f"q{n}.xlsx")
        with CaptureQueriesContext(connection) as ctx:
            report = dry(path, e1)
        assert report.buildings_matched == sum(1 for i in range(n) if i % len(addresses) != 3)
        return len(ctx.captured_queries)

    few = queries(5)
    assert queries(300) == few <= 12
