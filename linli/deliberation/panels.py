"""What other parts of Linli show on a matter's page and on a community's public board (公示栏).

A matter's page is its whole history: the deliberation app draws the matter, its hearings, publicity and
follow-up tasks; the votes app (and any later one) adds its own panels here from its shell.py, so that
deliberation names no app above it.

- `matter_panel(name, template, order, context)`: `template` rendered with `context(user, matter)` on
  deliberation:matter_detail; None hides it.
- `public_section(name, template, order, context)`: `template` rendered with `context(community, today)` on the
  community's public board (no login); None hides it. Public sections never show who voted how or any personal
  data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linli.core.shell import Part, register, shown

_matter_panels: dict[str, Part] = {}
_public_sections: dict[str, Part] = {}


def matter_panel(name: str, template: str, *, order: int, context: Callable[[Any, Any], dict | None]) -> Part:
    return register(_matter_panels, name, Part(name, template, order, context), "matter panel")


def public_section(name: str, template: str, *, order: int, context: Callable[[Any, Any], dict | None]) -> Part:
    return register(_public_sections, name, Part(name, template, order, context), "public section")


def matter_panels(user, matter) -> list[tuple[Part, dict]]:
    return shown(_matter_panels, user, matter)


def public_sections(community, today) -> list[tuple[Part, dict]]:
    # No user on the public board: a section has no `visible` test (Part's default accepts any first argument).
    return shown(_public_sections, community, today)
