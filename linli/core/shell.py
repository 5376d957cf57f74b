"""The site shell's registry: what each app puts in the menu, on the home page and into the demo.

Core names no app. Each app registers its parts in its own `linli/<app>/shell.py`, which `linli.site`
imports at start-up (`autodiscover_modules("shell")`, the way Django's admin finds `admin.py`); the site
package reads the registry to draw the menu and the home page and to build the demo. A new app plugs in by
writing its own `shell.py`: no file of another app changes.

- Menu: `menu_group(label, order)` declares a drop-down (居民, 诉求, 管理 …); `menu_entry(group, url_name, label,
  order, visible)` puts a page in it for the users `visible(user)` accepts. A role's daily pages
  (accounts.roles.DAILY_PAGES) are lifted out of their group by the site's menu.
- Home page: `home_block(name, template, order, context, visible)` renders `template` with `context(user)`
  for the users `visible(user)` accepts; a block whose context function returns None is not shown. Blocks
  can share a `home_section` (a heading and one row of figures): a block with `figures=True` is a tile in
  that row, the others follow it.
- Resident page: `resident_panel(name, template, order, context, visible)` adds a panel to a resident's one-view
  page (residents:resident_detail): `template` is rendered with `context(user, resident)` for the users
  `visible(user)` accepts; a context function returning None hides the panel for that resident. The context
  function does its own scoping (`restrict(user)`), like every view.
- Building page: `building_panel(name, template, order, context, visible)` adds a section to a building's page
  (areas:building_detail), `context(user, building)` the same way (None hides it).
- Household page: `household_panel(name, template, order, context, visible)` adds a section to a household's page
  (areas:household_detail), `context(user, household)` the same way (None hides it).
- Building diagram: `household_marks(name, context, visible)` puts small badges on the diagram's room cells
  (areas:building_detail, the {% floor_rows %} tag): `context(user, building)` returns {household id: [(label,
  css_class)]} (None or {} marks nothing); the badge shows the label's first character, the cell's title the whole
  label. The context function does its own scoping, like a panel's.
- A resident's own page (residents:my_record): `self_block(name, template, order, context, visible)` renders
  `template` with `context(user)` (the signed-in resident's account; None hides the block).
- A resident's home (residents:my_home, 居民端): `self_tile(name, label, order, context, visible)` is one big button
  of the home: `context(user)` returns {"url": where it leads, "count": a number worth a badge or None, "note": one
  short line or ""} (None hides the tile). A tile leads to one task on one screen: an app's own page for residents, or
  its self block alone (residents:my_section, by the block's name). There the block's context also has
  `alone: True`: the page's h1 is the tile's label, so the block leaves out its own h2.
- A family helper's view of the elder they help (residents:family_view, 家人帮忙): `family_block(name, template,
  order, context, visible)` renders `template` with `context(user, elder)` (None hides it). The residents app calls
  it only for an elder whose agreed link names the signed-in user's resident (linli.residents.services_family):
  the context function reads the elder's rows read-only and must not widen anything else.
- Today's rounds (visits:worklist, 今日走访): `worklist_part(name, template, order, context, visible)` adds a
  section to the grid worker's daily list — households to tell of a notice in person, a campaign's open targets —
  rendered with `context(user, today)` (None hides it), so that one walk covers every app's door-to-door work.
- Dashboards (linli.dashboards, the monthly report and the big screen read them): `dashboard_family(name, label,
  order, visible)` declares a group of figures (人口, 走访, 诉求 …) for the users `visible(user)` accepts;
  `dashboard_figure(key, family=…, label=…, unit=…, kind=…, compute=…, link=…)` adds a count of an area node:
  a "stock" (what there is at the end of a day: `compute(day, node)` -> (community id, grid id, value) rows) or a
  "flow" (what happened in a day: `compute(start, end, node)` -> (day, community id, grid id, value) rows); `node`
  is a FigureNode (street, community or grid) or None for the whole database. Rows are grouped by community and
  grid (grid None: the community's rows outside any grid), so a street or a community is the sum of its rows and
  one grouped query serves every node of a level. `link(node, start, end)` is the list page whose filter gives
  the number. `dashboard_rate(key, part, whole)` shows one figure as a share of another (core.figures.percent).
  `dashboard_breakdown(key, family=…, label=…, unit=…, compute=…)` splits a count of the node by something that is
  not an area (open appeals by handling unit): `compute(node)` returns (label, value, link) rows, shown live as a
  small ranked table under the family on the levels named in `levels`; it is not rolled up (no trend).
- Demo: `demo_step(name, build, order, after)` runs `build(demo)` after the base community (areas, residents,
  demo logins) exists, in `order`, each after the steps named in `after`; `reset` runs when the demo is
  deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q


def _everyone(user) -> bool:
    return True


def perm(*perms: str) -> Callable[[Any], bool]:
    """A `visible` predicate: the user's role holds one of `perms` (user.has_role_perm, linli.accounts)."""

    def visible(user) -> bool:
        return any(user.has_role_perm(p) for p in perms)

    return visible


@dataclass(frozen=True)
class MenuGroup:
    label: str  # the drop-down's Chinese title
    order: int


@dataclass(frozen=True)
class MenuEntry:
    group: str  # a MenuGroup's label
    url_name: str
    label: str
    order: int
    visible: Callable[[Any], bool] = _everyone


@dataclass(frozen=True)
class HomeSection:
    name: str
    template: str  # gets `figures` and `blocks` (the section's blocks, each a HomeBlock with its context)
    order: int


@dataclass(frozen=True)
class HomeBlock:
    name: str
    template: str
    order: int  # on the page, or inside its section
    context: Callable[[Any], dict | None] = lambda user: {}
    visible: Callable[[Any], bool] = _everyone
    section: str = ""  # a HomeSection's name, or "" for the page itself
    figures: bool = False  # inside its section: a tile of the section's row of figures


@dataclass(frozen=True)
class Part:
    """A piece an app puts on another app's page (a resident or building panel, a block of a resident's own page,
    a panel of a matter): `template` rendered with `context(user, *objects)` for the users `visible(user)` accepts;
    a context of None hides it. Drawn by `shown` and the {% shell_part %} tag (linli/core/templatetags)."""

    name: str
    template: str
    order: int
    context: Callable[..., dict | None] = lambda *objects: {}
    visible: Callable[[Any], bool] = _everyone


#: The registered kinds of parts, by where they show.
ResidentPanel = BuildingPanel = HouseholdPanel = SelfBlock = WorklistPart = FamilyBlock = Part


@dataclass(frozen=True)
class SelfTile:
    """One big button of a resident's home: `label` (Chinese), and `context(user)` -> {"url", "count", "note"} or
    None (hidden). Drawn by residents:my_home in `order`."""

    name: str
    label: str
    order: int
    context: Callable[[Any], dict | None]
    visible: Callable[[Any], bool] = _everyone


def register(table: dict, key: str, item, what: str):
    """Add `item` to a registry table under `key`. Autodiscovery imports each shell module once; a second,
    different registration is a mistake."""
    if key in table and table[key] != item:
        raise ImproperlyConfigured(f"{what} {key!r} is registered twice")
    table[key] = item
    return item


def shown(table: dict[str, Part], *args) -> list[tuple[Part, dict]]:
    """The parts of `table` to draw, in order, each with its context: `visible(args[0])` (the user, where there is
    one) and `context(*args)` not None."""
    drawn = []
    for part in sorted(table.values(), key=lambda p: (p.order, p.name)):
        if not part.visible(args[0]):
            continue
        context = part.context(*args)
        if context is not None:
            drawn.append((part, context))
    return drawn


@dataclass(frozen=True)
class HouseholdMarks:
    """Badges an app puts on a building diagram's room cells: `context(user, building)` -> {household id:
    [(label, css_class)]} for the users `visible(user)` accepts."""

    name: str
    context: Callable[[Any, Any], dict | None]
    visible: Callable[[Any], bool] = _everyone


@dataclass(frozen=True)
class DemoStep:
    name: str
    build: Callable[[Any], Any]  # build(demo): see linli.site.demo.Demo
    order: int
    after: tuple[str, ...] = ()
    reset: Callable[[], Any] | None = None  # after the demo's rows are deleted (e.g. files they left behind)


#: The levels of the area tree a dashboard is drawn for, widest first.
LEVELS = ("street", "community", "grid")
#: A row's own lookups to each level's id: the denormalised street_id / community_id / grid_id most rows carry.
OWN_AREA = {"street": "street_id", "community": "community_id", "grid": "grid_id"}


@dataclass(frozen=True)
class FigureNode:
    """An area node a figure is counted for: a street, a community or a grid, by id."""

    level: str
    id: int

    def q(self, paths: dict[str, str] = OWN_AREA) -> Q:
        """The rows of this node: `paths` maps each level to the row's lookup of that level's id."""
        if self.level not in paths:
            raise ImproperlyConfigured(f"no lookup for the {self.level} level in {paths}")
        return Q(**{paths[self.level]: self.id})


@dataclass(frozen=True)
class DashboardFamily:
    name: str
    label: str  # the section's Chinese heading
    order: int
    visible: Callable[[Any], bool] = _everyone


STOCK, FLOW = "stock", "flow"


@dataclass(frozen=True)
class DashboardFigure:
    """A count of an area node (see the module's docstring). `grids` False: counted per community only (a grid
    dashboard leaves it out). `history` (stocks): `compute` can count a past day as it was; a stock without history
    is counted only for the day just ended (the nightly rollup), never backfilled."""

    key: str
    family: str
    label: str
    unit: str
    kind: str
    compute: Callable[..., Any]
    order: int = 100
    link: Callable[..., str] | None = None
    grids: bool = True
    history: bool = False
    alarm: bool = False  # more is worse (overdue, open): the page marks a non-zero value
    #: (stocks with history) the same counts for every day from start to end, all before today, at once:
    #: `history_days(start, end, node)` -> (day, community id, grid id, value) rows as a flow's compute. The
    #: rollup's backfill (a year of days) uses it instead of `compute` once per day.
    history_days: Callable[..., Any] | None = None


@dataclass(frozen=True)
class DashboardRate:
    """`part` as a share of `whole` (two figures' keys), with an optional goal below which the page marks it."""

    key: str
    family: str
    label: str
    part: str
    whole: str
    order: int = 100
    goal: int | None = None


@dataclass(frozen=True)
class DashboardBreakdown:
    """A live split of a node's count by something other than an area: `compute(node)` -> [(label, value, link)]
    (link "" when there is none), drawn in value order under the family on the dashboards of `levels`."""

    key: str
    family: str
    label: str
    unit: str
    compute: Callable[[FigureNode], list[tuple[str, Any, str]]]
    order: int = 100
    levels: tuple[str, ...] = LEVELS
    #: The heading of the rows' column (what they are split by: 承办单位).
    row_label: str = "名称"


class Registry:
    """Everything the apps registered. One instance, `registry`; tests may build their own."""

    def __init__(self):
        self.menu_groups: dict[str, MenuGroup] = {}
        self.menu_entries: dict[str, MenuEntry] = {}
        self.home_sections: dict[str, HomeSection] = {}
        self.home_blocks: dict[str, HomeBlock] = {}
        self.demo_steps: dict[str, DemoStep] = {}
        self.resident_panels: dict[str, ResidentPanel] = {}
        self.self_blocks: dict[str, SelfBlock] = {}
        self.self_tiles: dict[str, SelfTile] = {}
        self.family_blocks: dict[str, FamilyBlock] = {}
        self.building_panels: dict[str, BuildingPanel] = {}
        self.household_panels: dict[str, HouseholdPanel] = {}
        self.worklist_parts: dict[str, WorklistPart] = {}
        self.mark_sources: dict[str, HouseholdMarks] = {}
        self.dashboard_families: dict[str, DashboardFamily] = {}
        self.dashboard_figures: dict[str, DashboardFigure] = {}
        self.dashboard_rates: dict[str, DashboardRate] = {}
        self.dashboard_breakdowns: dict[str, DashboardBreakdown] = {}

    # -- registering (called from linli/<app>/shell.py)
    def menu_group(self, label: str, *, order: int) -> MenuGroup:
        return register(self.menu_groups, label, MenuGroup(label, order), "menu group")

    def menu_entry(self, group: str, url_name: str, label: str, *, order: int, visible=_everyone) -> MenuEntry:
        return register(self.menu_entries, url_name, MenuEntry(group, url_name, label, order, visible), "menu entry")

    def home_section(self, name: str, template: str, *, order: int) -> HomeSection:
        return register(self.home_sections, name, HomeSection(name, template, order), "home section")

    def home_block(
        self, name: str, template: str, *, order: int, context=None, visible=_everyone, section="", figures=False
    ) -> HomeBlock:
        block = HomeBlock(name, template, order, context or (lambda user: {}), visible, section, figures)
        return register(self.home_blocks, name, block, "home block")

    def resident_panel(self, name: str, template: str, *, order: int, context=None, visible=_everyone) -> ResidentPanel:
        panel = Part(name, template, order, context or (lambda user, resident: {}), visible)
        return register(self.resident_panels, name, panel, "resident panel")

    def building_panel(self, name: str, template: str, *, order: int, context=None, visible=_everyone) -> BuildingPanel:
        panel = Part(name, template, order, context or (lambda user, building: {}), visible)
        return register(self.building_panels, name, panel, "building panel")

    def household_panel(
        self, name: str, template: str, *, order: int, context=None, visible=_everyone
    ) -> HouseholdPanel:
        panel = Part(name, template, order, context or (lambda user, household: {}), visible)
        return register(self.household_panels, name, panel, "household panel")

    def self_block(self, name: str, template: str, *, order: int, context=None, visible=_everyone) -> SelfBlock:
        block = Part(name, template, order, context or (lambda user: {}), visible)
        return register(self.self_blocks, name, block, "self block")

    def self_tile(self, name: str, label: str, *, order: int, context, visible=_everyone) -> SelfTile:
        return register(self.self_tiles, name, SelfTile(name, label, order, context, visible), "self tile")

    def family_block(self, name: str, template: str, *, order: int, context, visible=_everyone) -> FamilyBlock:
        return register(self.family_blocks, name, Part(name, template, order, context, visible), "family block")

    def worklist_part(self, name: str, template: str, *, order: int, context=None, visible=_everyone) -> WorklistPart:
        part = Part(name, template, order, context or (lambda user, today: {}), visible)
        return register(self.worklist_parts, name, part, "worklist part")

    def household_marks(self, name: str, *, context, visible=_everyone) -> HouseholdMarks:
        return register(self.mark_sources, name, HouseholdMarks(name, context, visible), "household marks")

    def demo_step(self, name: str, build, *, order: int, after=(), reset=None) -> DemoStep:
        return register(self.demo_steps, name, DemoStep(name, build, order, tuple(after), reset), "demo step")

    def dashboard_family(self, name: str, label: str, *, order: int, visible=_everyone) -> DashboardFamily:
        return register(self.dashboard_families, name, DashboardFamily(name, label, order, visible), "figure family")

    def dashboard_figure(
        self, key: str, *, family: str, label: str, unit: str, kind: str, compute, order=100, link=None, **options
    ) -> DashboardFigure:
        if kind not in (STOCK, FLOW):
            raise ImproperlyConfigured(f"figure {key!r}: kind must be {STOCK!r} or {FLOW!r}")
        figure = DashboardFigure(key, family, label, unit, kind, compute, order, link, **options)
        return register(self.dashboard_figures, key, figure, "dashboard figure")

    def dashboard_rate(
        self, key: str, *, family: str, label: str, part: str, whole: str, order=100, goal=None
    ) -> DashboardRate:
        rate = DashboardRate(key, family, label, part, whole, order, goal)
        return register(self.dashboard_rates, key, rate, "dashboard rate")

    def dashboard_breakdown(
        self, key: str, *, family: str, label: str, unit: str, compute, order=100, levels=LEVELS, row_label="名称"
    ) -> DashboardBreakdown:
        breakdown = DashboardBreakdown(key, family, label, unit, compute, order, tuple(levels), row_label)
        return register(self.dashboard_breakdowns, key, breakdown, "dashboard breakdown")

    # -- reading (linli.site)
    def menu(self) -> list[tuple[MenuGroup, list[MenuEntry]]]:
        """The groups in order, each with its entries in order (all of them: visibility is per user)."""
        entries: dict[str, list[MenuEntry]] = {label: [] for label in self.menu_groups}
        for entry in self.menu_entries.values():
            if entry.group not in entries:
                raise ImproperlyConfigured(f"menu entry {entry.url_name!r} names an unknown group {entry.group!r}")
            entries[entry.group].append(entry)
        groups = sorted(self.menu_groups.values(), key=lambda g: (g.order, g.label))
        return [(g, sorted(entries[g.label], key=lambda e: (e.order, e.url_name))) for g in groups]

    def home(self) -> list[HomeBlock | HomeSection]:
        """The page's blocks and sections in order (a section's own blocks: `section_blocks`)."""
        for block in self.home_blocks.values():
            if block.section and block.section not in self.home_sections:
                raise ImproperlyConfigured(f"home block {block.name!r} names an unknown section {block.section!r}")
        items = [b for b in self.home_blocks.values() if not b.section] + list(self.home_sections.values())
        return sorted(items, key=lambda item: (item.order, item.name))

    def section_blocks(self, section: str) -> list[HomeBlock]:
        return sorted((b for b in self.home_blocks.values() if b.section == section), key=lambda b: (b.order, b.name))

    def panels_for(self, user, resident) -> list[tuple[ResidentPanel, dict]]:
        """The resident page's panels this user sees for this resident, in order, each with its context."""
        return shown(self.resident_panels, user, resident)

    def building_panels_for(self, user, building) -> list[tuple[BuildingPanel, dict]]:
        """The building page's sections this user sees for this building, in order, each with its context."""
        return shown(self.building_panels, user, building)

    def household_panels_for(self, user, household) -> list[tuple[HouseholdPanel, dict]]:
        """The household page's sections this user sees for this household, in order, each with its context."""
        return shown(self.household_panels, user, household)

    def self_blocks_for(self, user) -> list[tuple[SelfBlock, dict]]:
        """The blocks of the signed-in resident's own page, in order, each with its context."""
        return shown(self.self_blocks, user)

    def self_tiles_for(self, user) -> list[tuple[SelfTile, dict]]:
        """The big buttons of the signed-in resident's home, in order, each with its context."""
        tiles = sorted(self.self_tiles.values(), key=lambda t: (t.order, t.name))
        drawn = []
        for tile in tiles:
            if tile.visible(user):
                context = tile.context(user)
                if context is not None:
                    drawn.append((tile, {"count": None, "note": "", **context}))
        return drawn

    def family_blocks_for(self, user, elder) -> list[tuple[FamilyBlock, dict]]:
        """What a helper sees of the elder they help (only after the link check of linli.residents)."""
        return shown(self.family_blocks, user, elder)

    def worklist_parts_for(self, user, today) -> list[tuple[WorklistPart, dict]]:
        """The sections other apps add to a user's 今日走访 page, in order, each with its context."""
        return shown(self.worklist_parts, user, today)

    def marks_for(self, user, building) -> dict[int, list[tuple[str, str]]]:
        """The badges of a building's room cells this user sees ({household id: [(label, css_class)]}), every
        app's in name order."""
        marks: dict[int, list[tuple[str, str]]] = {}
        for source in sorted(self.mark_sources.values(), key=lambda s: s.name):
            if not source.visible(user):
                continue
            for household_id, badges in (source.context(user, building) or {}).items():
                marks.setdefault(household_id, []).extend(badges)
        return marks

    def figure_families(self) -> list[tuple[DashboardFamily, list[DashboardFigure], list[DashboardRate]]]:
        """The families in order, each with its figures and rates in order (every one: visibility is per user)."""
        for item in [*self.dashboard_figures.values(), *self.dashboard_rates.values()]:
            if item.family not in self.dashboard_families:
                raise ImproperlyConfigured(f"dashboard figure {item.key!r} names an unknown family {item.family!r}")
        for rate in self.dashboard_rates.values():
            for key in (rate.part, rate.whole):
                if key not in self.dashboard_figures:
                    raise ImproperlyConfigured(f"dashboard rate {rate.key!r} names an unknown figure {key!r}")
        families = sorted(self.dashboard_families.values(), key=lambda f: (f.order, f.name))

        def ordered(items, family):
            return sorted((i for i in items if i.family == family), key=lambda i: (i.order, i.key))

        return [
            (f, ordered(self.dashboard_figures.values(), f.name), ordered(self.dashboard_rates.values(), f.name))
            for f in families
        ]

    def demo_plan(self) -> list[DemoStep]:
        """The steps in `order`, each moved after the steps it names in `after` (a cycle or unknown name fails)."""
        for step in self.demo_steps.values():
            for name in step.after:
                if name not in self.demo_steps:
                    raise ImproperlyConfigured(f"demo step {step.name!r} runs after an unknown step {name!r}")
        waiting = sorted(self.demo_steps.values(), key=lambda s: (s.order, s.name))
        done: list[DemoStep] = []
        names: set[str] = set()
        while waiting:
            ready = next((s for s in waiting if names.issuperset(s.after)), None)
            if ready is None:
                raise ImproperlyConfigured(f"demo steps wait for each other: {[s.name for s in waiting]}")
            waiting.remove(ready)
            done.append(ready)
            names.add(ready.name)
        return done


registry = Registry()

menu_group = registry.menu_group
menu_entry = registry.menu_entry
home_section = registry.home_section
home_block = registry.home_block
demo_step = registry.demo_step
resident_panel = registry.resident_panel
self_block = registry.self_block
self_tile = registry.self_tile
family_block = registry.family_block
building_panel = registry.building_panel
household_panel = registry.household_panel
worklist_part = registry.worklist_part
household_marks = registry.household_marks
dashboard_family = registry.dashboard_family
dashboard_figure = registry.dashboard_figure
dashboard_rate = registry.dashboard_rate
dashboard_breakdown = registry.dashboard_breakdown
