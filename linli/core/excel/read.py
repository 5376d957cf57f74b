"""Reading spreadsheets people keep: the rows of an .xlsx/.xls/.csv below a header row found by its words.

Every office keeps its lists its own way: a title line or two above the header ("XX社区居民信息台账"), merged
cells, headers written "身份证号（必填）" or "* 姓 名", full-width digits, numbers that Excel stored as floats.
`read_table()` finds the header among the first rows with a `detect` function (`header_detector()` builds one
from an importer's `Field`s and their synonyms), and returns the rows below it as text (`Table`). The cell
normalisers here are the ones every importer shares; an importer's own values (a building, a relation, a
deadline) are parsed in its app and raise `CellError` the same way.

Files over the size limits (rows, cells, unpacked size: linli.core.excel.limits) are refused with
SpreadsheetError before they are parsed, and again while their rows are read.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from linli.core.excel import limits as size_limits

__all__ = [
    "HEADER_SEARCH_ROWS",
    "PREVIEW_ROWS",
    "CellError",
    "Field",
    "SpreadsheetError",
    "Table",
    "cell_text",
    "clean_name",
    "clean_text",
    "fold",
    "header_detector",
    "is_masked",
    "mask_cell",
    "normalize_header",
    "preview_of",
    "read_table",
]

#: How many non-blank rows at the top of a sheet are searched for the header row.
HEADER_SEARCH_ROWS = 10
#: Rows of an upload kept for its job page's preview.
PREVIEW_ROWS = 10


class SpreadsheetError(Exception):
    """The file cannot be used at all (wrong type, corrupt, empty, too big, no header); str() is Chinese."""


def missing_columns_message(missing: list[str]) -> str:
    """What an importer says when a sheet lacks required columns (nothing was imported)."""
    return (
        f"缺少必需的列：{'、'.join(missing)}。请在表头里加上这些列（也可以在预览页把已有的列对应过去），"
        "没有导入任何数据。"
    )


class CellError(ValueError):
    """A cell that cannot be read; str() is the Chinese message for the clerk."""


# --------------------------------------------------------------------------- raw cells


def cell_text(value) -> str:
    """A spreadsheet cell (as python-calamine or csv gives it) as text.

    Whole numbers lose the ".0" that Excel's floats carry (13800001234.0 is a phone number,
    18327.0 an Excel date serial); date cells become ISO dates (time dropped when it is
    midnight), so that the date parser sees one shape whatever the cell type was.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Free text (户籍地, 备注): surrounding space removed, inner runs of space made one."""
    return _SPACES.sub(" ", text).strip()


_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def clean_name(text: str) -> str:
    """Names: full-width letters folded, spaces between Chinese characters dropped ("张 三" is
    张三), other spacing kept single ("John Smith"), so that one person is one name."""
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", _CJK_GAP.sub("", text)).strip()


def is_masked(text: str) -> bool:
    """A value masked by an export (420107********1234, 138****5678): not data to store."""
    return "*" in text or "＊" in text


def fold(text: str) -> str:
    """Full-width to half-width, no whitespace at all: for codes, numbers and short words."""
    return "".join(unicodedata.normalize("NFKC", text).split())


# --------------------------------------------------------------------------- headers

_DECORATION = re.compile(r"[(\[【<《][^)\]】>》]*[)\]】>》]")


def normalize_header(text: str) -> str:
    """'身份证号码（必填）', '* 姓 名', '联系电话(手机)' -> '身份证号码', '姓名', '联系电话'."""
    text = fold(text).lower()
    text = _DECORATION.sub("", text)
    for junk in ("*", "必填", "选填", ":", "#", "△", "☆", "★"):
        text = text.replace(junk, "")
    return text


# --------------------------------------------------------------------------- header search


@dataclass(frozen=True)
class Field:
    """A column an importer reads: its canonical header (the import template's) and the other names offices use."""

    label: str
    synonyms: tuple[str, ...]
    required: bool = False


def header_detector(fields: dict[str, Field], *, other_person: tuple[str, ...] = ()):
    """detect(headers) -> {column index: field key} for `fields` (their labels and synonyms).

    Exact matches first, then a known header at the end of a longer one ("居民姓名", "本人联系电话"),
    unless the longer one starts with a word of `other_person` (户主姓名 is the head's name). Each
    field maps to one column at most (the leftmost). Spaces, full-width characters and decorations
    such as "（必填）" or "*" are ignored (normalize_header).
    """
    exact = {normalize_header(s): key for key, f in fields.items() for s in (f.label, *f.synonyms)}
    suffixes = sorted(((s, key) for s, key in exact.items() if len(s) >= 2), key=lambda p: -len(p[0]))

    def detect(headers: list[str]) -> dict[int, str]:
        mapping: dict[int, str] = {}
        taken: set[str] = set()
        normalized = [normalize_header(h or "") for h in headers]
        for index, text in enumerate(normalized):
            key = exact.get(text)
            if key and key not in taken:
                mapping[index] = key
                taken.add(key)
        for index, text in enumerate(normalized):
            if index in mapping or not text or (other_person and text.startswith(other_person)):
                continue
            for suffix, key in suffixes:
                if key not in taken and text.endswith(suffix):
                    mapping[index] = key
                    taken.add(key)
                    break
        return mapping

    return detect


# --------------------------------------------------------------------------- reading


@dataclass
class Table:
    """The rows of a sheet below its header row, as text."""

    headers: list[str]
    header_row: int  # Excel row number (1-based)
    rows: list[tuple[int, list[str]]]  # (Excel row number, cells as text), non-blank rows only
    filename: str = ""


_SUFFIXES_OK = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")


def read_table(
    source,
    filename: str,
    *,
    detect: Callable[[list[str]], dict[int, str]],
    usable: Callable[[dict[int, str]], bool],
    no_header: str,
) -> Table:
    """The first visible sheet that has a recognisable header row, as text.

    `source` is a path or a binary file object (an upload). .xlsx/.xls are read with
    python-calamine; .csv may be UTF-8 (with or without BOM), UTF-16 or GB18030, separated by
    commas, semicolons or tabs. Merged cells count for every cell they cover, so a 楼栋 merged
    down over a building's rows, or a two-row header, read as written.

    The header is the row (among the first HEADER_SEARCH_ROWS non-blank ones) in which `detect` finds the
    most columns, and a sheet counts when `usable(detect(header))` says its columns are enough;
    `no_header` is the message when no sheet has such a row.

    Files over the size limits (rows, cells, unpacked size: linli.core.excel.limits) are refused with
    SpreadsheetError before they are parsed, and again while their rows are read.
    """
    suffix = os.path.splitext((filename or "").lower())[1]
    if suffix not in _SUFFIXES_OK:
        raise SpreadsheetError("只能导入 Excel（.xlsx、.xls）或 CSV 文件。")
    if isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise SpreadsheetError(f"无法打开文件：{exc.strerror or exc}") from exc
    else:
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
    if not data:
        raise SpreadsheetError("文件是空的。")
    name = os.path.basename(filename)
    limits = size_limits.Limits.current()
    finder = partial(
        _find_table,
        detect=detect,
        usable=usable,
        no_header=no_header,
        limits=limits,
    )
    if suffix == ".csv":
        return finder([_csv_rows(data)], name)
    if data[:4] == b"PK\x03\x04":  # .xlsx/.xlsm/.xlsb/.ods are zips: check before calamine unpacks them
        size_limits.check_zip(data, limits, suffix=suffix)
    return finder(_sheets(data, limits), name)


def _sheets(data: bytes, limits: size_limits.Limits) -> Iterator[Iterator[tuple[int, list]]]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise SpreadsheetError("文件设置了密码，请在Excel里去掉密码后再导入。") from exc
    except Exception as exc:  # calamine raises its own errors and plain ones for broken zips
        raise SpreadsheetError("文件已损坏或不是Excel文件，无法读取。请用Excel打开后另存为 .xlsx 再导入。") from exc
    try:
        metadata = book.sheets_metadata
    except Exception:  # pragma: no cover - older formats without metadata
        metadata = None
    for index, name in enumerate(book.sheet_names):
        if metadata is not None:
            meta = metadata[index]
            if str(meta.typ).split(".")[-1] != "WorkSheet" or str(meta.visible).split(".")[-1] != "Visible":
                continue
        try:
            sheet = book.get_sheet_by_index(index)
        except Exception as exc:
            raise SpreadsheetError(f"工作表“{name}”无法读取，文件可能已损坏。") from exc
        size_limits.check_grid(sheet.height, sheet.width, limits)
        yield _sheet_rows(sheet)


def _sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    """(Excel row number, cells from column A) with merged ranges filled in."""
    start_row, start_col = sheet.start or (0, 0)
    try:
        merged = sorted(sheet.merged_cell_ranges or [])
    except Exception:  # pragma: no cover - formats without merge information
        merged = []
    pending = 0
    active: list[tuple[int, int, int, object]] = []  # (last row, first col, last col, value)
    pad = [""] * start_col
    for offset, cells in enumerate(sheet.iter_rows()):
        row = start_row + offset
        cells = pad + list(cells) if start_col else list(cells)
        if merged or active:
            active = [a for a in active if a[0] >= row]
            for _last_row, c1, c2, value in active:
                _fill(cells, c1, c2, value)
            while pending < len(merged) and merged[pending][0][0] <= row:
                (r1, c1), (r2, c2) = merged[pending]
                pending += 1
                if r1 == row and c1 < len(cells):
                    value = cells[c1]
                    _fill(cells, c1, c2, value)
                    if r2 > row:
                        active.append((r2, c1, c2, value))
        yield row + 1, cells


def _fill(cells: list, c1: int, c2: int, value) -> None:
    if len(cells) <= c2:
        cells.extend([""] * (c2 + 1 - len(cells)))
    for c in range(c1, c2 + 1):
        if cells[c] == "" or cells[c] is None:
            cells[c] = value


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise SpreadsheetError(
                    "无法识别文件的文字编码，请另存为 UTF-8 或 GBK 编码的 CSV，或另存为 .xlsx。"
                ) from exc
    if "\x00" in text:
        raise SpreadsheetError("这不是CSV文本文件，无法读取。")
    # csv.Sniffer gives up on files that start with a title line; the separator used most wins.
    sample = text[:16384]
    delimiter = max(("\t", ";", ","), key=lambda d: (sample.count(d), d == ","))
    yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)


def _find_table(
    sheets: Iterable[Iterator[tuple[int, list]]], filename: str, *, detect, usable, no_header, limits
) -> Table:
    saw_data = False
    for rows in sheets:
        texts = _Texts()
        head: list[tuple[int, list[str]]] = []
        for number, cells in rows:
            cells = texts(cells)
            if any(cells):
                head.append((number, cells))
                if len(head) == HEADER_SEARCH_ROWS:
                    break
        if not head:
            continue
        saw_data = True
        header_row, header_cells = max(head, key=lambda r: (len(detect(r[1])), -r[0]))
        if not usable(detect(header_cells)):
            continue
        used = [i for i, h in enumerate(header_cells) if h]
        first, last = used[0], used[-1] + 1
        headers = header_cells[first:last]
        body: list[tuple[int, list[str]]] = []
        below = ((n, c) for n, c in head if n > header_row)
        rest = ((n, texts(c)) for n, c in rows)
        cells_read = 0
        for number, cells in itertools.chain(below, rest):
            # CSV (and any grid the checks before parsing missed) is counted as it is read.
            cells_read += len(cells)
            if cells_read > limits.cells:
                raise SpreadsheetError(size_limits.too_many_cells(limits))
            cells = cells[first:last]
            if len(cells) < len(headers):
                cells.extend([""] * (len(headers) - len(cells)))
            if any(cells) and cells != headers:
                body.append((number, cells))
                if len(body) > limits.rows:
                    raise SpreadsheetError(size_limits.too_many_rows(limits))
        if not body:
            raise SpreadsheetError(f"表头（第{header_row}行）下面没有数据。")
        return Table(headers=headers, header_row=header_row, rows=body, filename=filename)
    if not saw_data:
        raise SpreadsheetError("文件是空的，没有任何数据。")
    raise SpreadsheetError(no_header)


class _Texts:
    """Cells to text; short texts that repeat down a column (3栋, 户主, 低保户) share one str."""

    def __init__(self):
        self.seen: dict[str, str] = {}

    def __call__(self, cells) -> list[str]:
        seen, out = self.seen, []
        for value in cells:
            text = cell_text(value)
            if len(text) <= 12:
                text = seen.setdefault(text, text)
            out.append(text)
        return out


# --------------------------------------------------------------------------- preview

_ID_LIKE = re.compile(r"^\s*\d{6}(?:\d{11}[\dxX]|\d{9})\s*$")  # 18 or 15 digits


def mask_cell(value: str) -> str:
    """A cell as a preview shows it: an ID number masked like on every page (region and last four digits)."""
    if not _ID_LIKE.match(value or ""):
        return value
    number = value.strip().upper()
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def preview_of(table: Table) -> dict:
    """What an import job's page shows of a parsed file (ID numbers masked), kept so that the page never parses
    it again: {headers, rows: [[Excel row, cells], ...] (the first PREVIEW_ROWS), row_total}."""
    return {
        "headers": table.headers,
        "rows": [[n, [mask_cell(c) for c in cells]] for n, cells in table.rows[:PREVIEW_ROWS]],
        "row_total": len(table.rows),
    }
