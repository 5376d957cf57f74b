"""The export log is written by one function, and names what was exported by the kinds the apps register."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from linli.core.excel import exports
from linli.core.excel.exports import export_kind_choices, record_export, register_export_kind
from linli.core.models import ExportRecord

pytestmark = pytest.mark.django_db

URL = "ledgers:export_log"
LINLI = Path(__file__).resolve().parents[2]


@pytest.fixture
def kinds():
    """The registry as the apps filled it, restored after the test."""
    saved = dict(exports._KINDS)
    yield
    exports._KINDS.clear()
    exports._KINDS.update(saved)


def test_every_app_registered_its_kinds_when_django_started():
    codes = dict(export_kind_choices())
    assert codes["residents_xlsx"] == "居民台账 Excel"  # ledgers
    assert codes["api_residents"] == "接口读取居民"  # residents
    assert codes["appeals_xlsx"] == "诉求清单 Excel" and codes["coverage_print"] == "打印走访统计"
    assert {"hotline_replies", "lovebank_totals", "volunteer_hours_xlsx", "wishes_report"} <= set(codes)


def test_a_new_kind_is_shown_and_filtered_on_the_log_with_its_label(world, login, kinds):
    register_export_kind("party_members_xlsx", "党员名册 Excel")
    record = record_export(world.users["staff"], "party_members_xlsx", row_count=7, filters={"year": 2026})
    other = record_export(world.users["staff"], "template", row_count=0)
    client = login(world.users["secretary"])
    page = client.get(reverse(URL)).content.decode()
    assert '<option value="party_members_xlsx">党员名册 Excel</option>' in page  # the filter offers it
    assert "<td>党员名册 Excel</td>" in page and "年度：2026" in page
    response = client.get(reverse(URL), {"kind": "party_members_xlsx"})
    assert {r.pk for r in response.context["page"]} == {record.pk} != {other.pk}


def test_a_row_of_a_kind_nobody_registers_any_more_shows_its_code(world, login):
    record = record_export(world.users["staff"], "template", row_count=0)
    ExportRecord.objects.filter(pk=record.pk).update(kind="retired_kind")
    response = login(world.users["secretary"]).get(reverse(URL))
    assert response.status_code == 200 and "retired_kind" in response.content.decode()
    bad = login(world.users["secretary"]).get(reverse(URL), {"kind": "retired_kind"})
    assert bad.status_code == 200 and "筛选条件有误" in bad.content.decode()


def test_an_unregistered_kind_is_refused_and_a_kind_keeps_its_label(world, kinds):
    with pytest.raises(ValueError, match="not registered"):
        record_export(world.users["staff"], "typo_xlsx", row_count=1)
    assert not ExportRecord.objects.exists()
    register_export_kind("party_members_xlsx", "党员名册 Excel")
    register_export_kind("party_members_xlsx", "党员名册 Excel")  # an app's shell imported twice: no harm
    with pytest.raises(ValueError, match="registered already"):
        register_export_kind("party_members_xlsx", "别的名字")


def test_record_export_stores_filters_json_ready_and_leaves_blank_ones_out(world):
    community = world.communities["e1"]
    record = record_export(
        world.users["staff"], "print_ledger", row_count=3, filters={"community": community, "q": "", "tag": None}
    )
    record.refresh_from_db()
    assert record.filters == {"community": {"id": community.pk, "name": "东一社区"}} and record.masked


def test_record_export_is_the_only_writer_of_export_log_rows():
    """Rows are written by linli.core.excel.exports.record_export only (kind checked, filters made JSON-ready)."""
    writes = re.compile(r"ExportRecord(\.objects)?\.(create|bulk_create|get_or_create|update_or_create|record)\(")
    found = []
    for path in LINLI.rglob("*.py"):
        if path.name == "exports.py" and path.parent.name == "excel" or path == Path(__file__).resolve():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if writes.search(line) or re.search(r"(?<!class )\bExportRecord\(", line):
                found.append(f"{path.relative_to(LINLI.parent)}:{number}: {line.strip()}")
    assert found == []
