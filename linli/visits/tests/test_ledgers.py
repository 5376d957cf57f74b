"""走访台账, 民情日记 and 走访统计 as print pages and .xlsx: scoped like the pages, the month's rows, one export
log row per print or download."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from linli.core.audit import Actor
from linli.core.models import ExportRecord
from linli.visits.services import create_note
from linli.visits.tests.helpers import visit

pytestmark = pytest.mark.django_db


def sheet(response) -> list[list]:
    data = b"".join(response.streaming_content)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def text_of(rows) -> str:
    return "\n".join("|".join(str(c) for c in row) for row in rows)


def this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"


@pytest.fixture
def visits(world):
    today = timezone.localdate()
    first = today.replace(day=1)
    visit(world.residents["zhang"], 0, findings="屋顶漏水")  # grid 1
    visit(world.residents["wang"], 0, findings="王五家门锁坏了")  # grid 2
    visit(world.residents["zhao"], 0, findings="东二社区的事")  # another community
    last_month = first - datetime.timedelta(days=1)
    visit(world.residents["li"], (last_month - today).days, findings="上个月的走访")


def test_the_visit_ledger_prints_the_months_visits_in_scope_and_is_logged(world, login, visits):
    client = login(world.users["grid_worker_1"])
    response = client.get(reverse("visits:visit_ledger"), {"month": this_month()})
    body = response.content.decode()
    assert response.status_code == 200
    assert "屋顶漏水" in body and "张三" in body
    assert "王五家门锁坏了" not in body and "东二社区的事" not in body and "上个月的走访" not in body
    assert "东一第1网格 走访台账" in body and "网格员：grid_worker_1" in body
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.row_count) == (world.users["grid_worker_1"], "visits_print", 1)


def test_the_visit_ledger_xlsx_holds_the_same_rows_and_is_logged(world, login, visits):
    client = login(world.users["secretary"])
    rows = sheet(client.get(reverse("visits:visit_ledger_xlsx"), {"month": this_month()}))
    text = text_of(rows)
    assert "屋顶漏水" in text and "王五家门锁坏了" in text  # both grids of the secretary's community
    assert "东二社区的事" not in text and "上个月的走访" not in text
    assert ["日期", "居民", "住址", "走访人", "走访结果", "身心状况", "发现情况", "居民诉求"] in rows
    record = ExportRecord.objects.get()
    assert (record.kind, record.row_count, record.filters["period"]) == ("visits_xlsx", 2, this_month())


def test_a_grid_out_of_scope_or_a_bad_month_is_a_404_and_logs_nothing(world, login, visits):
    client = login(world.users["grid_worker_1"])
    assert client.get(reverse("visits:visit_ledger"), {"grid": world.grids["g2"].pk}).status_code == 404
    assert client.get(reverse("visits:visit_ledger"), {"grid": "²"}).status_code == 404
    assert client.get(reverse("visits:visit_ledger_xlsx"), {"month": "2026-13"}).status_code == 404
    assert client.get(reverse("visits:visit_ledger"), {"month": "２０２６-05"}).status_code == 404
    assert not ExportRecord.objects.exists()
    assert login(world.users["dept_handler"]).get(reverse("visits:visit_ledger")).status_code == 403


def test_one_grid_of_the_secretary(world, login, visits):
    client = login(world.users["secretary"])
    body = client.get(reverse("visits:visit_ledger"), {"grid": world.grids["g2"].pk}).content.decode()
    assert "王五家门锁坏了" in body and "屋顶漏水" not in body


def test_the_diary_ledger_prints_and_exports_the_months_notes_in_scope(world, login):
    worker = world.users["grid_worker_1"]
    create_note(actor=Actor(user=worker), text="楼道堆物需清理", tags="楼道", residents=[world.residents["zhang"]])
    create_note(actor=Actor(user=world.users["grid_worker_2"]), text="二网格的日记")
    client = login(worker)
    body = client.get(reverse("visits:diary_ledger")).content.decode()
    assert "楼道堆物需清理" in body and "张三" in body and "二网格的日记" not in body
    rows = sheet(client.get(reverse("visits:diary_ledger_xlsx")))
    assert "楼道堆物需清理" in text_of(rows) and "二网格的日记" not in text_of(rows)
    assert list(ExportRecord.objects.order_by("id").values_list("kind", "row_count")) == [
        ("diary_print", 1),
        ("diary_xlsx", 1),
    ]


def test_the_coverage_table_prints_and_exports_for_the_secretary(world, login, visits):
    client = login(world.users["secretary"])
    body = client.get(reverse("visits:coverage_ledger")).content.decode()
    assert "东一第1网格" in body and "合计" in body and "东二第1网格" not in body
    rows = sheet(client.get(reverse("visits:coverage_ledger_xlsx")))
    assert any(row[0] == "合计" for row in rows)
    assert "东二" not in text_of(rows)
    assert list(ExportRecord.objects.order_by("id").values_list("kind", flat=True)) == [
        "coverage_print",
        "coverage_xlsx",
    ]


def test_the_export_log_names_the_new_exports_in_chinese(world, login, visits):
    client = login(world.users["secretary"])
    client.get(reverse("visits:visit_ledger"), {"grid": world.grids["g1"].pk, "month": this_month()})
    body = client.get(reverse("ledgers:export_log")).content.decode()
    assert "打印走访台账" in body and "东一第1网格" in body and f"月份：{this_month()}" in body
    assert ">visits_print<" not in body  # the option values are codes; what is read is Chinese


@pytest.mark.parametrize(
    "name", ["visits:visit_ledger_xlsx", "visits:diary_ledger_xlsx", "visits:coverage_ledger_xlsx"]
)
def test_the_ledger_downloads_are_never_cached(world, login, visits, name):
    response = login(world.users["secretary"]).get(reverse(name))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"  # residents' names
