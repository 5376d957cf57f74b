"""Size limits of an uploaded spreadsheet, checked before python-calamine parses it.

calamine loads a whole sheet into a dense grid (height × width cells) before the first row can be read,
so a 36 MB .xlsx of 2,000,000 rows costs seconds and more than a gigabyte, and a few kilobytes holding one
cell at A1 and one at XFD1048576 would ask for 17 billion cells. The .xlsx/.xlsm (zip of XML) is therefore
scanned first, streaming, in constant memory: the zip members are decompressed chunk by chunk (their sum is
capped: a zip bomb is small on disk and huge unpacked), and in the worksheets the row tags and cell
references give the grid's height and width without building anything. Other formats are checked by the
grid calamine reports (sheet.height × sheet.width) before its rows are read, and every format by the rows
actually read (linli.core.excel.read._find_table). The limits are settings (LINLI_IMPORT_MAX_ROWS,
LINLI_IMPORT_MAX_CELLS, LINLI_IMPORT_MAX_UNZIPPED_BYTES).
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings

#: Title and header rows above the data that do not count against the row limit.
SLACK_ROWS = 10
_CHUNK = 1 << 20
_ROW_REF = re.compile(rb'<row\b[^>]*?\sr="(\d{1,10})"')


@functools.cache
def _columns_beyond(col: int) -> re.Pattern:
    """Cell references in a column right of `col` (1-based; A..Z, then any two or three letters)."""
    single = rb"[%c-Z]|" % (65 + col) if col < 26 else b""
    return re.compile(rb' r="(' + single + rb"[A-Z]{2,3})\d")


@functools.cache
def _rows_beyond(limit: int) -> re.Pattern:
    """Cell references whose row number may be above `limit`: as many digits and a leading digit as high, or more
    digits. A ledger under the limit has (almost) none, so the scan stays as fast as its row tags."""
    text = str(limit)
    lead, rest = text[0], len(text) - 1
    return re.compile(rb' r="[A-Z]{1,3}([%c-9]\d{%d}|\d{%d,10})"' % (ord(lead), rest, len(text) + 1))


@dataclass(frozen=True)
class Limits:
    rows: int
    cells: int
    unzipped: int

    @classmethod
    def current(cls) -> Limits:
        return cls(
            rows=settings.LINLI_IMPORT_MAX_ROWS,
            cells=settings.LINLI_IMPORT_MAX_CELLS,
            unzipped=settings.LINLI_IMPORT_MAX_UNZIPPED_BYTES,
        )


def count_text(n: int) -> str:
    """200000 -> 20万, 5000000 -> 500万, 1500 -> 1500 (as people say sizes)."""
    return f"{n // 10000}万" if n >= 10000 and n % 10000 == 0 else str(n)


def too_many_rows(limits: Limits) -> str:
    return f"表格超过{count_text(limits.rows)}行，请拆分后分批导入。"


def too_many_cells(limits: Limits) -> str:
    return f"表格超过{count_text(limits.cells)}个单元格（行数×列数），请删去不需要的列，或拆分后分批导入。"


def too_big_unzipped(limits: Limits) -> str:
    return (
        f"文件解压后超过{limits.unzipped // (1024 * 1024)} MB，不像是正常的台账（可能含有大量空白格式或图片），"
        "请把数据复制到新的Excel文件，或拆分后分批导入。"
    )


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


class _SheetScan:
    """Height and width of one worksheet's grid, from its XML as it streams by."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.rows = 0  # row tags seen
        self.max_row = 0  # the highest row number referenced (rows or cells)
        self.max_col = 0
        self.tail = b""
        self.big_ref = _rows_beyond(limits.rows + SLACK_ROWS)

    def feed(self, chunk: bytes) -> None:
        # The previous chunk's tail is scanned again so that a tag cut by the boundary is seen whole; row tags
        # lying wholly in that tail were counted last time (maxima do not mind seeing a reference twice).
        old = self.tail
        buf = old + chunk
        self.tail = buf[-40:]
        self.rows += sum(buf.count(tag) - old.count(tag) for tag in (b"<row ", b"<row>"))
        for number in _ROW_REF.findall(buf):
            self.max_row = max(self.max_row, int(number))
        for number in self.big_ref.findall(buf):
            self.max_row = max(self.max_row, int(number))
        # One pass finds the columns right of the widest so far (none, once the header row has been seen).
        for letters in _columns_beyond(self.max_col).findall(buf):
            self.max_col = max(self.max_col, _column_number(letters))
        self.check()

    def check(self) -> None:
        from linli.core.excel.read import SpreadsheetError

        height = max(self.rows, self.max_row)
        if height > self.limits.rows + SLACK_ROWS:
            raise SpreadsheetError(too_many_rows(self.limits))
        if height * max(self.max_col, 1) > self.limits.cells:
            raise SpreadsheetError(too_many_cells(self.limits))


#: Zip formats that are not scanned cell by cell, by a member only they have: calamine reads by content, whatever
#: the file's name, so these are read only under their own name (an .xlsx-XML is scanned under any name).
_ZIP_KINDS = (("xl/workbook.bin", ".xlsb"), ("content.xml", ".ods"))


def check_zip(data: bytes, limits: Limits | None = None, *, suffix: str = ".xlsx") -> None:
    """Refuse an .xlsx/.xlsm/.xlsb/.ods whose unpacked size or worksheet grid is over the limits.

    Only the XML worksheets of .xlsx/.xlsm are scanned cell by cell; .xlsb and .ods are checked by size here and by
    their grid once loaded, so they are refused under another name (an .ods renamed .xlsx would skip the scan; the
    web form accepts .xlsx, .xls and .csv only). A file that is not a readable zip is left to calamine, which explains
    it to the user.
    """
    from linli.core.excel.read import SpreadsheetError

    limits = limits or Limits.current()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        for marker, kind in _ZIP_KINDS:
            if marker in names and suffix != kind:
                raise SpreadsheetError(
                    f"文件的内容是 {kind} 格式，与文件名（{suffix}）不符。请用Excel打开后另存为 .xlsx 再导入。"
                )
    if sum(m.file_size for m in members) > limits.unzipped:
        raise SpreadsheetError(too_big_unzipped(limits))
    unpacked = 0
    for member in members:
        name = member.filename.lower()
        scan = _SheetScan(limits) if name.startswith("xl/worksheets/") and name.endswith(".xml") else None
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    unpacked += len(chunk)
                    if unpacked > limits.unzipped:
                        raise SpreadsheetError(too_big_unzipped(limits))
                    if scan:
                        scan.feed(chunk)
        except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, RuntimeError, EOFError):
            return  # corrupt, encrypted or an unknown compression: calamine's message says so


def check_grid(height: int, width: int, limits: Limits | None = None) -> None:
    """Refuse a sheet whose grid (as calamine loaded it) is over the limits, before its rows are read."""
    from linli.core.excel.read import SpreadsheetError

    limits = limits or Limits.current()
    if height > limits.rows + SLACK_ROWS:
        raise SpreadsheetError(too_many_rows(limits))
    if height * max(width, 1) > limits.cells:
        raise SpreadsheetError(too_many_cells(limits))
