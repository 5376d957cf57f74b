"""Spreadsheet bombs: files over the row, cell or unpacked-size limits are refused before they are parsed,
with a Chinese message and nothing stored; the import page does not parse the file again on every view."""

from __future__ import annotations

import io
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from linli.core.excel.read import SpreadsheetError
from linli.ledgers import importer
from linli.ledgers.importer import read_ledger
from linli.ledgers.models import ImportJob

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "楼栋", "房号"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows: int, *, extra=None) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for n in range(rows):
        sheet.append([f"居民{n}", "1栋", str(101 + n % 50)])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if extra:
        data = with_member(data, *extra)
    return data


def with_member(data: bytes, name: str, payload: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr(name, payload)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, community, data: bytes, name="台账.xlsx"):
    file = SimpleUploadedFile(name, data, content_type=XLSX)
    return client.post(reverse("ledgers:import_list"), {"community": community.pk, "file": file})


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@override_settings(LINLI_IMPORT_MAX_ROWS=100)
def test_it_refuses_a_workbook_over_the_row_limit_before_parsing_it(world, login, settings):
    data = workbook(120)
    # The refusal comes from the scan of the zip: calamine never loads the sheet.
    with mock.patch("python_calamine.CalamineWorkbook.from_filelike") as calamine:
        with pytest.raises(SpreadsheetError, match="表格超过100行，请拆分后分批导入"):
            read_ledger(io.BytesIO(data), "台账.xlsx")
    calamine.assert_not_called()
    assert len(read_ledger(io.BytesIO(workbook(95)), "台账.xlsx").rows) == 95

    response = upload(login(world.users["staff"]), world.communities["e1"], data)
    assert response.status_code == 200
    assert "表格超过100行，请拆分后分批导入" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert stored_files(settings) == []


@override_settings(LINLI_IMPORT_MAX_ROWS=200000)
def test_the_default_message_says_20_wan_rows(world):
    from linli.core.excel.limits import Limits, too_many_rows

    assert too_many_rows(Limits.current()) == "表格超过20万行，请拆分后分批导入。"


@override_settings(LINLI_IMPORT_MAX_ROWS=100)
def test_it_refuses_a_csv_over_the_row_limit():
    text = "姓名,楼栋,房号\n" + "".join(f"居民{n},1栋,{101 + n}\n" for n in range(101))
    with pytest.raises(SpreadsheetError, match="表格超过100行"):
        read_ledger(io.BytesIO(text.encode()), "台账.csv")


@override_settings(LINLI_IMPORT_MAX_CELLS=300)
def test_it_refuses_a_workbook_over_the_cell_limit():
    with pytest.raises(SpreadsheetError, match="表格超过300个单元格"):
        read_ledger(io.BytesIO(workbook(120)), "台账.xlsx")


def test_it_refuses_a_sparse_sheet_whose_grid_would_be_billions_of_cells():
    # Two cells, a few kilobytes: calamine would allocate A1:XFD1048576 densely (17 billion cells).
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    assert len(buffer.getvalue()) < 20000
    with pytest.raises(SpreadsheetError, match="表格超过20万行"):
        read_ledger(io.BytesIO(buffer.getvalue()), "台账.xlsx")
    book = Workbook()
    book.active.append(HEADERS)
    book.active["XFD2"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    with override_settings(LINLI_IMPORT_MAX_CELLS=10000):
        with pytest.raises(SpreadsheetError, match="单元格"):
            read_ledger(io.BytesIO(buffer.getvalue()), "台账.xlsx")


def test_it_reads_the_grid_from_cell_references_not_only_row_tags():
    # A cell of row 1 that claims to be XFD300000: calamine places cells by their own reference.
    book = Workbook()
    book.active.append([*HEADERS, "x"])
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'r="D1"' in data
                data = data.replace(b'r="D1"', b'r="XFD300000"')
            dst.writestr(item, data)
    with mock.patch("python_calamine.CalamineWorkbook.from_filelike") as calamine:
        with pytest.raises(SpreadsheetError, match="表格超过20万行"):
            read_ledger(io.BytesIO(out.getvalue()), "台账.xlsx")
    calamine.assert_not_called()


@override_settings(LINLI_IMPORT_MAX_UNZIPPED_BYTES=4 * 1024 * 1024)
def test_it_refuses_a_zip_bomb(world, login, settings):
    data = workbook(5, extra=("xl/media/image1.bin", b"\0" * (8 * 1024 * 1024)))
    assert len(data) < 100_000  # small on disk, 8 MB unpacked
    with mock.patch("python_calamine.CalamineWorkbook.from_filelike") as calamine:
        with pytest.raises(SpreadsheetError, match="文件解压后超过4 MB"):
            read_ledger(io.BytesIO(data), "台账.xlsx")
    calamine.assert_not_called()
    response = upload(login(world.users["staff"]), world.communities["e1"], data)
    assert "文件解压后超过4 MB" in response.content.decode()
    assert not ImportJob.objects.exists() and stored_files(settings) == []


def test_viewing_an_import_page_twice_parses_the_file_once(world, login):
    client = login(world.users["staff"])
    response = upload(client, world.communities["e1"], workbook(30))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    with mock.patch("linli.ledgers.importer.read_table", wraps=importer.read_table) as reader:
        first = client.get(job.get_absolute_url())
        second = client.get(job.get_absolute_url())
    assert reader.call_count == 0
    for page in (first, second):
        html = page.content.decode()
        assert page.status_code == 200 and "居民0" in html and "共 30 行数据" in html
        assert page.context["mapping_form"].columns == ["col_0", "col_1", "col_2"]


def test_a_zip_of_another_format_renamed_xlsx_is_refused():
    # calamine reads by content: an .ods or .xlsb renamed .xlsx would be parsed without the cell-by-cell scan.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(SpreadsheetError, match="与文件名（.xlsx）不符"):
        read_ledger(io.BytesIO(out.getvalue()), "台账.xlsx")
    # An .xlsx under another Excel name is still scanned, and read.
    assert len(read_ledger(io.BytesIO(workbook(3)), "台账.xls").rows) == 3
