"""Limit/offset pagination shared by every list endpoint of the JSON API: 50 rows by default, at most 200."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200


class LinliPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, description=f"每页条数，默认50，最多{MAX_LIMIT}（超过按{MAX_LIMIT}）")
        offset: int = Field(0, ge=0, le=10**9)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
