"""Notices for the print and public pages' tests and the scope matrix: a sent notice in 东一社区 to the whole
community (1栋 of grid 1 and 2栋 of grid 2) and one in 西一社区."""

from __future__ import annotations

from linli.notices import services
from linli.notices.audience import Audience
from linli.testing import SYSTEM

WATER_CUT = "因管道检修，明天8:00至12:00停水，请提前储水。"


def make_notice(community, *, title="1栋明天停水", body=WATER_CUT, send=True, **fields):
    """A notice of `community` to its whole registry (or `audience=` an Audience), sent unless send=False."""
    audience = fields.pop("audience", None) or Audience(community_id=community.pk)
    fields.setdefault("category", "outage")
    fields.setdefault("channels", ["in_app", "print"])
    notice = services.create_notice(
        actor=SYSTEM, community=community, audience=audience, title=title, body=body, **fields
    )
    return services.send_notice(notice, actor=SYSTEM) if send else notice


def public_matrix_objects(world) -> dict:
    """objects["print_notices"]["e1"|"w1"]: a sent notice of each community (the poster and checklist pages)."""
    return {"print_notices": {key: make_notice(world.communities[key]) for key in ("e1", "w1")}}
