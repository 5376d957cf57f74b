"""党建 JSON API (read): organisations, members (masked) and meetings, scoped as the pages are."""

from ninja import Router

router = Router(tags=["党建"])
