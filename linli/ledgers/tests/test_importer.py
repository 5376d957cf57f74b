"""The ledger import engine on real .xlsx/.csv files built here: reading, normalising, rejecting,
matching, creating the area tree, and writing all or nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from linli.areas.models import Building, Community, Grid, Household, Street
from linli.core.audit import Actor, snapshot
from linli.core.excel.read import SpreadsheetError
from linli.core.models import ChangeAction, ChangeRecord, Source
from linli.ledgers.importer import (
    FIELDS,
    detect_mapping,
    import_actor,
    read_ledger,
    run_import,
)
from linli.residents.idcard import make_id_number
from linli.residents.models import Resident, Tag
from linli.residents.services import create_resident, find_by_id_number

pytestmark = pytest.mark.django_db

CLI = import_actor(None, "东一社区台账.xlsx")
HEADERS = ["序号", "姓名", "身份证号码", "联系电话", "楼栋", "单元", "房号", "与户主关系", "人员类别", "网格", "备注"]


def idn(year=1950, month=3, day=5, seq=10, sex="M", region="420107") -> str:
    return make_id_number(region, datetime.date(year, month, day), seq, sex)


def xlsx(rows, *, headers=HEADERS, title="东一社区居民信息台账", above=(), merges=(), path=None) -> io.BytesIO:
    """A workbook as offices keep them: a merged title row, maybe more lines, the header, the rows."""
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for line in above:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def table_of(rows, name="台账.xlsx", **kwargs):
    return read_ledger(xlsx(rows, **kwargs), name)


def run(table, community, *, dry_run=False, actor=CLI, **kwargs):
    return run_import(table, detect_mapping(table.headers), community, actor=actor, dry_run=dry_run, **kwargs)


def counts():
    return (
        Resident.objects.count(),
        Building.objects.count(),
        Household.objects.count(),
        Grid.objects.count(),
        ChangeRecord.objects.count(),
        Resident.tags.through.objects.count(),
    )


@pytest.fixture
def fresh(db):
    """A community moving in: nothing registered yet."""
    from linli.residents.defaults import install_default_tags

    install_default_tags(Tag)
    street = Street.objects.create(code="north", name="北街")
    return Community.objects.create(street=street, code="n1", name="北一社区")


# --------------------------------------------------------------------------- reading


def test_the_header_is_found_below_a_merged_title_and_a_note_line():
    table = table_of(
        [[1, "张三", idn(), "13800001234", "3栋", "2", "502", "户主", "", "1", ""]],
        above=[["填报单位：东一社区居委会", None, None, "填报日期：2026年1月"]],
        headers=[
            "序号",
            "* 姓 名",
            "身份证号码（必填）",
            "手机号",
            "楼号",
            "单元",
            "房间号",
            "关系",
            "重点人群",
            "所属网格",
            "说明",
        ],
    )
    assert table.header_row == 3
    assert table.rows[0][0] == 4 and table.rows[0][1][1] == "张三"
    assert detect_mapping(table.headers) == {
        1: "name",
        2: "id_number",
        3: "phone",
        4: "building",
        5: "entrance",
        6: "room",
        7: "relation",
        8: "tags",
        9: "grid",
        10: "note",
    }


@pytest.mark.parametrize(
    "header, key",
    [
        ("名字", "name"),
        ("居民姓名", "name"),
        ("身份证号", "id_number"),
        ("公民身份号码", "id_number"),
        ("证件号码", "id_number"),
        ("手机", "phone"),
        ("电话", "phone"),
        ("联系电话(手机)", "phone"),
        ("楼", "building"),
        ("栋", "building"),
        ("楼号", "building"),
        ("门牌号", "room"),
        ("室", "room"),
        ("房间号", "room"),
        ("与户主关系", "relation"),
        ("标签", "tags"),
        ("人员类型", "tags"),
        ("户籍所在地", "hukou_place"),
        ("所属网格", "grid"),
        ("出生日期", "birth_date"),
        ("性别", "sex"),
        ("说明", "note"),
        ("居住类型", "residence_type"),
        ("ＳＥＸ", None),
        ("＊姓名（必填）", "name"),
        ("户主姓名", None),
    ],
)
def test_headers_are_recognised_by_their_synonyms(header, key):
    assert detect_mapping([header]).get(0) == key


def test_each_field_has_its_canonical_label_first():
    assert [f.label for f in FIELDS.values()] == [
        "姓名",
        "身份证号码",
        "联系电话",
        "楼栋",
        "单元",
        "房号",
        "建筑面积",
        "与户主关系",
        "居住类型",
        "人员类别",
        "户籍地",
        "网格",
        "出生日期",
        "性别",
        "备注",
        "紧急联系人",
        "紧急联系人关系",
        "紧急联系人电话",
    ]
    assert {k for k, f in FIELDS.items() if f.required} == {"name", "building", "room"}
    assert detect_mapping([f.label for f in FIELDS.values()]) == dict(enumerate(FIELDS))


def test_merged_cells_count_for_every_row_they_cover():
    """A building and a room merged down over a family's rows, as ledgers are often drawn."""
    rows = [
        [1, "张大", "", "", "3栋", "1", "101", "户主", "", "", ""],
        [2, "张二", "", "", None, None, None, "子", "", "", ""],
        [3, "李大", "", "", None, "1", "102", "户主", "", "", ""],
    ]
    table = table_of(rows, merges=["E3:E5", "F3:F4", "G3:G4"])
    assert [(r[1][1], r[1][4], r[1][5], r[1][6]) for r in table.rows] == [
        ("张大", "3栋", "1", "101"),
        ("张二", "3栋", "1", "101"),
        ("李大", "3栋", "1", "102"),
    ]


def test_blank_rows_repeated_headers_and_numbered_empty_rows_are_not_data(fresh):
    rows = [
        [1, "张三", "", "", "3", "1", "101", "", "", "", ""],
        [None] * 11,
        HEADERS,
        [2, "李四", "", "", "3", "1", "102", "", "", "", ""],
        [3, None, None, None, None, None, None, None, None, None, None],  # a pre-numbered template row
    ]
    table = table_of(rows)
    assert [n for n, _ in table.rows] == [3, 6, 7]
    report = run(table, fresh, dry_run=True)
    assert report.rows == 2 and report.created == 2 and not report.errors


def test_csv_in_gb18030_and_utf8_with_bom():
    text = f"东一社区台账\n姓名,身份证号码,楼栋,单元,房号\n张三,{idn()},3栋,1,101\n"
    for encoding in ("gb18030", "utf-8-sig", "utf-8"):
        table = read_ledger(io.BytesIO(text.encode(encoding)), "台账.csv")
        assert table.header_row == 2 and table.headers[0] == "姓名"
        assert table.rows == [(3, ["张三", idn(), "3栋", "1", "101"])]
    tabbed = read_ledger(io.BytesIO(text.replace(",", "\t").encode("utf-16")), "台账.csv")
    assert tabbed.rows[0][1][0] == "张三"


def test_xls_files_are_read_with_calamine(tmp_path):
    xls = _biff8_workbook([["居民台账"], ["姓名", "楼栋", "房号", "出生日期"], ["张三", "3栋", 502, 18327]])
    path = tmp_path / "台账.xls"
    path.write_bytes(xls)
    try:
        table = read_ledger(str(path), "台账.xls")
    except SpreadsheetError as exc:  # pragma: no cover - depends on calamine's BIFF reader
        pytest.skip(f"calamine could not read the hand-made .xls: {exc}")
    assert table.header_row == 2 and table.rows == [(3, ["张三", "3栋", "502", "18327"])]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("照片.jpg", b"\xff\xd8\xff", "只能导入"),
        ("坏文件.xlsx", b"not a zip file", "无法读取"),
        ("空.xlsx", b"", "空"),
        ("空.csv", b"\n\n", "空"),
        ("无表头.csv", "编号,金额\n1,2\n".encode(), "没有找到表头"),
        ("只有表头.csv", "姓名,楼栋,房号\n".encode(), "下面没有数据"),
    ],
)
def test_unusable_files_are_refused_with_a_chinese_message(name, content, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_ledger(io.BytesIO(content), name)


# --------------------------------------------------------------------------- normalising


def test_id_numbers_and_phones_are_normalised(fresh):
    full_width = idn(seq=11).translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    with_x = next(idn(seq=s) for s in range(20, 99) if idn(seq=s).endswith("X"))
    legacy = "420107500305123"  # 15 digits: 1950-03-05, odd -> male
    rows = [
        [1, "甲", full_width, "138-0000-1234", "3", "1", "101", "", "", "", ""],
        [2, "乙", " " + with_x.lower() + " ", " 139 0000 1234 ", "3", "1", "102", "", "", "", ""],
        [3, "丙", legacy, "+86 137 0000 1234", "3", "1", "201", "", "", "", ""],
        [4, "丁", "", "027-8765 4321", "3", "1", "202", "", "", "", ""],
    ]
    report = run(table_of(rows), fresh)
    assert report.created == 4 and not report.errors
    jia, yi, bing, ding = (Resident.objects.get(name=n) for n in "甲乙丙丁")
    assert find_by_id_number(Resident.objects.all(), idn(seq=11)).get() == jia
    assert jia.phone == "13800001234" and jia.phone_last4 == "1234"
    assert yi.reveal_id_number() == with_x and yi.id_last4 == with_x[-4:] and yi.phone == "13900001234"
    assert bing.reveal_id_number().startswith("42010719500305123") and bing.birth_date == datetime.date(1950, 3, 5)
    assert bing.sex == "M" and bing.phone == "13700001234"
    assert ding.phone == "027-87654321" and ding.id_hash == "" and ding.birth_date is None


def test_three_dong_3_haolou_and_3_zhuang_are_one_building(fresh):
    rows = [
        [1, "甲", "", "", "3栋", "2", "502", "", "", "", ""],
        [2, "乙", "", "", "三栋", "2单元", "502室", "", "", "", ""],
        [3, "丙", "", "", "3号楼", "二单元", "1203", "", "", "", ""],
        [4, "丁", "", "", "3幢", "", "2-604", "", "", "", ""],
        [5, "戊", "", "", "３", "1", "101", "", "", "", ""],
        [6, "己", "", "", "5号楼", "", "3单元103", "", "", "", ""],
    ]
    report = run(table_of(rows), fresh)
    assert not report.errors and report.created == 6
    assert report.buildings_created == 2 and report.households_created == 5
    b3 = Building.objects.get(community=fresh, number=3)
    assert (b3.name, b3.entrances, b3.floors, b3.rooms_per_floor) == ("3栋", 2, 12, 4)
    b5 = Building.objects.get(community=fresh, number=5)
    assert (b5.name, b5.entrances, b5.floors, b5.rooms_per_floor) == ("5栋", 3, 1, 3)
    rooms = set(Household.objects.filter(building=b3).values_list("entrance", "floor", "room"))
    assert rooms == {(2, 5, "502"), (2, 12, "1203"), (2, 6, "604"), (1, 1, "101")}
    jia, yi = Resident.objects.get(name="甲"), Resident.objects.get(name="乙")
    assert jia.household_id == yi.household_id and jia.building_id == b3.pk


def test_birth_dates_in_every_format(fresh):
    headers = ["姓名", "楼栋", "房号", "出生日期", "性别"]
    rows = [
        ["甲", "3", "101", 18327, "男"],  # an Excel serial in a plain number cell
        ["乙", "3", "102", datetime.datetime(1950, 3, 5), "女"],  # a date cell
        ["丙", "3", "201", "1950.3.5", "男性"],
        ["丁", "3", "202", "1950-03-05", "F"],
        ["戊", "3", "301", "1950年3月5日", "女"],
        ["己", "3", "302", "1950/3/5", ""],
        ["庚", "3", "401", "19500305", ""],
    ]
    report = run(table_of(rows, headers=headers), fresh)
    assert not report.errors and report.created == 7
    assert set(Resident.objects.values_list("birth_date", flat=True)) == {datetime.date(1950, 3, 5)}
    assert dict(Resident.objects.values_list("name", "sex")) == {
        "甲": "M",
        "乙": "F",
        "丙": "M",
        "丁": "F",
        "戊": "F",
        "己": "",
        "庚": "",
    }


def test_several_tags_in_one_cell_and_tags_written_the_way_ledgers_do(fresh):
    rows = [
        [1, "甲", "", "", "3", "1", "101", "", "独居老人、低保户", "", ""],
        [2, "乙", "", "", "3", "1", "102", "", "党员,退役军人", "", ""],
        [3, "丙", "", "", "3", "1", "201", "", "空巢老人；残疾人", "", ""],
        [4, "丁", "", "", "3", "1", "202", "", "低保 60岁以上老人", "", ""],
        [5, "戊", "", "", "3", "1", "301", "", "中共党员，精神病人，低收入", "", ""],
        [6, "己", "", "", "3", "1", "302", "", "无", "", ""],
    ]
    report = run(table_of(rows), fresh)
    assert not report.errors

    def codes(name):
        return set(Resident.objects.get(name=name).tags.values_list("code", flat=True))

    assert codes("甲") == {"living_alone", "dibao"}
    assert codes("乙") == {"party_member", "veteran"}
    assert codes("丙") == {"empty_nest", "disabled"}
    assert codes("丁") == {"dibao", "elderly60"}
    assert codes("戊") == {"party_member", "mental_disorder", "low_income"}
    assert codes("己") == set()
    # Tags written in bulk: the households in need (Household.care_members) were recounted all the same.
    from linli.residents.care import stale_households

    in_need = set(Household.objects.filter(care_members__gt=0).values_list("room", flat=True))
    assert in_need == {"101", "201", "202", "301"} and stale_households() == []


def test_relations_and_residence_types_by_their_usual_names(fresh):
    headers = ["姓名", "楼栋", "房号", "与户主关系", "居住类型"]
    words = [
        ("本人", "户籍"),
        ("妻", "常住人口"),
        ("长子", "流动人口"),
        ("女儿", "租住"),
        ("母亲", "租赁"),
        ("孙女", "暂住"),
        ("儿媳", "户籍人口"),
        ("哥哥", "常住"),
        ("外婆", "租户"),
        ("租户", "出租"),
    ]
    rows = [[f"人{i}", "3", "101", rel, kind] for i, (rel, kind) in enumerate(words)]
    report = run(table_of(rows, headers=headers), fresh)
    assert not report.errors
    got = [
        tuple(Resident.objects.filter(name=f"人{i}").values_list("relation", "residence_type").get())
        for i in range(len(words))
    ]
    assert got == [
        ("head", "registered"),
        ("spouse", "permanent"),
        ("child", "migrant"),
        ("child", "tenant"),
        ("parent", "tenant"),
        ("grandchild", "migrant"),
        ("child_in_law", "registered"),
        ("sibling", "permanent"),
        ("grandparent", "tenant"),
        ("tenant", "tenant"),
    ]


# --------------------------------------------------------------------------- rejections


def test_every_rejection_reason_by_row_and_column(fresh):
    headers = [
        "姓名",
        "公民身份号码",
        "手机号",
        "楼号",
        "单元",
        "房号",
        "关系",
        "重点人群",
        "所属网格",
        "出生日期",
        "性别",
        "居住类型",
    ]
    good = idn(seq=30)
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        ["好人", good, "", "3", "1", "101", "", "", "1", "", "", ""],  # row 3
        ["校验位", bad_check, "", "3", "1", "102", "", "", "", "", "", ""],  # 4
        ["日期", "", "", "3", "1", "201", "", "", "", "1950-02-30", "", ""],  # 5
        ["电话", "", "1380000", "3", "1", "202", "", "", "", "", "", ""],  # 6
        ["", "", "", "3", "1", "301", "", "", "", "", "", ""],  # 7 no name
        ["无楼", "", "", "", "1", "302", "", "", "", "", "", ""],  # 8
        ["无房", "", "", "3", "1", "", "", "", "", "", "", ""],  # 9
        ["标签", "", "", "3", "1", "401", "", "独居老人、外星人", "", "", "", ""],  # 10
        ["关系", "", "", "3", "1", "402", "表舅的邻居", "", "", "", "", ""],  # 11
        ["重复", good, "", "3", "1", "501", "", "", "", "", "", ""],  # 12
        ["生日不符", idn(seq=31), "", "3", "1", "502", "", "", "", "1960-01-01", "", ""],  # 13
        ["性别不符", idn(seq=32, sex="M"), "", "3", "1", "601", "", "", "", "", "女", ""],  # 14
        ["两个网格", "", "", "3", "1", "602", "", "", "2", "", "", ""],  # 15
        ["楼号怪", "", "", "A座", "1", "701", "", "", "", "", "", ""],  # 16
        ["房号怪", "", "", "3", "1", "7楼", "", "", "", "", "", ""],  # 17
        ["类型", "", "", "3", "1", "702", "", "", "", "", "", "外星"],  # 18
        ["性别怪", "", "", "3", "1", "801", "", "", "", "", "未知", ""],  # 19
        ["网格怪", "", "", "3", "1", "802", "", "", "幸福网格", "", "", ""],  # 20
        ["未来", "", "", "3", "1", "901", "", "", "", "2999-01-01", "", ""],  # 21
    ]
    report = run(table_of(rows, headers=headers, title="北一社区台账"), fresh)
    got = {(e.row, e.column): e.message for e in report.errors}
    assert got == {
        (4, "公民身份号码"): "身份证号码校验位不正确",
        (5, "出生日期"): "出生日期“1950-02-30”不存在",
        (6, "手机号"): "手机号码格式不正确，应为11位，以1开头",
        (7, "姓名"): "请填写姓名",
        (8, "楼号"): "请填写楼栋",
        (9, "房号"): "请填写房号",
        (10, "重点人群"): got[(10, "重点人群")],
        (11, "关系"): got[(11, "关系")],
        (12, "公民身份号码"): "与第3行身份证号码重复",
        (13, "出生日期"): "出生日期与身份证号码不一致（身份证号码中是1950-03-05）",
        (14, "性别"): "性别与身份证号码不一致（身份证号码中是男）",
        (15, "所属网格"): "3栋在第3行填的是第1网格，与本行不一致",
        (16, "楼号"): "楼栋“A座”无法识别，请写楼号，如“3栋”或“3”",
        (17, "房号"): "房号“7楼”无法识别，请写成“502”或“2-502”（单元-房号）",
        (18, "居住类型"): got[(18, "居住类型")],
        (19, "性别"): "性别“未知”无法识别，请写“男”或“女”",
        (20, "所属网格"): "网格“幸福网格”无法识别，请写网格序号，如“第3网格”或“3”",
        (21, "出生日期"): "出生日期不能晚于今天",
    }
    assert got[(10, "重点人群")].startswith("人员类别“外星人”不存在，可填：60岁以上老人、独居老人")
    assert got[(11, "关系")].startswith("与户主关系“表舅的邻居”无法识别，可填：户主、配偶")
    assert got[(18, "居住类型")].startswith("居住类型“外星”无法识别")
    assert report.rows == 19 and report.rejected == 18 and report.created == 1
    assert list(Resident.objects.values_list("name", flat=True)) == ["好人"]


def test_the_same_person_twice_without_id_and_a_resident_matched_twice_are_rejected(world):
    e1, zhang = world.communities["e1"], world.residents["zhang"]
    rows = [
        [1, "新人", "", "", "1栋", "1", "101", "", "", "", ""],
        [2, "新人", "", "", "1", "1", "101", "", "", "", ""],
        [3, "张三", "", "", "1", "1", "101", "", "", "", ""],  # matches zhang by name and room
        [4, "张三", zhang.reveal_id_number(), "", "1", "1", "101", "", "", "", ""],  # and again by ID
    ]
    report = run(table_of(rows), e1, dry_run=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (4, "姓名", "与第3行重复：同一户里同名，且都没有身份证号码"),
        (6, "", "与第5行是同一位居民（张三）"),
    ]


def test_masked_values_from_an_export_cannot_register_a_new_resident(fresh):
    rows = [[1, "甲", "420107********1234", "138****1234", "3", "1", "101", "", "", "", ""]]
    report = run(table_of(rows), fresh, dry_run=True)
    assert [e.column for e in report.errors] == ["身份证号码", "联系电话"]


def test_a_building_already_in_another_grid_is_not_moved_by_a_ledger(world):
    rows = [[1, "新人", "", "", "1栋", "1", "102", "", "", "2", ""]]  # 1栋 is in grid 1
    report = run(table_of(rows), world.communities["e1"])
    assert report.errors[0].message.startswith("1栋已属于东一第1网格，与本行的网格不一致")
    assert Building.objects.get(pk=world.buildings["b1"].pk).grid == world.grids["g1"]


# --------------------------------------------------------------------------- matching and updating


def test_a_row_with_a_known_id_updates_only_its_non_empty_cells(world):
    zhang = world.residents["zhang"]
    before = {
        f: getattr(zhang, f) for f in ("name", "relation", "residence_type", "hukou_place", "note", "household_id")
    }
    number = zhang.reveal_id_number()
    rows = [[1, "张三", number.lower(), "13911112222", "1栋", "1", "101", "", "党员", "", ""]]
    report = run(table_of(rows), world.communities["e1"], actor=import_actor(world.users["staff"], "台账.xlsx"))
    assert (report.created, report.updated, report.skipped) == (0, 1, 0)
    zhang.refresh_from_db()
    assert zhang.phone == "13911112222" and zhang.phone_last4 == "2222"
    assert {f: getattr(zhang, f) for f in before} == before
    assert set(zhang.tags.values_list("code", flat=True)) == {"elderly60", "living_alone", "party_member"}
    record = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Resident), object_id=zhang.pk, action=ChangeAction.UPDATE
    ).get()
    assert record.source == Source.IMPORT and record.actor == world.users["staff"]
    assert record.actor_label == "导入 台账.xlsx"
    assert record.changes == {
        "联系电话": ["138****5678", "139****2222"],
        "人员标签": [["60岁以上老人", "独居老人"], ["60岁以上老人", "党员", "独居老人"]],
    }


def test_a_row_with_a_known_id_in_another_room_moves_the_resident(world):
    li = world.residents["li"]
    rows = [[1, "李四", li.reveal_id_number(), "", "2", "1", "301", "", "", "", ""]]
    report = run(table_of(rows), world.communities["e1"])
    assert report.updated == 1
    li.refresh_from_db()
    assert (li.building, li.grid, li.household.room) == (world.buildings["b2"], world.grids["g2"], "301")


def test_rows_without_id_match_the_same_name_in_the_same_room(world):
    chen = world.residents["chen"]
    rows = [[1, "陈奶奶", "", "", "1栋", "1", "201", "", "", "", "老伴去世后独居"]]
    report = run(table_of(rows), world.communities["e1"])
    assert (report.created, report.updated) == (0, 1)
    chen.refresh_from_db()
    assert chen.note == "老伴去世后独居"


def test_importing_the_same_file_twice_changes_nothing(fresh):
    rows = [
        [1, "甲", idn(seq=40), "13800001111", "3栋", "1", "101", "户主", "独居老人", "第1网格", "腿脚不便"],
        [2, "乙", "", "13800002222", "3栋", "1", "102", "户主", "", "1", ""],
        [3, "丙", "", "", "5栋", "2", "1203", "子女", "党员", "", ""],
    ]
    first = run(table_of(rows), fresh)
    assert (first.created, first.updated, first.skipped) == (3, 0, 0)
    before = counts()
    second = run(table_of(rows), fresh)
    assert (second.created, second.updated, second.skipped, second.errors) == (0, 0, 3, [])
    assert (second.buildings_created, second.households_created, second.grids_created) == (0, 0, 0)
    assert counts() == before


def test_an_export_reimported_changes_nothing(world, tmp_path):
    from linli.ledgers.exporter import write_residents_xlsx

    e1, staff = world.communities["e1"], world.users["staff"]
    out = tmp_path / "导出.xlsx"
    write_residents_xlsx(Resident.objects.filter(community=e1), user=staff, out=str(out))
    before = counts()
    table = read_ledger(str(out), "导出.xlsx")
    report = run(table, e1, actor=import_actor(staff, "导出.xlsx"))
    assert (report.created, report.updated, report.errors) == (0, 0, [])
    assert report.skipped == Resident.objects.filter(community=e1).count()
    assert counts() == before


def test_an_imported_resident_is_what_the_services_would_have_made(world):
    e1 = world.communities["e1"]
    number = idn(1962, 7, 1, seq=50, sex="F")
    rows = [[1, "欧阳秀英", number, "13800009999", "2栋", "1", "302", "妻", "空巢老人、党员", "", "测试"]]
    run(table_of(rows), e1)
    imported = Resident.objects.get(name="欧阳秀英")
    record = ChangeRecord.objects.get(content_type=ContentType.objects.get_for_model(Resident), object_id=imported.pk)
    # The same person entered by hand, in another community (one ID per community).
    other = Community.objects.create(street=e1.street, code="cmp", name="对照社区")
    from linli.testing import make_building

    building = make_building(other, None, 2, entrances=1, floors=3, rooms=2)
    by_hand = create_resident(
        actor=Actor.cli("对照"),
        household=Household.objects.get(building=building, room="302"),
        name="欧阳秀英",
        id_number=number,
        phone="138 0000 9999",
        tags=Tag.objects.filter(code__in=["empty_nest", "party_member"]),
        relation="spouse",
        note="测试",
    )
    derived = (
        "name",
        "name_pinyin",
        "name_initials",
        "id_hash",
        "id_masked",
        "id_last4",
        "birth_date",
        "sex",
        "phone",
        "phone_last4",
        "relation",
        "residence_type",
        "status",
        "hukou_place",
        "note",
    )
    assert {f: getattr(imported, f) for f in derived} == {f: getattr(by_hand, f) for f in derived}
    assert imported.reveal_id_number() == by_hand.reveal_id_number() == number
    assert (imported.street_id, imported.community_id, imported.grid_id, imported.building_id) == (
        e1.street_id,
        e1.pk,
        world.grids["g2"].pk,
        world.buildings["b2"].pk,
    )
    assert record.changes == {k: [None, v] for k, v in snapshot(imported).items()}
    hand_record = ChangeRecord.objects.filter(
        object_id=by_hand.pk, actor_label="对照", content_type=record.content_type
    ).get()
    assert {k: v for k, v in record.changes.items() if k != "户"} == {
        k: v for k, v in hand_record.changes.items() if k != "户"
    }
    assert record.source == Source.IMPORT and record.actor_label == "导入 东一社区台账.xlsx"


# --------------------------------------------------------------------------- the area tree


def test_a_community_moving_in_gets_its_buildings_rooms_and_grids(fresh):
    rows = [
        [1, "甲", "", "", "1栋", "1", "101", "", "", "第3网格", ""],
        [2, "乙", "", "", "1栋", "2", "302", "", "", "3网格", ""],
        [3, "丙", "", "", "2栋", "1", "101", "", "", "3", ""],
        [4, "丁", "", "", "6栋", "1", "101", "", "", "第十二网格", ""],
        [5, "戊", "", "", "7栋", "1", "101", "", "", "", ""],
        [6, "己", "", "", "8栋", "1", "101", "", "", "", ""],
    ]
    report = run(table_of(rows), fresh)
    assert (report.buildings_created, report.households_created, report.grids_created) == (5, 6, 2)
    assert report.unassigned_buildings == ["7栋", "8栋"]
    grids = {g.number: g for g in Grid.objects.filter(community=fresh)}
    assert {n: g.name for n, g in grids.items()} == {3: "第3网格", 12: "第12网格"}
    assert {b.number: b.grid for b in Building.objects.filter(community=fresh)} == {
        1: grids[3],
        2: grids[3],
        6: grids[12],
        7: None,
        8: None,
    }
    assert set(Resident.objects.filter(grid=grids[3]).values_list("name", flat=True)) == {"甲", "乙", "丙"}
    records = ChangeRecord.objects.filter(source=Source.IMPORT, action=ChangeAction.CREATE)
    by_model = {
        ct: records.filter(content_type=ContentType.objects.get_for_model(ct)).count()
        for ct in (Grid, Building, Household, Resident)
    }
    assert by_model == {Grid: 2, Building: 5, Household: 6, Resident: 6}
    b1 = Building.objects.get(community=fresh, number=1)
    assert records.get(object_id=b1.pk, content_type=ContentType.objects.get_for_model(Building)).changes["网格"] == [
        None,
        "第3网格",
    ]


def test_an_existing_building_without_a_grid_joins_the_grid_the_ledger_names_and_grows(world):
    from linli.testing import make_building, make_resident

    e1 = world.communities["e1"]
    b9 = make_building(e1, None, 9, entrances=1, floors=2, rooms=2)
    old = make_resident(b9, "老住户", room="201", seq=60)
    rows = [[1, "新住户", "", "", "9栋", "2", "1105", "", "", "2", ""]]
    report = run(table_of(rows), e1)
    assert (report.buildings_created, report.households_created, report.grids_created) == (0, 1, 0)
    assert report.unassigned_buildings == []
    b9.refresh_from_db()
    old.refresh_from_db()
    assert b9.grid == world.grids["g2"] and old.grid == world.grids["g2"]
    assert (b9.entrances, b9.floors, b9.rooms_per_floor) == (2, 11, 5)
    assert Resident.objects.get(name="新住户").grid == world.grids["g2"]
    record = ChangeRecord.objects.filter(
        object_id=b9.pk, content_type=ContentType.objects.get_for_model(Building), action=ChangeAction.UPDATE
    ).get()
    assert record.source == Source.IMPORT and "1名居民随楼栋分配" in record.note


# --------------------------------------------------------------------------- all or nothing


def test_a_dry_run_writes_nothing_but_says_what_would_happen(fresh):
    rows = [
        [1, "甲", idn(), "", "3栋", "1", "101", "", "低保户", "1", ""],
        [2, "乙", "", "", "4栋", "1", "101", "", "", "", ""],
    ]
    before = counts()
    report = run(table_of(rows), fresh, dry_run=True)
    assert counts() == before
    assert report.as_dict() == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "skipped": 0,
        "errors": [],
        "buildings_created": 2,
        "households_created": 2,
        "households_updated": 0,
        "grids_created": 1,
        "unassigned_buildings": ["4栋"],
        "dry_run": True,
    }


def test_strict_writes_nothing_when_any_row_is_rejected(fresh):
    rows = [[1, "甲", idn(), "", "3栋", "1", "101", "", "", "", ""], [2, "", "", "", "3栋", "1", "102", "", "", "", ""]]
    before = counts()
    report = run(table_of(rows), fresh, strict=True)
    assert counts() == before and report.dry_run and report.rejected == 1
    report = run(table_of(rows), fresh)
    assert counts() != before and not report.dry_run and report.created == 1


def test_a_commit_that_fails_midway_leaves_nothing_behind(fresh, monkeypatch):
    from linli.ledgers import importer

    rows = [[i, f"人{i}", "", "", "3栋", "1", f"{100 + i}", "", "", "1", ""] for i in range(1, 30)]
    before = counts()

    def boom(self):
        raise RuntimeError("断电")

    monkeypatch.setattr(importer._Run, "_write_updates", boom)
    with pytest.raises(RuntimeError):
        run(table_of(rows), fresh)
    assert counts() == before


def test_progress_is_reported_through_validation_and_writing(fresh, monkeypatch):
    from linli.ledgers import importer

    monkeypatch.setattr(importer, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(importer, "BATCH", 10)
    rows = [[i, f"人{i}", "", "", "3栋", "1", f"{100 + i}", "", "", "", ""] for i in range(1, 36)]
    calls = []
    run(table_of(rows), fresh, progress=lambda done, total: calls.append((done, total)))
    assert {total for _, total in calls} == {70}
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[0] == (10, 70) and calls[-1] == (70, 70) and (35, 70) in calls


# --------------------------------------------------------------------------- who may import


def test_only_roles_with_ledger_import_and_only_within_their_scope(world):
    table = table_of([[1, "甲", "", "", "3栋", "1", "101", "", "", "", ""]])
    for persona in ("grid_worker_1", "volunteer", "resident", "nobody"):
        with pytest.raises(PermissionDenied):
            run(table, world.communities["e1"], actor=import_actor(world.users[persona], "x.xlsx"), dry_run=True)
    with pytest.raises(PermissionDenied):
        run(table, world.communities["e2"], actor=import_actor(world.users["secretary"], "x.xlsx"), dry_run=True)
    report = run(table, world.communities["e1"], actor=import_actor(world.users["secretary"], "x.xlsx"), dry_run=True)
    assert report.created == 1


def test_a_mapping_without_name_or_place_is_refused(fresh):
    table = table_of([[1, "甲", "", "", "3栋", "1", "101", "", "", "", ""]])
    with pytest.raises(SpreadsheetError, match="姓名"):
        run_import(table, {4: "building", 6: "room"}, fresh, actor=CLI, dry_run=True)


# --------------------------------------------------------------------------- a hand-made .xls


def _biff8_workbook(rows) -> bytes:
    """The smallest BIFF8 workbook (.xls) with one sheet of strings and numbers, in an OLE2 file.

    No library in the project writes .xls (xlwt is long dead); this is enough for calamine."""
    import struct

    def record(kind, data=b""):
        return struct.pack("<HH", kind, len(data)) + data

    def text(value):  # XLUnicodeString, UTF-16 (fHighByte = 1)
        return struct.pack("<HB", len(value), 1) + value.encode("utf-16-le")

    bof_globals = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0006))
    bof_sheet = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x0006))
    xf = b"".join(
        record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5 if i < 15 else 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))
        for i in range(16)
    )
    font = record(
        0x0031,
        struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + bytes((5, 1)) + "Arial".encode("utf-16-le"),
    )
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                cells += record(0x0204, struct.pack("<HHH", r, c, 15) + text(value))
            else:
                cells += record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
    width = max(len(r) for r in rows)
    sheet = bof_sheet + record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0)) + cells + record(0x000A)
    name = "Sheet1"

    def boundsheet(offset):
        return record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1) + name.encode("utf-16-le"))

    head = bof_globals + record(0x0042, struct.pack("<H", 1200)) + font * 5 + xf
    offset = len(head) + len(boundsheet(0)) + len(record(0x000A))
    stream = head + boundsheet(offset) + record(0x000A) + sheet
    stream += b"\x00" * (-len(stream) % 512)
    if len(stream) < 4096:  # keep it out of the mini stream
        stream += b"\x00" * (4096 - len(stream))
    return _ole2({"Workbook": stream})


def _ole2(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file holding `streams` (each >= 4096 bytes) in 512-byte sectors."""
    import struct

    sector = 512
    data_sectors, chains, start = [], [], 0
    for content in streams.values():
        n = len(content) // sector
        chains.append((start, n, len(content)))
        data_sectors.append(content)
        start += n
    n_data = start
    n_dir = 1
    n_fat = 1
    while (n_data + n_dir + n_fat) > n_fat * 128:
        n_fat += 1
    fat = []
    for s, n, _ in chains:
        fat += [s + i + 1 for i in range(n - 1)] + [0xFFFFFFFE]
    dir_start = n_data
    fat += [0xFFFFFFFE]  # directory: one sector
    fat += [0xFFFFFFFD] * n_fat
    fat += [0xFFFFFFFF] * (n_fat * 128 - len(fat))

    def entry(name, kind, start_sector, size, child=0xFFFFFFFF):
        encoded = (name + "\x00").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child)
            + b"\x00" * 16
            + struct.pack("<I", 0)
            + b"\x00" * 16
            + struct.pack("<IIi", start_sector, size, 0)
        )

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)
    for (s, _n, size), name in zip(chains, streams):
        directory += entry(name, 2, s, size)
    directory = directory.ljust(sector, b"\x00")
    difat = [n_data + n_dir + i for i in range(n_fat)] + [0xFFFFFFFF] * (109 - n_fat)
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<109I", *difat)
    )
    return header + b"".join(data_sectors) + directory + struct.pack(f"<{len(fat)}I", *fat)
