"""Emergency contacts in the ledger: exported in three columns, read back by the importer (staged, errors
keyed by row and column), offered by the import template."""

import io

import pytest
from openpyxl import load_workbook

from linli.core.audit import Actor
from linli.core.models import ChangeRecord
from linli.ledgers.exporter import write_residents_xlsx
from linli.ledgers.importer import detect_mapping, run_import
from linli.ledgers.template import HEADERS as TEMPLATE_HEADERS
from linli.ledgers.tests.test_export import content, fetch, raw_text, records, weaken
from linli.ledgers.tests.test_importer import CLI, idn, table_of
from linli.residents.models import EmergencyContact, Resident
from linli.residents.services_contacts import add_contact

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "身份证号码", "楼栋", "单元", "房号", "紧急联系人", "紧急联系人关系", "紧急联系人电话"]


def run(rows, community, *, dry_run=False):
    table = table_of(rows, headers=HEADERS)
    return run_import(table, detect_mapping(table.headers), community, actor=CLI, dry_run=dry_run)


@pytest.fixture
def zhang_contacts(world):
    zhang = world.residents["zhang"]
    for name, relation, phone in (("张小明", "child", "13912345678"), ("李阿姨", "neighbour", "027-87654321")):
        add_contact(zhang, actor=Actor.cli("test"), name=name, relation=relation, phone=phone)
    return zhang


def test_the_export_writes_the_contacts_in_three_columns_masked_like_the_phone(world, login, zhang_contacts):
    data = content(fetch(login(world.users["staff"])))
    row = {r["姓名"]: r for r in records(data)}["张三"]
    assert (row["紧急联系人"], row["紧急联系人关系"], row["紧急联系人电话"]) == (
        "张小明；李阿姨",
        "子女；邻居",
        "13912345678；027-87654321",
    )


def test_a_role_without_reveal_phone_exports_the_contacts_phones_masked(world, login, monkeypatch, zhang_contacts):
    weaken(monkeypatch, "staff", "resident.reveal_phone")
    data = content(fetch(login(world.users["staff"])))
    assert {r["姓名"]: r for r in records(data)}["张三"]["紧急联系人电话"] == "139****5678；027-****4321"
    assert "13912345678" not in raw_text(data)


def test_the_import_adds_contacts_to_new_and_existing_residents(world):
    e1 = world.communities["e1"]
    number = idn(1948, 1, 2, 31)
    report = run(
        [
            ["周奶奶", number, "1栋", 1, "102", "周强；刘梅", "儿子；邻居", "13911112222；13933334444"],
            ["张三", world.residents["zhang"].reveal_id_number(), "1栋", 1, "101", "张小明", "子女", "13912345678"],
        ],
        e1,
    )
    assert not report.errors, report.errors
    zhou = Resident.objects.get(name="周奶奶")
    assert list(zhou.emergency_contacts.values_list("name", "relation", "phone")) == [
        ("周强", "child", "13911112222"),
        ("刘梅", "neighbour", "13933334444"),
    ]
    zhang = world.residents["zhang"]
    assert list(zhang.emergency_contacts.values_list("name", "phone")) == [("张小明", "13912345678")]
    record = ChangeRecord.objects.filter(content_type__model="resident", object_id=zhou.pk).get()
    assert record.changes["紧急联系人"][1] == ["周强（子女） 139****2222", "刘梅（邻居） 139****4444"]


def test_the_import_updates_a_known_contact_and_keeps_the_others(world, zhang_contacts):
    zhang = zhang_contacts
    report = run(
        [["张三", zhang.reveal_id_number(), "1栋", 1, "101", "张小明", "子女", "13800009999"]], zhang.community
    )
    assert (report.updated, report.errors) == (1, [])
    assert dict(zhang.emergency_contacts.values_list("name", "phone")) == {
        "张小明": "13800009999",
        "李阿姨": "027-87654321",
    }
    # the same sheet again changes nothing
    report = run(
        [["张三", zhang.reveal_id_number(), "1栋", 1, "101", "张小明", "子女", "13800009999"]], zhang.community
    )
    assert (report.updated, report.skipped) == (0, 1)


def test_bad_contacts_are_refused_by_row_and_column_and_nothing_is_written(world):
    e1 = world.communities["e1"]
    rows = [
        ["甲", idn(1950, 1, 1, 11), "1栋", 1, "102", "周强", "老板", "13911112222"],
        ["乙", idn(1950, 1, 2, 12), "1栋", 1, "102", "周强；刘梅", "", "13911112222"],
        ["丙", idn(1950, 1, 3, 13), "1栋", 1, "102", "周强", "子女", "12345"],
        ["丁", idn(1950, 1, 4, 14), "1栋", 1, "102", "", "子女", "13911112222"],
        ["戊", idn(1950, 1, 5, 15), "1栋", 1, "102", "周强", "子女", "139****2222"],
    ]
    report = run(rows, e1)
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert "紧急联系人关系“老板”无法识别" in errors[(3, "紧急联系人关系")]
    assert "请一人一个电话" in errors[(4, "紧急联系人电话")]
    assert "手机号码格式不正确" in errors[(5, "紧急联系人电话")]
    assert "请填写紧急联系人姓名" in errors[(6, "紧急联系人")]
    assert "遮蔽过的" in errors[(7, "紧急联系人电话")]
    assert report.created == 0 and not EmergencyContact.objects.exists()


def test_the_template_offers_the_contact_columns(world, login):
    assert TEMPLATE_HEADERS[-3:] == ("紧急联系人", "紧急联系人关系", "紧急联系人电话")


def test_an_exported_file_imports_back_without_changes(world, zhang_contacts, tmp_path):
    path = tmp_path / "out.xlsx"
    user = world.users["secretary"]
    write_residents_xlsx(Resident.objects.filter(pk=zhang_contacts.pk), user=user, out=str(path), reveal_ids=True)
    book = load_workbook(path)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    from linli.ledgers.importer import read_ledger

    table = read_ledger(buffer, "out.xlsx")
    report = run_import(table, detect_mapping(table.headers), zhang_contacts.community, actor=CLI, dry_run=False)
    assert not report.errors, report.errors
    assert report.skipped == 1 and EmergencyContact.objects.count() == 2
