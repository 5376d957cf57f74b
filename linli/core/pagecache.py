"""Small lists every list page draws (filter drop-downs, a scope's building count), cached per scope.

A queue or list page used to rebuild its drop-downs (categories, organisations, communities, grids, buildings,
tags) with a query each on every request: more time than the list's own SQL. The lists change rarely, so they
are kept in the shared cache (Redis in production) under a key made of

- the *scope* of the user (`scope_key`: superuser flag, role, assigned area nodes, and whatever the caller adds,
  e.g. the organisations a handler works for), so two users share an entry only when they would see exactly the
  same rows, and one scope never sees another's list;
- the *version* of every group of tables the list is read from (`version`). A save or delete of a row of those
  tables bumps the group's version (`invalidate_on` connects the signals; a write that sends none, a bulk insert or
  an import, calls `versioned.touched(model)`, which bumps every group watching the model), at once and again when
  the transaction commits, so that no process caches what it read before the commit under the new version (the
  version tokens of linli.core.versioned). Entries also expire after TIMEOUT seconds.

Values must be picklable plain data (ids and labels), never model instances.

`for_user` keeps what every page reads about the signed-in user (the assigned area nodes, the organisations a
handler works for) the same way, under the user's id and the versions of the groups it is read from: a change
of an assignment or a membership bumps the group, so a grant or a withdrawal takes effect at the next request.
Those few small values are also kept in the process (`local`, under the same key, for at most LOCAL_SECONDS), and
the groups every page reads are read with the request's first version read (`eager`): a page paid a Redis round
trip per fact and per group (nine on a handler's queue page, more than its SQL's own statements).

Nothing is stored from inside a transaction the code opened (a test case's own does not count): what it read may
still be rolled back, after its bump has already been spent.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from functools import partial

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.signals import m2m_changed

from linli.core import versioned
from linli.core.renderers import filter_fields_html

#: seconds an entry lives even when nothing bumps its version (a bound on anything a signal cannot see)
TIMEOUT = 300
PREFIX = "linli:pagecache:"


def eager(*groups: str) -> None:
    """Read these groups' versions with the first version read of every request, in the same round trip: groups
    that most pages read (the menu's, the queue's)."""
    for group in groups:
        versioned.read_eagerly(f"{PREFIX}v:{group}")


def versions(groups: tuple[str, ...]) -> str:
    """The current versions of groups of tables, in one cache round trip (each created on first use)."""
    keys = [f"{PREFIX}v:{g}" for g in groups]
    found = versioned.versions(keys)
    return ".".join(found[key] for key in keys)


def bump(group: str) -> None:
    """Every list read from `group` is stale: now, and once more when the current transaction commits."""
    versioned.bump_key(f"{PREFIX}v:{group}")


def invalidate_on(group: str, *models) -> None:
    """Bump `group` on every save and delete of `models` (and changes of their many-to-many fields)."""

    group_bump = _group_bump(group)
    versioned.bump_on_change(group_bump, *models, uid=f"linli.pagecache:{group}")

    def receiver(sender, **kwargs):
        group_bump()

    for model in models:
        uid = f"linli.pagecache:{group}:{model._meta.label}"
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(receiver, sender=field.remote_field.through, weak=False, dispatch_uid=uid + field.name)
            versioned.watch(group_bump, field.remote_field.through)


#: group -> its bump, one callable per group (so that `versioned.touched` bumps a group once)
_group_bumps: dict = {}


def _group_bump(group: str):
    return _group_bumps.setdefault(group, partial(bump, group))


def scope_key(user, *extra) -> str:
    """Who sees the same rows: superuser, role, assigned nodes (and `extra`, e.g. a handler's organisations)."""
    parts = (user.is_superuser, user.role, sorted(user.assigned_nodes()), *extra)
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:20]


def in_transaction() -> bool:
    """Inside a transaction the code opened (not a test case's wrapper): its reads may yet be rolled back."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def cached(name: str, groups: tuple[str, ...], scope: str, compute, *, local: bool = False):
    """compute() once per (name, versions of `groups`, scope) for TIMEOUT seconds. `local`: a small value read
    on most requests, kept in this process too (see `_LOCAL`)."""
    return cached_many({name: compute}, groups, scope, local=local)[name]


#: Small values kept in this process as well (`cached(..., local=True)`, `for_user`), under the shared entry's key
#: (versions included, so a bump changes it at once), least recently used first, each for at most LOCAL_SECONDS:
#: what the shared entry's TIMEOUT bounds (changes no signal sees) is then bounded by TIMEOUT + LOCAL_SECONDS.
_LOCAL: OrderedDict[str, tuple[float, object]] = OrderedDict()
LOCAL_MAX = 4096
LOCAL_SECONDS = 60
_local_lock = threading.Lock()
versioned.on_forget_all(_LOCAL.clear)


def cached_many(computes: dict, groups: tuple[str, ...], scope: str, *, local: bool = False) -> dict:
    """`cached` for several names of the same groups and scope: {name: value}, in two cache round trips (the
    versions, then every entry) instead of two per name; with `local`, none for the entries this process holds."""
    stamp = hashlib.sha1(versions(groups).encode()).hexdigest()[:16]
    keys = {name: f"{PREFIX}{name}:{stamp}:{scope}" for name in computes}
    found = {}
    if local:
        now = time.monotonic()
        with _local_lock:
            for key in keys.values():
                kept = _LOCAL.get(key)
                if kept is not None and now - kept[0] < LOCAL_SECONDS:
                    _LOCAL.move_to_end(key)
                    found[key] = kept[1]
    wanted = [key for key in keys.values() if key not in found]
    if len(wanted) > 1:
        found.update(cache.get_many(wanted))
    elif wanted:
        value = cache.get(wanted[0])
        if value is not None:
            found[wanted[0]] = value
    values, missing = {}, {}
    for name, key in keys.items():
        value = found.get(key)
        if value is None:
            value = missing[key] = computes[name]()
        values[name] = value
    if in_transaction():
        return values
    if missing:
        cache.set_many(missing, TIMEOUT)
    if local and wanted:
        now = time.monotonic()
        with _local_lock:
            for key in wanted:
                _LOCAL[key] = (now, found.get(key, missing.get(key)))
                _LOCAL.move_to_end(key)
            while len(_LOCAL) > LOCAL_MAX:
                _LOCAL.popitem(last=False)
    return values


#: rendered(): markup kept in this process, least recently used first; bounded (one entry per scope and version).
_RENDERED: OrderedDict[tuple, str] = OrderedDict()
RENDERED_MAX = 512
_rendered_lock = threading.Lock()
versioned.on_forget_all(_RENDERED.clear)


def rendered(name: str, groups: tuple[str, ...], scope: str, compute) -> str:
    """compute() (a piece of markup that depends only on the scope and on rows of `groups`, e.g. an unfiltered
    list's filter form) once per (name, versions of `groups`, scope) in this process: no cache round trip besides
    the versions a page reads anyway, and nothing of an old release survives a restart. A bump of any group
    changes the key at once; the same rules as `cached` otherwise (the scope is the key, never stored from inside a
    transaction the code opened)."""
    key = (name, versions(groups), scope)
    with _rendered_lock:
        html = _RENDERED.get(key)
        if html is not None:
            _RENDERED.move_to_end(key)
            return html
    html = compute()
    if not in_transaction():
        with _rendered_lock:
            _RENDERED[key] = html
            while len(_RENDERED) > RENDERED_MAX:
                _RENDERED.popitem(last=False)
    return html


def user_group(user_id: int) -> str:
    """The group of one user's own rows (their area assignments): bumped by every change of them."""
    return f"user:{user_id}"


def for_user(name: str, user, groups: tuple[str, ...], compute):
    """compute() once per (name, user, versions of the user's own group and of `groups`): a per-user fact every
    page reads, kept in the process too (`local`). The user's id is the scope: one user's entry is never another's.
    Callers make `groups` eager (every page reads them)."""
    return cached(name, (user_group(user.pk), *groups), f"u{user.pk}", compute, local=True)


def light_choices(
    form, selects, *, name: str, groups: tuple[str, ...], scope: str, variants=None, validate: bool = False
) -> None:
    """A filter form's drop-downs drawn from cached (id, label) rows instead of model instances: the same options in
    the same order (empty and null labels first, as django-filter's iterator yields them). `selects` are (field name,
    placed) pairs, placed meaning the label names the community too ("青和居社区 1栋"); `variants` names, for a
    field whose queryset depends on the request (the buildings of the chosen grid), what it depends on.

    Without `validate`, only what is drawn changes: a submitted value is still checked against the field's scoped
    queryset (a query per chosen drop-down). With it (a list page, called before the form is validated), a submitted
    id is checked against the same cached rows instead (`known_choice`): the rows are that queryset's, under the
    same scope and versions, so the same ids pass and the same ones are refused, with the field's own message."""
    computes, names = {}, {}
    for field_name, placed in selects:
        field = form.fields[field_name]

        def rows(queryset=field.queryset, placed=placed):
            if placed:
                return [
                    (pk, f"{community} {label}")
                    for pk, community, label in queryset.values_list("pk", "community__name", "name")
                ]
            return list(queryset.values_list("pk", "name"))

        variant = (variants or {}).get(field_name, "")
        names[field_name] = f"{name}:{field_name}:{variant}"
        computes[names[field_name]] = rows
    found = cached_many(computes, groups, scope)  # one round trip for all the drop-downs
    for field_name, _ in selects:
        field = form.fields[field_name]
        choices = []
        if field.empty_label is not None:
            choices.append(("", field.empty_label))
        if getattr(field, "null_label", None) is not None:
            choices.append((field.null_value, field.null_label))
        field.widget.choices = choices + found[names[field_name]]
        if validate:
            field.to_python = known_choice(field, {pk for pk, _ in found[names[field_name]]})


class FilterFields:
    """A list page's filter fields, wired one way for every page that draws its drop-downs from the cache:

    1. `prepare()`, before the form is validated: when the request chose one of the drop-downs (`selects`), they are
       all drawn from the scope's cached rows and the chosen ids checked against them (`light_choices` with
       `validate`: no query each);
    2. `html()`: the fields written in Python (renderers.filter_fields_html, `options` its keyword arguments: which
       fields are fieldsets, whether errors show), the drop-downs drawn from the cache first if `prepare` did not;
    3. when the request is `unfiltered`, `html()` is the scope's markup kept per process and versions of `groups`
       (`rendered`, named `<name>_fields`), made at most once per scope and version.

    Unfiltered, `filterset` is touched only to make the markup, so a page may pass a lazy one (a SimpleLazyObject,
    the appeals queue's) that is built only then. `variants` maps a field to a function of the filter data giving
    what its rows depend on besides the scope (the buildings of the chosen grid, residents.filtersets.building_variant).
    linli/core/tests/test_filter_fields_helper.py tests it; the pages' own tests check the served markup is the one
    drawn afresh (appeals/tests/test_queue_cache.py, residents/tests/test_list_cache.py)."""

    def __init__(self, filterset, *, name: str, selects, groups: tuple[str, ...], scope: str, unfiltered: bool,
                 variants=None, **options):  # fmt: skip
        self.filterset = filterset
        self.name = name
        self.selects = selects
        self.groups = groups
        self.scope = scope
        self.unfiltered = unfiltered
        self.variants = variants or {}
        self.options = options
        self.lit = False

    def light(self) -> None:
        """The drop-downs from the scope's cached (id, label) rows; a chosen id is checked against them."""
        data = self.filterset.data
        light_choices(
            self.filterset.form,
            self.selects,
            name=self.name,
            groups=self.groups,
            scope=self.scope,
            variants={field: variant(data) for field, variant in self.variants.items()},
            validate=True,
        )
        self.lit = True

    def prepare(self) -> None:
        """Before the form is validated: a chosen drop-down is checked against the cached rows, not with a query."""
        if not self.unfiltered and any(self.filterset.data.get(name) for name, _ in self.selects):
            self.light()

    def html(self) -> str:
        """The fields' markup; unfiltered, the scope's own kept per process (`rendered`)."""

        def render():
            if not self.lit:
                self.light()
            return filter_fields_html(self.filterset.form, **self.options)

        if self.unfiltered:
            return rendered(f"{self.name}_fields", self.groups, self.scope, render)
        return render()


def known_choice(field, known: set[int]):
    """`field.to_python` (a ModelChoiceField's, django-filter's null choice included) checking the id against `known`
    instead of reading the row: returns an unsaved instance holding just the id, which is all a filter needs
    (`grid=<Grid: pk>` filters by the id). The same ids pass as through queryset.get(pk=…) (int() of the text)."""
    model = field.queryset.model

    def to_python(value):
        if getattr(field, "null_label", None) is not None and value == field.null_value:
            return value
        if value in field.empty_values:
            return None
        field.validate_no_null_characters(value)
        try:
            pk = int(value.pk if isinstance(value, model) else value)
        except (ValueError, TypeError):
            pk = None
        if pk not in known:
            raise ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return model(pk=pk)

    return to_python
