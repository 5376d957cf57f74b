"""The import template (导入模板): a blank ledger whose headers the importer maps as they are.

Sheet 居民台账: a merged title row (as real ledgers have), the canonical header row, one
example row, drop-down lists where the values are a closed set, and an input message listing
the care groups for 人员类别 (several allowed, so no drop-down there). Sheet 说明: the rules.
"""

from __future__ import annotations

import datetime

from linli.core.excel.download import safe_workbook
from linli.ledgers.importer import FIELDS
from linli.residents.choices import ContactRelation, Relation, ResidenceType, Sex
from linli.residents.idcard import make_id_number
from linli.residents.models import Tag

__all__ = ["HEADERS", "REQUIRED", "SHEET", "TITLE", "build_import_template"]

SHEET = "居民台账"
TITLE = "XX社区居民信息台账（导入模板）"
#: the importer's canonical headers, in its order: one definition for the template and the importer
HEADERS = tuple(f.label for f in FIELDS.values())
REQUIRED = tuple(f.label for f in FIELDS.values() if f.required)
TAG_SEPARATOR = "、"
WIDTHS = {
    "姓名": 10,
    "身份证号码": 21,
    "联系电话": 15,
    "人员类别": 26,
    "户籍地": 22,
    "网格": 12,
    "出生日期": 12,
    "备注": 30,
    "紧急联系人": 12,
    "紧急联系人关系": 14,
    "紧急联系人电话": 16,
}
TEXT_COLUMNS = ("身份证号码", "联系电话", "楼栋", "房号", "紧急联系人电话")  # never let Excel turn these into numbers

TITLE_ROW, HEADER_ROW, EXAMPLE_ROW = 0, 1, 2
LAST_ROW = 1_048_575  # validations cover the whole column below the header

COMMENTS = {
    "姓名": "必填。",
    "楼栋": "必填。写“3栋”“3号楼”“三栋”均可。",
    "房号": "必填。如“502”。",
    "建筑面积": "选填。房产证上的建筑面积，单位平方米，如“89.5”；写“89.5㎡”“89.5平方米”也可以。",
    "身份证号码": "18位（或15位旧号码），最后一位可以是X。填了身份证号码，出生日期和性别可以不填。",
    "紧急联系人": "子女、亲属或邻居的姓名。多位用“；”分隔，关系和电话按同样顺序填写。",
}


def _example(tags: list[str]) -> dict:
    born = datetime.date(1952, 3, 5)
    return {
        "姓名": "张建国",
        "身份证号码": make_id_number("420107", born, 12, "M"),
        "联系电话": "13812345678",
        "楼栋": "3栋",
        "单元": 2,
        "房号": "502",
        "建筑面积": "89.5",
        "与户主关系": Relation.HEAD.label,
        "居住类型": ResidenceType.PERMANENT.label,
        "人员类别": TAG_SEPARATOR.join(tags[:2]),
        "户籍地": "湖北省武汉市",
        "网格": "第1网格",
        "出生日期": born,
        "性别": Sex.MALE.label,
        "备注": "示例行，导入前请删除",
        "紧急联系人": "张小明",
        "紧急联系人关系": ContactRelation.CHILD.label,
        "紧急联系人电话": "13912345678",
    }


def _list_validation(labels, title: str) -> dict:
    return {
        "validate": "list",
        "source": list(labels),
        "input_title": title,
        "input_message": "请从下拉列表中选择。",
        "error_title": title,
        "error_message": "请从下拉列表中选择：" + "、".join(labels),
        "error_type": "stop",
    }


def _rules(tags: list[Tag]) -> list[str]:
    tag_names = "、".join(t.name for t in tags)
    return [
        "1. 第1行是标题，第2行是表头。请不要修改表头文字，可以删去不用的列（姓名、楼栋、房号除外）。",
        "2. 第3行是示例，导入前请删除。",
        "3. 必填：姓名、楼栋、房号（表头为红色）。其余各列可以留空。",
        "4. 身份证号码：18位（或15位旧号码），最后一位可以是X；系统会检查校验位。"
        "填了身份证号码，出生日期和性别以身份证号码为准，可以不填。",
        "5. 同一个身份证号码在文件中只能出现一次；"
        "社区已有这个身份证号码的居民时，用本行非空的单元格更新该居民，不会重复登记。",
        "6. 联系电话：手机号码11位；座机带区号，如 027-87654321。",
        "7. 楼栋写“3栋”“3号楼”“三栋”“3幢”都可以；单元、房号写数字，如单元“2”、房号“502”。"
        "表中出现的楼栋、单元、房号会自动建立。",
        "8. 建筑面积：选填，房产证上的建筑面积，单位平方米，如“89.5”（也可写“89.5㎡”“89.5平方米”“89.5平”）；"
        "同一户的几行填同一个面积，只填一行也可以。不填不会清除已登记的面积。业主表决按“户数和面积”计票时使用。",
        "9. 与户主关系、居住类型、性别：从下拉列表中选择。",
        f"10. 人员类别：可以填多个，用“{TAG_SEPARATOR}”分隔，须为下列人员类别之一：{tag_names}。",
        "11. 网格：填写网格名称，如“第1网格”；不填的楼栋进入“待分配”列表，由管理员分配。",
        "12. 出生日期：如 1950-03-05、1950.3.5 或 1950年3月5日。",
        "13. 紧急联系人（子女、亲属或邻居）：填姓名、关系（"
        + "、".join(ContactRelation.labels)
        + "）和电话；多位用“；”分隔，三列按同样顺序。已登记的同名联系人按本行更新关系和电话，"
        "表中没有的联系人不会被删除；每位居民最多5位。",
        "14. 导入前系统先逐行检查，列出每一个问题（第几行、哪一列、什么原因）；"
        "确认后才写入：有问题的行被跳过，其余各行在一次操作中全部写入；中途出错则一行也不写入。",
    ]


def build_import_template(out) -> None:
    """Write the template to `out` (a path or a binary file object)."""
    # Global tags only: the template is one for every community (a community's own tags are accepted on import).
    tags = list(Tag.objects.filter(is_active=True, community__isnull=True).order_by("order", "id"))
    tag_names = [t.name for t in tags]
    workbook = safe_workbook(out)
    workbook.set_properties({"title": TITLE, "comments": "邻里 居民台账导入模板"})
    sheet = workbook.add_worksheet(SHEET)
    notes = workbook.add_worksheet("说明")

    title = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    required = workbook.add_format(
        {"bold": True, "bg_color": "#FDE2E2", "font_color": "#C00000", "border": 1, "align": "center"}
    )
    text = workbook.add_format({"num_format": "@"})
    example_text = workbook.add_format({"num_format": "@", "font_color": "#7F7F7F", "italic": True})
    example = workbook.add_format({"font_color": "#7F7F7F", "italic": True})
    example_date = workbook.add_format({"num_format": "yyyy-mm-dd", "font_color": "#7F7F7F", "italic": True})

    col = {name: i for i, name in enumerate(HEADERS)}
    for name, i in col.items():
        sheet.set_column(i, i, WIDTHS.get(name, 9), text if name in TEXT_COLUMNS else None)
    sheet.set_row(TITLE_ROW, 30)
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, len(HEADERS) - 1, TITLE, title)
    for name, i in col.items():
        sheet.write_string(HEADER_ROW, i, name, required if name in REQUIRED else header)
        if name in COMMENTS:
            sheet.write_comment(HEADER_ROW, i, COMMENTS[name], {"x_scale": 2, "y_scale": 1.2})
    for name, value in _example(tag_names).items():
        if isinstance(value, datetime.date):
            sheet.write_datetime(EXAMPLE_ROW, col[name], value, example_date)
        elif isinstance(value, int):
            sheet.write_number(EXAMPLE_ROW, col[name], value, example)
        elif value:
            sheet.write_string(EXAMPLE_ROW, col[name], value, example_text if name in TEXT_COLUMNS else example)
    sheet.freeze_panes(HEADER_ROW + 1, 0)

    def validate(name: str, options: dict) -> None:
        sheet.data_validation(EXAMPLE_ROW, col[name], LAST_ROW, col[name], options)

    validate("与户主关系", _list_validation(Relation.labels, "与户主关系"))
    validate("居住类型", _list_validation(ResidenceType.labels, "居住类型"))
    validate("性别", _list_validation(Sex.labels, "性别"))
    tag_message = f"可填多个，用“{TAG_SEPARATOR}”分隔：" + TAG_SEPARATOR.join(tag_names)
    validate(
        "人员类别",
        {
            "validate": "any",
            "input_title": "人员类别",
            # Excel shows at most 255 characters; the full list is on sheet 说明.
            "input_message": tag_message if len(tag_message) <= 255 else tag_message[:250] + "…（见说明）",
        },
    )

    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    notes.set_column(0, 0, 100, wrap)
    notes.set_column(1, 1, 40)
    row = 0
    notes.write_string(row, 0, "填写说明", workbook.add_format({"bold": True, "font_size": 14}))
    for line in _rules(tags):
        row += 1
        notes.write_string(row, 0, line, wrap)
    row += 2
    notes.write_string(row, 0, "人员类别", bold)
    notes.write_string(row, 1, "走访周期", bold)
    for tag in tags:
        row += 1
        notes.write_string(row, 0, tag.name)
        notes.write_string(row, 1, f"每{tag.visit_interval_days}天" if tag.visit_interval_days else "不需要定期走访")
    for heading, labels in (("与户主关系", Relation.labels), ("居住类型", ResidenceType.labels), ("性别", Sex.labels)):
        row += 2
        notes.write_string(row, 0, heading, bold)
        for label in labels:
            row += 1
            notes.write_string(row, 0, label)
    sheet.activate()
    workbook.close()
