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
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    order: int
    context: Callable[..., dict | None]


_matter_panels: dict[str, Panel] = {}
_public_sections: dict[str, Panel] = {}


def _add(table: dict, panel: Panel, what: str) -> Panel:
    if panel.name in table and table[panel.name] != panel:
        raise ImproperlyConfigured(f"{what} {panel.name!r} is registered twice")
    table[panel.name] = panel
    return panel


def matter_panel(name: str, template: str, *, order: int, context: Callable[[Any, Any], dict | None]) -> Panel:
    return _add(_matter_panels, Panel(name, template, order, context), "matter panel")


def public_section(name: str, template: str, *, order: int, context: Callable[[Any, Any], dict | None]) -> Panel:
    return _add(_public_sections, Panel(name, template, order, context), "public section")


def _render(table: dict[str, Panel], *args) -> list[tuple[Panel, dict]]:
    shown = []
    for panel in sorted(table.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(*args)
        if context is not None:
            shown.append((panel, context))
    return shown


def matter_panels(user, matter) -> list[tuple[Panel, dict]]:
    return _render(_matter_panels, user, matter)


def public_sections(community, today) -> list[tuple[Panel, dict]]:
    return _render(_public_sections, community, today)
