"""API list reads of personal data, recorded in the export log like an Excel export (issue 13, finding 6).

A script paging through /api/residents takes the same data an export does, so each list request that
returns people's names, phones or tags writes one ExportRecord (linli.core.excel.exports.record_export): who,
which list (an export kind 接口读取…), the filter and page asked for, and how many rows this response carried.
The pages read by people (the list page, the detail page) are not recorded, as before; an export and an API
read are.

Feature apps' api.py import this, and register their 接口读取… kinds from their shell.py.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from linli.core.api_pagination import LinliPagination
from linli.core.excel.exports import record_export

#: Keys of the recorded filter that say which page was read, after the endpoint's own filters.
PAGE_KEYS = ("offset", "limit", "total")


def read_filters(params: dict[str, Any]) -> dict:
    """The endpoint's query parameters as given (schemas flattened, unset ones left out)."""
    out: dict = {}
    for name, value in params.items():
        if isinstance(value, BaseModel):
            out.update(value.model_dump(exclude_none=True))
        elif value is not None:
            out[name] = value
    return {k: getattr(v, "value", v) for k, v in out.items()}


def record_api_read(request, kind: str, *, row_count: int, filters: dict | None = None):
    """One export-log row for an API read of personal data by the request's user."""
    return record_export(request.auth_user, kind, row_count=row_count, filters=filters, masked=True)


class RecordedPagination(LinliPagination):
    """LinliPagination that records each page it returns (`@paginate(RecordedPagination, record_as=kind)`).

    The row count is the rows of this response (what left the server), the total matching rows and the
    page are kept with the filter so that the log shows "第 offset 行起 limit 条，共 total 条".
    """

    def __init__(self, *, record_as: str, **kwargs):
        super().__init__(**kwargs)
        self.record_as = record_as

    def paginate_queryset(self, queryset, pagination, request=None, **params):
        result = super().paginate_queryset(queryset, pagination, request=request, **params)
        items = list(result[self.items_attribute])
        result[self.items_attribute] = items
        filters = read_filters(params)
        filters.update(offset=pagination.offset, limit=min(pagination.limit, self.max_limit), total=result["count"])
        record_api_read(request, self.record_as, row_count=len(items), filters=filters)
        return result
