"""bench/firstpage.py measures every list page (issue 20): a new list page of any app must be added to its table."""

from __future__ import annotations

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic.list import MultipleObjectMixin

BENCH = Path(__file__).resolve().parent.parent / "bench" / "firstpage.py"
#: List pages the street administrator's first page does not stand for, and why.
NOT_MEASURED = {
    "s/track/mine/": "a resident's own appeals (a handful of rows, by their phone)",
}


def benched_paths() -> set[str]:
    tree = ast.parse(BENCH.read_text(encoding="utf-8"))
    paths = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[1], ast.Constant):
            url = node.elts[1].value
            if isinstance(url, str) and url.startswith("/"):
                paths.add(url.split("?")[0].lstrip("/"))
    return paths


def list_pages() -> dict[str, str]:
    """Every parameterless page route whose view lists rows (a ListView, or a view named …ListView)."""
    found = {}

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                path = prefix + str(p.pattern)
                view = getattr(p.callback, "view_class", None)
                if view is None or "<" in path or path.startswith("api/") or "(?P" in path:
                    continue
                if issubclass(view, MultipleObjectMixin) or view.__name__.endswith(("ListView", "ListIndexView")):
                    found[path] = view.__name__

    walk(get_resolver().url_patterns, "")
    return found


def test_it_measures_every_list_page():
    missing = {path: view for path, view in list_pages().items() if path not in benched_paths()}
    missing = {path: view for path, view in missing.items() if path not in NOT_MEASURED}
    assert not missing, f"add these list pages to bench/firstpage.py: {missing}"


def test_it_finds_the_list_pages_it_checks():
    pages = list_pages()
    assert pages["residents/"] == "ResidentListView"
    assert "support/merchants/" in pages and "afterschool/" in pages
