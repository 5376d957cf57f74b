"""The shared reader: any importer's fields found under a title row, cells as text, previews with IDs masked."""

import io

import pytest

from linli.core.excel.read import (
    Field,
    SpreadsheetError,
    cell_text,
    header_detector,
    mask_cell,
    normalize_header,
    preview_of,
    read_table,
)

FIELDS = {
    "name": Field("姓名", ("姓名", "党员姓名"), True),
    "branch": Field("所在支部", ("所在支部", "支部")),
}
detect = header_detector(FIELDS, other_person=("介绍人",))


def usable(mapping):
    return "name" in mapping.values()


def read(text: str):
    return read_table(
        io.BytesIO(text.encode("gb18030")), "名册.csv", detect=detect, usable=usable, no_header="没有表头"
    )


def test_an_importer_of_its_own_reads_below_a_title_row_by_its_synonyms():
    table = read("某社区党员名册\n序号,介绍人姓名,党员姓名（必填）,支部\n1,王五,张三,第一支部\n")
    assert (table.header_row, table.headers) == (2, ["序号", "介绍人姓名", "党员姓名（必填）", "支部"])
    assert detect(table.headers) == {2: "name", 3: "branch"}  # 介绍人姓名 is somebody else's name
    assert table.rows == [(3, ["1", "王五", "张三", "第一支部"])]


def test_a_sheet_without_the_importers_header_is_refused_with_its_message():
    with pytest.raises(SpreadsheetError, match="没有表头"):
        read("甲,乙\n1,2\n")
    with pytest.raises(SpreadsheetError, match="只能导入"):
        read_table(io.BytesIO(b"x"), "名册.pdf", detect=detect, usable=usable, no_header="")


def test_cells_and_headers_are_normalised():
    assert (cell_text(13800001234.0), cell_text(" 张三 "), cell_text(None)) == ("13800001234", "张三", "")
    assert normalize_header("* 身份证号码（必填）") == "身份证号码"


def test_a_preview_masks_id_numbers_and_keeps_the_rest():
    assert mask_cell("420107195003051234") == "420107********1234"
    assert mask_cell("420107500305123") == "420107*****5123"
    assert mask_cell("3栋502") == "3栋502"
    table = read("姓名,支部\n" + "".join(f"居民{n},420107195003051234\n" for n in range(12)))
    preview = preview_of(table)
    assert preview["row_total"] == 12 and len(preview["rows"]) == 10
    assert preview["rows"][0] == [2, ["居民0", "420107********1234"]]
