"""The layers (docs/README.md): core → areas / accounts / residents → feature apps → site.

linli/core imports no other linli package, not even inside a function; linli/site names no feature app (they plug
in through their shell.py); no module imports another app's views;
inside an app only views, URL modules and tests import its views (api.py, services, querysets, shell.py do not).
Read from the source with `ast`, so an import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import linli

ROOT = Path(linli.__file__).parent


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in the file, at any depth; `from a import b` gives a and a.b."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..core import y
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def app_of(module: str) -> str:
    """linli.appeals.api -> appeals; linli.testing -> '' (the project level)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (ROOT / parts[1]).is_dir()) else ""


def views_module(name: str) -> str | None:
    """The views module `name` imports from (linli.<app>.views or views_*), or None. core.views is the shared
    base of all pages (ScopedMixin, paginate), not an app's page."""
    parts = name.split(".")
    if len(parts) >= 3 and parts[0] == "linli" and parts[1] != "core":
        if parts[2] == "views" or parts[2].startswith("views_"):
            return ".".join(parts[:3])
    return None


def may_import_views(module: str) -> bool:
    """An app's own views, URL modules and tests may import its views."""
    parts = module.split(".")
    return parts[-1].startswith(("views", "urls")) or "tests" in parts


def test_core_imports_no_other_linli_package():
    wrong = []
    for path in python_files(ROOT / "core"):
        for line, name in imported_modules(path):
            parts = name.split(".")
            if parts[0] == "linli" and len(parts) > 1 and parts[1] != "core":
                wrong.append(f"{path.relative_to(ROOT.parent)}:{line} imports {name}")
    assert not wrong, "linli/core must not import the apps above it:\n" + "\n".join(sorted(set(wrong)))


def test_the_site_names_no_feature_app():
    """The shell reads the registry; it builds the demo's base from the layers below the feature apps only."""
    base = {"core", "accounts", "areas", "residents", "site"}
    wrong = []
    for path in python_files(ROOT / "site"):
        if "tests" in path.parts:
            continue
        for line, name in imported_modules(path):
            parts = name.split(".")
            if parts[0] == "linli" and len(parts) > 1 and parts[1] not in base:
                wrong.append(f"{path.relative_to(ROOT.parent)}:{line} imports {name}")
    assert not wrong, "linli/site plugs the apps in through their shell.py:\n" + "\n".join(sorted(set(wrong)))


def test_no_module_imports_another_apps_views_and_only_views_urls_and_tests_import_their_own():
    wrong = set()
    for path in python_files(ROOT):
        module = module_name(path)
        for line, name in imported_modules(path):
            views = views_module(name)
            if views is None:
                continue
            if app_of(views) != app_of(module) or not may_import_views(module):
                wrong.add(f"{path.relative_to(ROOT.parent)}:{line} imports {views}")
    assert not wrong, "views are imported only by their own app's views, URLs and tests:\n" + "\n".join(sorted(wrong))


def test_the_walk_sees_function_local_and_relative_imports(tmp_path):
    """The checks above would pass vacuously if the walk missed an import inside a function."""
    package = tmp_path / "linli" / "core"
    package.mkdir(parents=True)
    source = package / "sample.py"
    source.write_text(
        "def f():\n    from linli.appeals.views_queues import queue_queryset\n    from ..areas import models\n"
    )
    names = {name for _, name in imported_modules(source, tmp_path / "linli")}
    assert {"linli.appeals.views_queues", "linli.areas.models"} <= names
    assert views_module("linli.appeals.views_queues.queue_queryset") == "linli.appeals.views_queues"
    assert views_module("linli.core.views.ScopedMixin") is None
