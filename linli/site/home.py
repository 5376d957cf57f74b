"""The home page's blocks for one user, from what the apps registered (linli.core.shell)."""

from __future__ import annotations

from dataclasses import dataclass, field

from linli.core.shell import HomeBlock, HomeSection, Registry, registry


@dataclass
class Shown:
    """A block or section as this user sees it: its template and the context it is rendered with."""

    name: str
    template: str
    context: dict = field(default_factory=dict)


def _shown(block: HomeBlock, user) -> Shown | None:
    if not block.visible(user):
        return None
    context = block.context(user)
    return None if context is None else Shown(block.name, block.template, context)


def home_items(user, shell: Registry = registry) -> list[Shown]:
    """What the user's home page shows, in order; a section only when one of its blocks shows."""
    items = []
    for item in shell.home():
        if isinstance(item, HomeSection):
            blocks = [s for b in shell.section_blocks(item.name) if (s := _shown(b, user))]
            if blocks:
                figures = [s for s in blocks if shell.home_blocks[s.name].figures]
                rest = [s for s in blocks if not shell.home_blocks[s.name].figures]
                items.append(Shown(item.name, item.template, {"figures": figures, "blocks": rest}))
        elif shown := _shown(item, user):
            items.append(shown)
    return items
