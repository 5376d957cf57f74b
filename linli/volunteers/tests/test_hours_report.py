"""服务时长统计 and its Excel export: per volunteer, by type, for a year or a date range, in scope only."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from linli.testing import SYSTEM
from linli.volunteers import services
from linli.volunteers.models import Team
from linli.volunteers.report import build_hours_report
from linli.volunteers.tests.helpers import volunteer
from linli.volunteers.tests.test_records import served

pytestmark = pytest.mark.django_db

URL = "volunteers:hours_report"


def sheet_rows(content: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_name("服务时长").to_python()


@pytest.fixture
def history(world):
    xia = volunteer(world, name="夏谋阶")
    team = services.save_team(Team(community=xia.community, name="新长征志愿服务队"), actor=SYSTEM)
    services.set_membership(team, xia, actor=SYSTEM, is_leader=True)
    served(world, xia, year=2025, month=3, kind="patrol", hours=2)
    served(world, xia, year=2025, month=7, kind="patrol", hours="1.5")
    served(world, xia, year=2025, month=7, kind="river_patrol", hours=3)
    served(world, xia, year=2026, month=1, kind="cleaning", hours=1)
    guo = volunteer(world, name="郭渝凯")
    served(world, guo, year=2025, month=5, kind="cleaning", hours=4)
    west = volunteer(world, name="西一的", community="w1", phone="13911112222")
    served(world, west, year=2025, month=5, kind="patrol", hours=9)
    return xia, guo, west


def test_a_years_hours_by_volunteer_and_type(world, history):
    report = build_hours_report(world.users["staff"], datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert [(r.name, r.total, r.count) for r in report.rows] == [("夏谋阶", Decimal("6.5"), 3), ("郭渝凯", 4, 1)]
    xia = report.rows[0]
    assert xia.teams == "新长征志愿服务队"
    assert xia.by_kind == {"patrol": Decimal("3.5"), "river_patrol": Decimal("3")}
    assert report.title == "2025年" and report.total == Decimal("10.5") and report.count == 4


def test_a_date_range_counts_activities_that_started_in_it_both_ends_included(world, history):
    report = build_hours_report(world.users["secretary"], datetime.date(2025, 6, 1), datetime.date(2025, 7, 1))
    assert [(r.name, r.total) for r in report.rows] == [("夏谋阶", Decimal("4.5"))]
    assert report.title == "2025-06-01至2025-07-01"


def test_the_street_admin_sees_their_street_and_not_the_other(world, history):
    names = {r.name for r in build_hours_report(world.users["street_admin"], *_year(2025)).rows}
    assert names == {"夏谋阶", "郭渝凯"}  # 西一 belongs to 西街


def _year(y):
    return datetime.date(y, 1, 1), datetime.date(y, 12, 31)


def test_the_excel_export_has_the_pages_rows_and_keeps_text_as_text(world, history, login):
    xia, _, _ = history
    team = Team.objects.get()
    team.name = '=HYPERLINK("http://evil","点我")'
    team.save()
    client = login(world.users["staff"])
    page = client.get(reverse(URL), {"year": "2025"}).content.decode()
    assert "夏谋阶" in page and "西一的" not in page and "export=xlsx" in page
    response = client.get(reverse(URL), {"year": "2025", "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "volunteer-hours-20250101-20251231.xlsx" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    rows = sheet_rows(content)
    header = rows[2]
    assert header[:4] == ["姓名", "社区", "服务队", "巡逻"] and header[-2:] == ["合计时长", "活动次数"]
    body = {r[0]: r for r in rows[3:]}
    assert set(body) == {"夏谋阶", "郭渝凯", "合计"}
    assert body["夏谋阶"][2] == team.name  # a string, not a formula
    assert body["夏谋阶"][-2:] == [6.5, 3] and body["合计"][-2:] == [10.5, 4]
    assert b"<f>" not in _sheet_xml(content)


def _sheet_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_a_bad_period_gets_a_clear_message_and_no_file(world, login):
    client = login(world.users["staff"])
    for params, message in [
        ({"start": "2025-05-01"}, "同时填写开始日期和结束日期"),
        ({"start": "2025-05-01", "end": "2025-04-01"}, "结束日期不能早于开始日期"),
        ({"year": "abc", "export": "xlsx"}, "年度请填写数字"),
        ({"start": "2015-01-01", "end": "2025-01-01"}, "最多统计5年"),
    ]:
        response = client.get(reverse(URL), params)
        assert response.status_code == 400 and message in response.content.decode(), params
        assert response["Content-Type"].startswith("text/html")


def test_volunteers_and_roles_without_volunteer_view_get_403(world, login, history):
    for persona in ("volunteer", "grid_worker_1", "dept_handler", "resident"):
        assert login(world.users[persona]).get(reverse(URL), {"export": "xlsx"}).status_code == 403, persona
    nobody = login(world.users["nobody"]).get(reverse(URL), {"year": "2025", "export": "xlsx"})
    assert [r[0] for r in sheet_rows(b"".join(nobody.streaming_content))[3:]] == ["合计"]


def test_the_hours_download_is_never_cached(world, history, login):
    response = login(world.users["staff"]).get(reverse(URL), {"year": "2025", "export": "xlsx"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"  # names of volunteers


def test_the_excel_export_is_recorded_with_its_period_and_row_count(world, history, login):
    from linli.core.models import ExportRecord

    client = login(world.users["staff"])
    client.get(reverse(URL), {"year": "2025"})  # the page alone is not an export
    assert not ExportRecord.objects.exists()
    assert client.get(reverse(URL), {"start": "2025-06-01", "end": "2025-07-01", "export": "xlsx"}).status_code == 200
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.row_count) == (world.users["staff"], "volunteer_hours_xlsx", 1)
    assert record.filters == {"start": "2025-06-01", "end": "2025-07-01"}


def test_a_refused_hours_export_records_nothing(world, history, login):
    from linli.core.models import ExportRecord

    assert login(world.users["staff"]).get(reverse(URL), {"year": "abc", "export": "xlsx"}).status_code == 400
    assert login(world.users["grid_worker_1"]).get(reverse(URL), {"export": "xlsx"}).status_code == 403
    assert not ExportRecord.objects.exists()
