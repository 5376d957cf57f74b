"""Every page of the URLconf, fed odd values in every query parameter and form field it knows: never a 5xx.

The attack that found `?grid=²` (a superscript digit that `str.isdigit()` accepts and int() refuses) sent such
values by hand; this walks django.urls.get_resolver() instead, so a page added tomorrow is covered too.

For each page: GET it once (path ints filled with the lowest id of the view's model, else 1); the query
parameters tried are the page's own GET forms, its FilterSet, the names its code reads from request.GET
(code_of: the view and what it uses of its module and of the Linli classes it is built from; until 2026-12-07
every name its whole module read: 3,743 names tried alone per persona, now 573) and a few common ones; the
forms it shows (method=post) are then posted with the same odd values (each form shape once; delete forms are
not posted). As a street administrator (every odd value), a community secretary (the two that found 500s) and
a visitor not logged in. Bounded: one request per (page, odd value) with every parameter set, plus one per
parameter the code reads by hand with the worst value alone, so a refused first parameter cannot hide the
next. About 40 CPU-s on SQLite.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

ODD_VALUES = ["²", "²²²²", "9" * 30, "", "'<x>" + "二" * 300]
#: The secretary walks the same code with a narrower scope: the values that found 500s are enough there.
FEW_ODD_VALUES = ["²", "9" * 30]
WORST = "²"

COMMON_PARAMS = [
    "page", "page_size", "year", "month", "community", "grid", "building", "street", "q", "tag", "state", "status",
    "account", "resident", "visit", "item", "next", "sort", "order", "date", "since", "until", "kind", "category",
    "unit", "merge_into", "limit", "offset",
]  # fmt: skip

#: Pages not walked: the API has its own fuzzing (schemathesis, tests/test_api_schema.py); logging out would end
#: the session the walk runs in; the Open311 endpoints are tested in linli/open311 (keys, formats).
SKIP_PREFIXES = ("api/", "accounts/logout/", "open311/^", "static/", "media/")

#: Module-level reads of request parameters: request.GET.get("x"), params.get("x"), self.request.GET["x"].
PARAM_READ = re.compile(r"""(?:GET|POST|params|query|data)(?:\.get|\.getlist)?[\[(]\s*["'](\w+)["']""")


class _Forms(HTMLParser):
    """Forms of a page: [(method, action, [field names])]."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(((attrs.get("method") or "get").lower(), attrs.get("action") or "", set()))
        elif tag in ("input", "select", "textarea", "button") and self.forms and attrs.get("name"):
            if attrs.get("type") not in ("file",):
                self.forms[-1][2].add(attrs["name"])


def forms_of(html: str):
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def view_class(pattern):
    return getattr(pattern.callback, "view_class", None)


def lowest_pk(view):
    model = getattr(view, "model", None) or getattr(getattr(view, "queryset", None), "model", None)
    if model is None:
        return 1
    return model._default_manager.order_by("pk").values_list("pk", flat=True).first() or 1


def fill(route: str, pattern, world) -> str:
    view = view_class(pattern)

    def value(match):
        converter, name = match.group(1), match.group(2)
        if converter == "int":
            return str(lowest_pk(view)) if name == "pk" else "1"
        return world.communities["e1"].code  # the public pages' <str:code>

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@functools.cache
def _definitions(module) -> dict[str, str]:
    """A module's top-level definitions (functions, classes, assignments) by name, with their source."""
    source = inspect.getsource(module)
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found[node.name] = ast.get_source_segment(source, node, padded=True)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        found[name.id] = ast.get_source_segment(source, node, padded=True)
    return found


def code_of(view) -> str:
    """The source a page runs: the view, the Linli classes it is built from, and every top-level definition of
    their modules they name, and those name, and so on. A parameter read elsewhere in the view's module belongs to
    another page: trying it here would only ask this page for what it never reads. Code whose source cannot be
    found there (built at run time) gives its whole module."""
    view = inspect.unwrap(view)
    owners = [c for c in getattr(view, "__mro__", [view]) if getattr(c, "__module__", "").startswith("linli.")]
    parts, seen = [], set()
    for owner in owners:
        module = inspect.getmodule(owner)
        definitions = _definitions(module)
        if owner.__name__ not in definitions:
            parts.append(inspect.getsource(module))
            continue
        todo = [owner.__name__]
        while todo:
            name = todo.pop()
            if (module, name) in seen or name not in definitions:
                continue
            seen.add((module, name))
            parts.append(definitions[name])
            todo += re.findall(r"\b\w+\b", definitions[name])
    return "\n".join(parts)


def param_names(pattern, view, html: str) -> tuple[list[str], list[str]]:
    """(every parameter this page reads, those its code reads by hand).

    Every: its GET forms, its FilterSet, what its module reads from a request. A form or FilterSet cleans each
    field whatever the others hold, so one request with all of them set tries each; a hand-written read may
    stop at the first bad parameter (a 404), so those are also tried one at a time.
    """
    names = set()
    for method, _action, fields in forms_of(html):
        if method == "get":
            names |= fields
    filterset = getattr(view, "filterset_class", None)
    if filterset is not None:
        names |= set(filterset.base_filters)
    by_hand = set(PARAM_READ.findall(code_of(view or pattern.callback)))
    names |= by_hand
    names.discard("csrfmiddlewaretoken")
    return sorted(names), sorted(by_hand)


def pages(world):
    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or "(?P<" in route:
            continue
        yield route, pattern, fill(route, pattern, world)


class ServerErrors(list):
    """Every 5xx of a walk, reported together (one bad filter should not hide the next)."""

    def check(self, response, what):
        if response.status_code >= 500:
            self.append(f"{what} -> {response.status_code}")


@pytest.fixture
def odd_world(world):
    from linli.lovebank.testing import add_lovebank

    return add_lovebank(world)


def fuzz_queries(client, errors, path, names, by_hand, values):
    # A page that reads no parameter of its own gets the common ones with the values that found 500s.
    for odd in values if names else FEW_ODD_VALUES:
        every = {n: odd for n in [*COMMON_PARAMS, *names]}
        errors.check(client.get(path, every), f"GET {path} all={odd!r}")
    for name in by_hand:
        errors.check(client.get(path, {name: WORST}), f"GET {path}?{name}={WORST}")


def fuzz_forms(client, errors, path, html, by_hand, seen, values) -> int:
    """Post each form of the page (once per shape: a list of rows with one form each is posted once)."""
    posted = 0
    for method, action, fields in forms_of(html):
        target = action if action.startswith("/") else path
        if method != "post" or target.startswith(tuple("/" + p for p in SKIP_PREFIXES)) or "delete" in target:
            continue  # a delete with any body deletes; its confirmation page was walked
        fields = sorted(fields - {"csrfmiddlewaretoken"})
        shape = (re.sub(r"\d+", "N", target.split("?")[0]), tuple(fields))
        if shape in seen:
            continue
        seen.add(shape)
        posted += 1
        for odd in values:
            errors.check(client.post(target, {f: odd for f in fields}), f"POST {target} all={odd!r}")
        for name in set(fields) & set(by_hand):
            errors.check(client.post(target, {name: WORST}), f"POST {target} {name}={WORST}")
    return posted


@pytest.mark.parametrize(
    "persona, values, least",
    [("street_admin", ODD_VALUES, (50, 20)), ("secretary", FEW_ODD_VALUES, (50, 20)), (None, ODD_VALUES, (5, 2))],
)
def test_no_page_or_form_answers_odd_values_with_a_server_error(odd_world, client, persona, values, least):
    """Logged in as a street administrator, a secretary, and not logged in (the public and residents' pages)."""
    client.raise_request_exception = False
    if persona:
        client.force_login(odd_world.users[persona])
    errors = ServerErrors()
    walked = posted = 0
    seen = set()
    for _route, pattern, path in pages(odd_world):
        first = client.get(path)
        errors.check(first, f"GET {path}")
        if first.status_code != 200 or "html" not in first.get("Content-Type", ""):
            continue
        walked += 1
        html = first.content.decode()
        names, by_hand = param_names(pattern, view_class(pattern), html)
        fuzz_queries(client, errors, path, names, by_hand, values)
        posted += fuzz_forms(client, errors, path, html, by_hand, seen, values)
    assert errors == [], "\n".join(errors)
    # The walk reached the pages and their forms, not only 404s and login redirects.
    assert (walked, posted) >= least, (walked, posted)


def test_each_page_is_tried_with_the_parameters_of_its_own_code_and_none_is_left_out():
    """code_of narrows a page's hand-read parameters to its own code; every name a view module reads is still
    tried alone on a page whose code reads it, and a page is not asked for what only another page reads."""
    in_module, tried = defaultdict(set), defaultdict(set)
    narrowed = 0
    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or "(?P<" in route:
            continue
        view = view_class(pattern) or pattern.callback
        module = inspect.getmodule(view)
        everything = set(PARAM_READ.findall(inspect.getsource(module)))
        own = set(PARAM_READ.findall(code_of(view)))
        in_module[module.__name__] |= everything
        tried[module.__name__] |= own
        narrowed += len(own) < len(everything)
    assert {m: names - tried[m] for m, names in in_module.items() if names - tried[m]} == {}
    assert narrowed > 100
