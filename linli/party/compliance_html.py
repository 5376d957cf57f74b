"""The compliance table's cells as HTML, built in Python: a street's year view is thousands of cells, which a
template include per cell renders in seconds (the table must stay within 300 ms). The status is in words or a
sign as well as a colour; a held cell links to its meetings, a cell still to be held to 记录会议 for a user who may
record the organisation's meetings."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from linli.party.compliance import Cell


class CellRenderer:
    def __init__(self, recordable: set[int]):
        self.recordable = recordable
        self.list_url = reverse("party:meeting_list")
        self.add_url = reverse("party:meeting_add")

    def link(self, cell: Cell) -> tuple[str, str]:
        """(href, title) of a cell, href blank when it links nowhere."""
        title = f"{cell.kind_label} {cell.period}：{cell.label}"
        if cell.status == "held":
            start, end = cell.span
            span = f"held_from={start:%Y-%m-%d}&amp;held_to={end:%Y-%m-%d}"
            return f"{self.list_url}?org={cell.org.pk}&amp;kind={cell.kind}&amp;{span}", title
        if cell.needs_meeting and cell.org.pk in self.recordable:
            return f"{self.add_url}?org={cell.org.pk}&amp;kind={cell.kind}", title + "，点击记录会议"
        return "", title

    def cell(self, cell: Cell, *, short: bool) -> str:
        href, title = self.link(cell)
        if short:
            inner = f'<span class="life-status life-{cell.status}">{cell.short}{cell.symbol}</span>'
        else:
            inner = f'<span class="life-status life-{cell.status}">{cell.symbol} {cell.label}</span>'
            if cell.detail:
                inner += f' <small class="muted">{escape(cell.detail)}</small>'
        if href:
            return f'<a href="{href}" title="{escape(title)}">{inner}</a>'
        return f'<span title="{escape(title)}">{inner}</span>'

    def cells(self, cells, *, short: bool):
        return mark_safe("".join(self.cell(c, short=short) for c in cells))  # noqa: S308 - built from codes and escaped text

    def decorate(self, rows, month: int | None) -> None:
        """Set `html` on each row: the month's cells (a list of 5), or (month, cells of the month) for a year."""
        for row in rows:
            if month:
                row.html = [self.cells([c], short=False) for c in row.cells(month)]
            else:
                row.html = [(m, self.cells(cells, short=True)) for m, cells in row.months.items()]
