"""What shows on a notice's page besides the notice itself: how its channels are doing (sending progress per group
and phone), who has been told (confirmations), the campaign it belongs to. Each part registers here from the module
that owns it (notices/shell*.py), so the notice page names none of them.

- `notice_panel(name, template, order, context, visible)`: `template` rendered with `context(user, notice)` on
  notices:notice_detail for the users `visible(user)` accepts; None hides it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linli.core.shell import Part, _everyone, register, shown

_notice_panels: dict[str, Part] = {}


def notice_panel(
    name: str, template: str, *, order: int, context: Callable[[Any, Any], dict | None], visible=_everyone
) -> Part:
    return register(_notice_panels, name, Part(name, template, order, context, visible), "notice panel")


def notice_panels(user, notice) -> list[tuple[Part, dict]]:
    return shown(_notice_panels, user, notice)
