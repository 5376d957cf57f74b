"""A resident's home page links to 有事向社区反映 and the lookup of what they reported (linli.core.shell)."""

from linli.core import shell
from linli.residents.home import is_a_resident_at_home


def _own_community(user) -> dict | None:
    community = user.resident.community
    return {"own_community": community} if community else None


shell.home_block(
    "tracking.links",
    "tracking/_home_links.html",
    order=20,
    section="actions",
    context=_own_community,
    visible=is_a_resident_at_home,
)
