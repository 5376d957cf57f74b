"""Read replica: dashboards, figures, reports, Excel exports and API reads go to a PostgreSQL standby.

Switched on by DATABASE_REPLICA_URL (settings: DATABASES["replica"], LINLI_DB_REPLICA = "replica"). Off, the
router answers None everywhere and every query goes to "default", as before.

Which reads may go to the replica (a standby lags the primary by a fraction of a second, more under load):
- only inside a request marked *replica-ok*: a GET or HEAD to a view decorated with `replica_ok` (or a class with
  `replica_ok = True`), to a route named in REPLICA_OK_ROUTES (linli.site.replica lists the figures, reports and
  exports of every app), or to the JSON API (/api/). Commands and jobs may use `replica_reads()`;
- never a read of the accounts, sessions, login lockout or auth tables (who is logged in, which token is revoked,
  which account is locked must be the truth now: PRIMARY_ONLY_APPS);
- never inside a transaction on the primary (a service reading what it is about to change, select_for_update);
- never a model this request has already written (the export log written before the file is, a reveal record);
- never for a client that wrote in the last LINLI_REPLICA_PIN_SECONDS ("read your own writes"): any POST, PUT,
  PATCH or DELETE, or any write from a GET (but the export log's record of the read itself), pins the client to
  the primary that long, by a cookie and, for a session or an API token, by a key in the shared cache (a program
  without cookies is pinned too). So a form saved and the page it redirects to, or an appeal created by the API
  and read back at once, see the write.
Writes always go to the primary; migrations run only there.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

#: Apps whose tables are always read on the primary: the login state of every request.
PRIMARY_ONLY_APPS = frozenset(
    {"accounts", "auth", "sessions", "axes", "contenttypes", "django_otp", "otp_totp", "otp_static"}
)
#: URL names (namespace:name) whose GETs read from the replica; filled by linli.site.replica at start-up.
REPLICA_OK_ROUTES: set[str] = set()
PIN_COOKIE = "linli_primary"
_PIN_KEY = "linli:replica:pin:"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _State:
    replica_ok: bool = False
    pinned: bool = False
    wrote: set[str] = field(default_factory=set)


_state: contextvars.ContextVar[_State | None] = contextvars.ContextVar("linli_replica_state", default=None)


def replica_alias() -> str:
    return getattr(settings, "LINLI_DB_REPLICA", "") or ""


def replica_ok(view):
    """Mark a view function or class whose GETs may read from the replica (figures, reports, exports)."""
    view.replica_ok = True
    return view


@contextlib.contextmanager
def replica_reads():
    """Reads inside go to the replica (same rules as a replica-ok request); for commands and jobs."""
    token = _state.set(_State(replica_ok=True))
    try:
        yield
    finally:
        _state.reset(token)


class ReplicaRouter:
    """Reads in a replica-ok context to LINLI_DB_REPLICA, everything else to the primary (see the module)."""

    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or not state.replica_ok or state.pinned:
            return None
        alias = replica_alias()
        if not alias or model._meta.app_label in PRIMARY_ONLY_APPS or model._meta.label in state.wrote:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return alias

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            state.wrote.add(model._meta.label)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        pair = {obj1._state.db, obj2._state.db}
        if pair <= {DEFAULT_DB_ALIAS, replica_alias() or DEFAULT_DB_ALIAS, "replica"}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _identity(request) -> str:
    """The client's credential (API token or session cookie) as a key of the shared pin; "" for neither."""
    credential = request.META.get("HTTP_AUTHORIZATION", "") or request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not credential:
        return ""
    return hashlib.blake2b(credential.encode(), digest_size=16, person=b"linli-replica").hexdigest()


def _cache():
    from django.core.cache import caches

    return caches["default"]


class ReplicaMiddleware:
    """Holds the request's replica state: marks replica-ok views and API GETs, pins a client that writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_alias():
            return self.get_response(request)
        identity = _identity(request)
        pinned = (
            request.method not in SAFE_METHODS
            or PIN_COOKIE in request.COOKIES
            or bool(identity and _cache().get(_PIN_KEY + identity))
        )
        state = _State(pinned=pinned)
        token = _state.set(state)
        try:
            if not pinned and request.path_info.startswith("/api/"):
                state.replica_ok = True
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if request.method not in SAFE_METHODS or state.wrote - _access_logs():
            seconds = settings.LINLI_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
            )
            for credential in {identity, _identity_after(request, response)} - {""}:
                _cache().set(_PIN_KEY + credential, 1, seconds)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _state.get()
        if state is None or state.pinned:
            return None
        view_class = getattr(view_func, "view_class", None)
        match = request.resolver_match
        if (
            getattr(view_func, "replica_ok", False)
            or getattr(view_class, "replica_ok", False)
            or (match is not None and match.view_name in REPLICA_OK_ROUTES)
        ):
            state.replica_ok = True
        return None


def _access_logs() -> set[str]:
    """Models a GET writes to record that it was read (the export log of every export and API list call): such a
    write pins nothing, or every client reading the API or exporting would be kept off the replica."""
    from linli.core.models import ExportRecord

    return {ExportRecord._meta.label}


def _identity_after(request, response) -> str:
    """The session cookie this response sets (a login changes it), as a pin key."""
    morsel = response.cookies.get(settings.SESSION_COOKIE_NAME)
    if morsel is None or not morsel.value:
        return ""
    return hashlib.blake2b(morsel.value.encode(), digest_size=16, person=b"linli-replica").hexdigest()
