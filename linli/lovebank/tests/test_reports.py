"""光荣榜 by service hours or points for a period and community; statement and monthly totals in Excel."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from linli.lovebank import services
from linli.lovebank.testing import SETUP, add_lovebank, give
from linli.testing import SYSTEM
from linli.volunteers.services import correct_hours, mark_attendance
from linli.volunteers.tests.helpers import activity, volunteer

pytestmark = pytest.mark.django_db

BOARD = "lovebank:honour_board"


@pytest.fixture
def bank(world):
    return add_lovebank(world)


def served(world, name, hours, community="e1", start=-30.0):
    """A volunteer of `community` with `hours` confirmed on a four-hour activity that started `start` hours ago."""
    record = volunteer(world, name=name, community=community)
    a = activity(world, community=community, start=start, length=4, title=f"{name}的巡逻", kind="patrol")
    mark_attendance(a, record, actor=SYSTEM, hours=hours)
    return a


def around(a) -> dict:
    """A custom period holding the activity's day (so a test on the 1st of a month is not flaky)."""
    day = timezone.localdate(a.starts_at)
    return {"period": "custom", "start": (day - datetime.timedelta(days=1)).isoformat(), "end": day.isoformat()}


def names_in_order(body: str, *names) -> list[str]:
    return sorted((n for n in names if n in body), key=body.index)


def test_the_hours_board_ranks_confirmed_hours_in_the_period_and_scope(bank, login):
    a = served(bank, "钱队长", "3.5")
    served(bank, "吴阿姨", "1")
    served(bank, "郑大爷", "2", community="e2")
    served(bank, "周西一", "4", community="w1")
    client = login(bank.users["staff"])
    body = client.get(reverse(BOARD), {"by": "hours", **around(a)}).content.decode()
    assert names_in_order(body, "钱队长", "吴阿姨") == ["钱队长", "吴阿姨"]
    assert "3.5小时" in body and "1次活动" in body
    assert "郑大爷" not in body and "周西一" not in body  # another community; another street
    body = login(bank.users["street_admin"]).get(reverse(BOARD), {"by": "hours", **around(a)}).content.decode()
    assert names_in_order(body, "钱队长", "郑大爷", "吴阿姨") == ["钱队长", "郑大爷", "吴阿姨"]
    assert "周西一" not in body


def test_the_hours_board_follows_corrections_and_ignores_unconfirmed_and_other_periods(bank, login):
    a = served(bank, "钱队长", "3")
    attendance = a.attendances.get()
    correct_hours(attendance, "1", reason="中途离开", actor=SYSTEM)
    served(bank, "吴阿姨", "2", start=-24 * 40)  # forty days earlier: outside the period
    record = volunteer(bank, name="冯签到")
    signed = activity(bank, start=-2, length=4, title="还没签退")
    signed.signups.create(volunteer=record, status="confirmed", signed_up_at=signed.starts_at)
    from linli.volunteers.services import check_in

    check_in(signed, record, actor=SYSTEM)  # checked in, not confirmed: no hours yet
    body = login(bank.users["staff"]).get(reverse(BOARD), {"by": "hours", **around(a)}).content.decode()
    assert "钱队长" in body and "1.0小时" in body
    assert "吴阿姨" not in body and "冯签到" not in body


def test_a_street_admin_narrows_the_board_to_one_community_and_not_to_anothers(bank, login):
    a = served(bank, "钱队长", "3")
    served(bank, "郑大爷", "2", community="e2")
    client = login(bank.users["street_admin"])
    e2 = bank.communities["e2"].pk
    body = client.get(reverse(BOARD), {"by": "hours", "community": e2, **around(a)}).content.decode()
    assert "郑大爷" in body and "钱队长" not in body
    body = client.get(reverse(BOARD), {"community": e2}).content.decode()  # by points
    assert "赵六" in body and "陈奶奶" not in body
    assert client.get(reverse(BOARD), {"community": bank.communities["w1"].pk}).status_code == 404
    staff = login(bank.users["staff"])
    assert staff.get(reverse(BOARD), {"community": e2}).status_code == 404
    assert staff.get(reverse(BOARD), {"community": "abc"}).status_code == 404


def test_the_hours_board_is_one_grouped_query_however_many_volunteers(bank, login):
    a = served(bank, "钱队长", "3")
    client = login(bank.users["street_admin"])
    query = {"by": "hours", **around(a)}
    client.get(reverse(BOARD), query)  # session and per-process caches warmed
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(BOARD), query)
    for i, name in enumerate(("甲", "乙", "丙", "丁", "戊")):
        served(bank, f"志愿者{name}", str(i % 4 + 1), community="e1" if i % 2 else "e2")
    with CaptureQueriesContext(connection) as more:
        body = client.get(reverse(BOARD), query).content.decode()
    assert "志愿者戊" in body
    assert len(more) == len(few)
    board = [q["sql"] for q in more.captured_queries if "volunteers_attendance" in q["sql"]]
    assert len(board) == 1 and "GROUP BY" in board[0]


def test_the_points_board_takes_a_custom_period_and_the_toggle_keeps_it(bank, login):
    give(bank.residents["zhang"], 80, "lots")
    today = timezone.localdate()
    client = login(bank.users["staff"])
    body = client.get(reverse(BOARD), {"period": "custom", "start": today.isoformat(), "end": today.isoformat()})
    body = body.content.decode()
    assert names_in_order(body, "张三", "陈奶奶") == ["张三", "陈奶奶"]
    assert "by=hours" in body and f"start={today.isoformat()}" in body  # 按时长 keeps the period
    past = (today - datetime.timedelta(days=400)).isoformat(), (today - datetime.timedelta(days=300)).isoformat()
    body = client.get(reverse(BOARD), {"period": "custom", "start": past[0], "end": past[1]}).content.decode()
    assert "张三" not in body and "这段时间还没有人获得积分" in body


@pytest.mark.parametrize(
    "query, message",
    [
        ({"period": "custom", "start": "2026-13-01", "end": "2026-12-31"}, "日期格式不正确，应为 YYYY-MM-DD。"),
        ({"period": "custom", "start": "2026-05-01", "end": "2026-04-01"}, "结束日期不能早于开始日期。"),
        ({"period": "custom", "start": "2026-05-01"}, "自定义时间段请填写开始和结束日期。"),
        ({"period": "custom", "start": "1900-01-01", "end": "2026-01-01"}, "时间段最长10年，请检查日期。"),
    ],
)
def test_a_bad_period_gets_a_chinese_message_and_this_months_board(bank, login, query, message):
    response = login(bank.users["staff"]).get(reverse(BOARD), query)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "陈奶奶" in body


def sheet_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(response.streaming_content)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python()


def test_a_statement_exports_with_its_running_balance_and_formulas_stay_text(bank, login):
    chen = bank.accounts["chen"]
    services.redeem(chen, bank.items["haircut"], source_key="x", actor=SETUP)
    services.award(chen, 5, reason='=HYPERLINK("http://evil","点我")', source_key="evil", actor=SETUP)
    response = login(bank.users["staff"]).get(reverse("lovebank:account_export", args=[chen.pk]))
    assert "attachment" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert "陈奶奶" in rows[0][0] and "现有45分" in rows[0][0]
    assert rows[1] == ["时间", "事由", "类型", "积分", "余额", "操作人"]
    assert [(r[1], r[3], r[4]) for r in rows[2:]] == [
        ("测试发放", 50, 50),
        ("兑换理发×1", -10, 40),
        ('=HYPERLINK("http://evil","点我")', 5, 45),
    ]
    assert isinstance(rows[2][0], datetime.datetime)


def test_the_formula_looking_reason_is_written_as_quoted_text(bank, login):
    from openpyxl import load_workbook

    chen = bank.accounts["chen"]
    services.award(chen, 5, reason="=1+1", source_key="evil", actor=SETUP)
    response = login(bank.users["staff"]).get(reverse("lovebank:account_export", args=[chen.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=4, column=2)
    assert cell.value == "=1+1" and cell.data_type == "s" and cell.quotePrefix


def test_statement_export_is_scoped_like_the_statement(bank, login):
    url = reverse("lovebank:account_export", args=[bank.accounts["zhao"].pk])
    assert login(bank.users["staff"]).get(url).status_code == 404
    assert login(bank.users["street_admin"]).get(url).status_code == 200
    assert login(bank.users["grid_worker_1"]).get(url).status_code == 403
    assert login(bank.users["resident"]).get(url).status_code == 403


def test_monthly_totals_export_the_pages_months_for_the_chosen_community(bank, login):
    services.redeem(bank.accounts["chen"], bank.items["rice"], source_key="x", actor=SETUP)
    client = login(bank.users["street_admin"])
    rows = sheet_rows(client.get(reverse("lovebank:totals_export")))
    assert rows[1] == ["月份", "发放积分", "兑换积分", "捐赠积分", "兑换次数", "其中取消"]
    assert rows[2][1:] == [80, 20, 0, 1, 0]  # 东一 50 + 东二 30 issued; 孙七 is in another street
    rows = sheet_rows(client.get(reverse("lovebank:totals_export"), {"community": bank.communities["e2"].pk}))
    assert "东二" in rows[0][0] and rows[2][1:] == [30, 0, 0, 0, 0]
    staff = login(bank.users["staff"])
    assert staff.get(reverse("lovebank:totals_export"), {"community": bank.communities["e2"].pk}).status_code == 404
    assert login(bank.users["grid_worker_1"]).get(reverse("lovebank:totals_export")).status_code == 403


def test_a_statement_export_is_recorded_with_the_account_and_row_count(bank, login):
    from linli.core.models import ExportRecord

    chen = bank.accounts["chen"]
    services.redeem(chen, bank.items["haircut"], source_key="x", actor=SETUP)
    sheet_rows(login(bank.users["staff"]).get(reverse("lovebank:account_export", args=[chen.pk])))
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.row_count) == (bank.users["staff"], "lovebank_statement", 2)
    assert record.filters == {"account": {"id": chen.pk, "name": str(chen)}}


def test_a_monthly_totals_export_is_recorded_with_its_community(bank, login):
    from linli.core.models import ExportRecord

    client = login(bank.users["street_admin"])
    rows = sheet_rows(client.get(reverse("lovebank:totals_export"), {"community": bank.communities["e2"].pk}))
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.row_count) == (
        bank.users["street_admin"],
        "lovebank_totals",
        len(rows) - 2,
    )
    assert record.filters == {"community": {"id": bank.communities["e2"].pk, "name": "东二社区"}}
    ExportRecord.objects.all().delete()
    sheet_rows(client.get(reverse("lovebank:totals_export")))
    assert ExportRecord.objects.get().filters == {}  # all the street's communities


def test_refused_love_bank_exports_record_nothing(bank, login):
    from linli.core.models import ExportRecord

    staff = login(bank.users["staff"])
    assert staff.get(reverse("lovebank:totals_export"), {"community": bank.communities["e2"].pk}).status_code == 404
    assert staff.get(reverse("lovebank:totals_export"), {"community": "abc"}).status_code == 404
    assert staff.get(reverse("lovebank:account_export", args=[bank.accounts["zhao"].pk])).status_code == 404
    worker = login(bank.users["grid_worker_1"])
    assert worker.get(reverse("lovebank:account_export", args=[bank.accounts["chen"].pk])).status_code == 403
    assert worker.get(reverse("lovebank:totals_export")).status_code == 403
    assert not ExportRecord.objects.exists()


def test_the_statement_and_totals_downloads_are_never_cached(bank, login):
    client = login(bank.users["staff"])
    for response in (
        client.get(reverse("lovebank:account_export", args=[bank.accounts["chen"].pk])),
        client.get(reverse("lovebank:totals_export")),
    ):
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
