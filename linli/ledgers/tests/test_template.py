"""The import template: the importer's exact headers, an example that passes, lists to pick from."""

import io

import openpyxl
import pytest
from django.urls import reverse

from linli.core.models import ExportRecord
from linli.ledgers.template import HEADERS, TITLE, build_import_template
from linli.residents.choices import Relation, ResidenceType
from linli.residents.idcard import parse_id_number
from linli.residents.models import Tag

pytestmark = pytest.mark.django_db

CANONICAL = [
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


@pytest.fixture
def workbook(world):
    out = io.BytesIO()
    build_import_template(out)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def column(sheet, header: str) -> str:
    return next(c.column_letter for c in sheet[2] if c.value == header)


def validation(sheet, header: str):
    letter = column(sheet, header)
    found = [dv for dv in sheet.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}3:")]
    assert len(found) == 1, header
    return found[0]


def test_a_title_row_then_exactly_the_importers_headers(workbook):
    assert workbook.sheetnames == ["居民台账", "说明"]
    sheet = workbook["居民台账"]
    assert sheet["A1"].value == TITLE == "XX社区居民信息台账（导入模板）"
    assert "A1:R1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]] == CANONICAL == list(HEADERS)
    assert all(c.font.b for c in sheet[2])
    assert sheet.freeze_panes == "A3"


def test_required_headers_are_coloured_and_carry_a_comment(workbook):
    sheet = workbook["居民台账"]
    fills = {c.value: c.fill.fgColor.rgb for c in sheet[2]}
    required = {fills["姓名"], fills["楼栋"], fills["房号"]}
    assert len(required) == 1 and required.isdisjoint(
        {fills[h] for h in CANONICAL if h not in ("姓名", "楼栋", "房号")}
    )
    for header in ("姓名", "楼栋", "房号"):
        cell = sheet[f"{column(sheet, header)}2"]
        assert cell.comment is not None and "必填" in cell.comment.text


def test_the_example_row_is_valid(workbook):
    sheet = workbook["居民台账"]
    example = dict(zip(CANONICAL, (c.value for c in sheet[3]), strict=True))
    card = parse_id_number(example["身份证号码"])  # check digit and all
    assert card.number == example["身份证号码"]
    assert example["出生日期"].date() == card.birth_date
    assert {"M": "男", "F": "女"}[card.sex] == example["性别"]
    assert example["姓名"] and example["楼栋"] and example["房号"] == "502"
    assert example["与户主关系"] in Relation.labels and example["居住类型"] in ResidenceType.labels
    active = set(Tag.objects.filter(is_active=True).values_list("name", flat=True))
    assert set(example["人员类别"].split("、")) <= active
    assert sheet[4][0].value is None  # one example only


def test_id_numbers_and_phones_are_text_columns(workbook):
    sheet = workbook["居民台账"]
    for header in ("身份证号码", "联系电话", "房号"):
        assert sheet[f"{column(sheet, header)}3"].number_format == "@"
        assert sheet.column_dimensions[column(sheet, header)].number_format == "@"


@pytest.mark.parametrize(
    "header, labels",
    [("与户主关系", Relation.labels), ("居住类型", ResidenceType.labels), ("性别", ["男", "女"])],
)
def test_closed_lists_are_drop_downs(workbook, header, labels):
    dv = validation(workbook["居民台账"], header)
    assert dv.type == "list"
    assert dv.formula1 == '"' + ",".join(labels) + '"'
    assert str(dv.sqref).endswith("1048576")  # the whole column below the header
    assert dv.errorStyle in (None, "stop") and dv.showErrorMessage


def test_care_groups_get_an_input_message_listing_the_active_tags(world):
    Tag.objects.filter(code="veteran").update(is_active=False)
    out = io.BytesIO()
    build_import_template(out)
    dv = validation(openpyxl.load_workbook(io.BytesIO(out.getvalue()))["居民台账"], "人员类别")
    assert dv.type is None or dv.type == "any"  # several tags per cell: a message, not a drop-down
    assert dv.showInputMessage and dv.promptTitle == "人员类别"
    assert "、" in dv.prompt
    for name in Tag.objects.filter(is_active=True).values_list("name", flat=True):
        assert name in dv.prompt
    assert "退役军人" not in dv.prompt


def test_the_instructions_sheet_lists_rules_tags_and_relations(workbook):
    text = "\n".join(str(c.value) for row in workbook["说明"].iter_rows() for c in row if c.value)
    for word in ("必填", "身份证号码", "校验位", "、", "待分配", "1950-03-05"):
        assert word in text
    for name in Tag.objects.filter(is_active=True).values_list("name", flat=True):
        assert name in text
    for label in [*Relation.labels, *ResidenceType.labels]:
        assert label in text


@pytest.mark.parametrize(
    "persona, status",
    [
        ("street_admin", 200),
        ("secretary", 200),
        ("staff", 200),
        ("grid_worker_1", 403),
        ("grid_worker_2", 403),
        ("dept_handler", 403),
        ("volunteer", 403),
        ("resident", 403),
    ],
)
def test_who_may_download_the_template(world, login, persona, status):
    response = login(world.users[persona]).get(reverse("ledgers:import_template"))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert (
            "attachment;" in response["Content-Disposition"] and "filename*=UTF-8''" in response["Content-Disposition"]
        )
        assert response["Cache-Control"] == "no-store"
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["居民台账"]
        assert [c.value for c in sheet[2]] == CANONICAL
        record = ExportRecord.objects.get(user=world.users[persona])
        assert record.kind == "template" and record.row_count == 0


def test_an_anonymous_visitor_is_sent_to_log_in(world, client):
    response = client.get(reverse("ledgers:import_template"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
