"""What the display device receives: one screen's panels, figures and wall as JSON-ready data (no personal data:
linli.bigscreen.figures counts the node, linli.bigscreen.wall anonymises and scrubs)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from linli.bigscreen.choices import Panel
from linli.bigscreen.figures import screen_figures
from linli.bigscreen.wall import public_wall

WALL_PAGE = 6  # cards per slide of the wall
WALL_PAGES = 3


def refresh_seconds() -> int:
    return max(30, settings.LINLI_BIGSCREEN_REFRESH_SECONDS)


def screen_data(screen) -> dict:
    figures = screen_figures(screen)
    wall = (
        public_wall(screen.level, screen.node.pk)[: WALL_PAGE * WALL_PAGES] if Panel.WALL in screen.panel_list else []
    )
    panels = []
    for panel in figures["panels"]:
        if panel["panel"] == Panel.WALL:
            pages = [wall[i : i + WALL_PAGE] for i in range(0, len(wall), WALL_PAGE)] or [[]]
            panel = {**panel, "pages": pages}
        panels.append(panel)
    now = timezone.localtime()
    return {
        "name": screen.name,
        "node": screen.node.name,
        "rotate_seconds": screen.rotate_seconds,
        "refresh_seconds": refresh_seconds(),
        "layout": [p["panel"] for p in panels],
        "panels": panels,
        "computed_at": timezone.localtime(figures["computed_at"]).strftime("%H:%M"),
        "updated": now.strftime("%Y-%m-%d %H:%M"),
        "updated_short": now.strftime("%H:%M"),
    }
