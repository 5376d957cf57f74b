""".xlsx out of Linli: the download response every export uses, workbooks whose cells are never formulas, and the
filter of a list as the export log records it.

Every spreadsheet a user downloads holds personal data, so every .xlsx response is made by `xlsx_download` (or,
for a file already in memory, `attachment`): a Chinese file name with a plain fallback for old clients, and
`Cache-Control: no-store` so that no proxy or browser cache keeps a copy.

Formula injection: a resident's text "=HYPERLINK(...)" must reach Excel as text. `safe_workbook` turns no string
into a formula, link or number, and `formula_like` tells which texts to write with Excel's quote prefix (so that a
clerk editing the cell does not run it either).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from urllib.parse import quote

import xlsxwriter
from django.http import FileResponse, HttpResponse

from linli.core.excel.exports import json_ready

__all__ = [
    "SAFE_OPTIONS",
    "XLSX_CONTENT_TYPE",
    "attachment",
    "cleaned_filters",
    "formula_like",
    "safe_workbook",
    "xlsx_download",
]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: xlsxwriter options of every export: cell text is data, never a formula, a link or a number.
SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
#: What Excel takes for the start of a formula when a person edits the cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_workbook(out, **options) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook writing to `out` (a path or a binary file) with SAFE_OPTIONS and `options`."""
    return xlsxwriter.Workbook(out, {**SAFE_OPTIONS, **options})


def formula_like(text: str) -> bool:
    """True for a text Excel would run as a formula once edited: write it with a quote_prefix format."""
    return bool(text) and text.startswith(FORMULA_START)


def attachment(response: HttpResponse, filename: str, ascii_fallback: str) -> HttpResponse:
    """Content-Disposition for a Chinese file name (RFC 5987 filename* plus a plain name for old clients), and
    no-store: personal data is never kept by a proxy or the browser cache."""
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def xlsx_download(write: Callable[[object], object], filename: str, ascii_fallback: str = "") -> FileResponse:
    """`write(out)` into a temporary file on disk (a street's rows make a file of several MB, never held in
    memory), then stream it as an .xlsx attachment named `filename` (`ascii_fallback` for old clients; the
    file name itself when it is plain already)."""
    out = tempfile.TemporaryFile()
    try:
        write(out)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    response = FileResponse(out, content_type=XLSX_CONTENT_TYPE)
    response.block_size = 256 * 1024
    return attachment(response, filename, ascii_fallback or filename)


def cleaned_filters(filterset) -> dict:
    """The filter as applied, JSON-ready for the export record (invalid values are dropped, as on the page; so are
    blank ones, which filter nothing)."""
    form = filterset.form
    form.is_valid()
    return {name: json_ready(value) for name, value in form.cleaned_data.items() if value not in (None, "", [])}
