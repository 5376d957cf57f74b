import os

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs the property tests on a fixed seed: a submission lands or not on its own code, never on the draw.
# Developers' runs stay random, so new counterexamples keep being found (and then kept as @example).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

MD5_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing (PBKDF2) costs ~0.2 s per user; tests create many.
    settings.PASSWORD_HASHERS = [MD5_HASHER]


@pytest.fixture(autouse=True)
def _uncached_reports(settings):
    """Reports (诉求统计, 走访统计) computed afresh: a report cached by one test would answer for the next test's rows
    (cached_reports turns the cache on)."""
    settings.LINLI_FIGURES_CACHE_SECONDS = 0


@pytest.fixture
def cached_reports(settings):
    """The report cache on (two minutes), empty before and after the test."""
    from django.core.cache import cache

    settings.LINLI_FIGURES_CACHE_SECONDS = 120
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with an empty cache and no per-process copies (linli.core.versioned: the holiday table, the
    categories, API tokens): cached drop-downs (linli.core.pagecache) and unread counts are keyed by ids, which a later
    test may reuse, and a rolled-back row fires no signal. The copies are dropped after the test too."""
    from django.core.cache import cache

    from linli.core import versioned

    cache.clear()
    versioned.forget_all()
    yield
    versioned.forget_all()


#: The settings WhiteNoise's list of static files depends on (the files, their URLs and their headers).
STATIC_SETTINGS = (
    "DEBUG",
    "FORCE_SCRIPT_NAME",
    "INSTALLED_APPS",
    "STATIC_URL",
    "STATICFILES_DIRS",
    "STATICFILES_FINDERS",
    "STORAGES",
)


@pytest.fixture(scope="session", autouse=True)
def _static_files_listed_once():
    """WhiteNoise lists, stats and prepares the headers of every static file when its middleware starts (with
    WHITENOISE_AUTOREFRESH off, as in production and, DEBUG being off, under pytest): once per process in
    production, but once per test client here, since each client loads the middleware again (about 8 ms of CPU,
    thousands of times a run). The list is made once per session for each set of the settings it depends on; the
    middleware serves from it as before. Requests do not change it (files are only read)."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    original = WhiteNoiseMiddleware.add_files_from_finders
    lists = {}

    def add_files_from_finders(self):
        key = repr(
            [
                (name, getattr(settings, name, None))
                for name in sorted({*STATIC_SETTINGS, *(n for n in dir(settings) if n.startswith("WHITENOISE_"))})
            ]
        )
        if key not in lists:
            files, self.files = self.files, {}
            original(self)
            lists[key], self.files = self.files, {**files, **self.files}
        else:  # the finders' files overwrite those of STATIC_ROOT and WHITENOISE_ROOT, as in add_files_from_finders
            self.files.update(lists[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders
    yield
    WhiteNoiseMiddleware.add_files_from_finders = original


@pytest.fixture(scope="session")
def _shipped_router():
    """The routing model trained once per test session on the shipped examples (about 5 s with the letters)."""
    from linli.appeals.routing import model

    return model.train(model.load_training())


@pytest.fixture(autouse=True)
def _primed_router(_shipped_router, monkeypatch):
    """Pages that show a routing suggestion use the session's model instead of training one per test database
    (test_routing.py empties this cache itself to test storage and retraining)."""
    from linli.appeals.routing import services as routing

    monkeypatch.setattr(routing, "CHECK_SECONDS", 3600.0)
    routing._remember(0, _shipped_router)
    yield
    routing._forget()


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the database, browser tests excepted: `make test`'s PostgreSQL run, "
        "beside a SQLite run of the whole suite (docs/testing.md)",
    )


#: A test whose fixtures include one of these reaches the database (pytest-django refuses any other test access).
DATABASE_FIXTURES = {"_django_db_helper", "django_db_setup", "live_server"}


def uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    """The tests on the shared demo build (`demo_output`) run last, in their usual order: the demo is then built
    once per session and exists only while they run, so no other test sees its 8,234 residents. Within a module,
    the tests that take the shared world run first (shared_world_first).

    With --database-tests-only, the tests that cannot depend on the database (they may not touch it) and the
    browser tests (they exercise the pages in chromium; the same views run on this database in the client tests)
    are left to the SQLite run of the whole suite."""
    if config.getoption("--database-tests-only"):
        once = [item for item in items if not uses_database(item) or item.get_closest_marker("browser")]
        if once:
            config.hook.pytest_deselected(items=once)
            skipped = set(map(id, once))
            items[:] = [item for item in items if id(item) not in skipped]
    shared_world_first(items)
    items.sort(key=lambda item: "demo_output" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def demo_output(django_db_setup, django_db_blocker):
    """`linli demo`, built and committed once per session (its output), removed at the end. Tests read it inside
    their own transaction (`db`), so what one of them changes (a reset, a rebuild) is rolled back after it."""
    from io import StringIO

    from django.core.management import call_command
    from django.test import override_settings

    from linli.site.demo import reset_demo

    # The same fast hasher as _fast_password_hashing, which is function-scoped.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[MD5_HASHER]):
        out = StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        reset_demo()


@pytest.fixture
def qinghe(demo_output, db):
    """The demo community 青和居 (of the shared demo build)."""
    from linli.areas.models import Community

    return Community.objects.get(code="qinghejuju")


#: Fixtures after which a test's database is not the rolled-back transaction a shared world lives in.
TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def takes_shared_world(item) -> bool:
    """A test takes its module's shared world when it asks for the world, is not transactional (its flush would
    empty the transaction the world lives in), does not read the shared demo build (built and committed on first
    use) and its module does not say SHARED_WORLD = False."""
    fixtures = getattr(item, "fixturenames", ())
    return (
        "world" in fixtures
        and "demo_output" not in fixtures
        and not is_transactional(item)
        and getattr(getattr(item, "module", None), "SHARED_WORLD", True)
    )


def shared_world_first(items):
    """Within each module, the tests that take the shared world run first (in their order), then the module's other
    tests (in theirs): the shared world's transaction is closed after the last of the first, so a test that
    builds its own rows, flushes the database or must not see the world's rows starts from the database as
    before."""
    modules: dict = {}
    for index, item in enumerate(items):
        modules.setdefault(getattr(item, "module", None), index)
    items.sort(key=lambda item: (modules[getattr(item, "module", None)], not takes_shared_world(item)))


class SharedWorld:
    """A module's shared world: built once in a transaction open from the module's first test that takes it to the
    last (conftest.shared_world_first runs them together), with the tests that closed the database connection
    meanwhile (the close ends the transaction: on PostgreSQL the world is gone, on the in-memory SQLite the close
    is ignored; both fail the same way)."""

    def __init__(self, module_name: str, blocker):
        from django.db import DEFAULT_DB_ALIAS, connections, transaction
        from django.test import override_settings

        from linli.testing import build_world

        self.module_name = module_name
        self.blocker = blocker
        self.closed_by: list[str] = []
        self.current = ""
        self.block = transaction.atomic()
        self.block._from_testcase = True  # like a TestCase's own transaction: linli.core.pagecache may cache in it
        with blocker.unblock(), override_settings(PASSWORD_HASHERS=[MD5_HASHER]):
            self.block.__enter__()
            try:
                self.built = build_world()
            except BaseException:
                self.block.__exit__(None, None, None)
                raise
        self.open = True
        # This thread's connection only: the connections other threads open and close are their own.
        self.connection = connections[DEFAULT_DB_ALIAS]
        close = self.connection.close

        def close_noted():
            self.closed_by.append(self.current or module_name)
            close()

        self.connection.close = close_noted

    def close(self):
        """Rolls the world back (after the last test that takes it, or at the end of the module)."""
        if not self.open:
            return
        from django.db import transaction

        self.open = False
        del self.connection.close
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.block.__exit__(None, None, None)

    def closed_message(self) -> str:
        return (
            f"{self.closed_by[0]} closed the database connection. The tests of {self.module_name} share one world "
            "in a transaction open for the module (conftest.py), and a close ends it: later tests would fail with "
            "obscure errors on PostgreSQL. Put SHARED_WORLD = False in the module (each test then builds its own "
            "world), or keep the test from closing the connection."
        )


#: The shared world open for a module, closed after the module's last test that takes it.
_open_worlds: dict = {}


@pytest.fixture(scope="module")
def _module_world(request, django_db_setup, django_db_blocker):
    """The module's SharedWorld when its first test that asks for the world takes the shared world, else None
    (every test then builds its own). The world lives in a transaction; each test runs in a savepoint of it
    (pytest-django's `db`), rolled back after the test, and the transaction is rolled back after the module's last
    test that takes it: every test starts from the same rows, as if it had built them itself (about 180 statements
    and 0.15 s of CPU a build on SQLite, more on PostgreSQL). A test that closes the connection (a command's own
    close, `connections.close_all()`) fails, on both databases, with a message naming the module and
    SHARED_WORLD = False."""
    if not takes_shared_world(request._pyfuncitem):
        yield None
        return
    shared = _open_worlds[request.module] = SharedWorld(request.module.__name__, django_db_blocker)
    try:
        yield shared
    finally:
        _open_worlds.pop(request.module, None)
        shared.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the module's last test that takes the shared world (and its savepoint's rollback), the world's
    transaction is rolled back: the module's other tests run on the database as before."""
    yield
    module = getattr(item, "module", None)
    if module in _open_worlds and (
        nextitem is None or getattr(nextitem, "module", None) is not module or not takes_shared_world(nextitem)
    ):
        _open_worlds.pop(module).close()


@pytest.fixture
def world(request, _module_world, db):
    """The two-street world of personas (linli.testing). Shared by the module's tests that `takes_shared_world`:
    each test gets its own copy of the Python objects (as Django's setUpTestData does), so what one test changes
    on an instance or adds to world.users is not seen by the next; the rows are the same savepoint's."""
    if _module_world is None or not _module_world.open or not takes_shared_world(request.node):
        from linli.testing import build_world

        yield build_world()
        return
    import copy

    if _module_world.closed_by:
        pytest.fail(_module_world.closed_message(), pytrace=False)
    _module_world.current = request.node.nodeid
    yield copy.deepcopy(_module_world.built)
    _module_world.current = ""
    if _module_world.closed_by:
        pytest.fail(_module_world.closed_message(), pytrace=False)


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as that persona."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def _chromium_session():
    """One Playwright driver and one chromium for the whole session, started by the first browser test (a launch
    costs seconds of the machine's time; each test gets new contexts of it, closed after the test).

    Between browser tests the Playwright event loop is parked: its sync API marks the loop as running in this
    thread between its calls (so that Django refuses ORM calls, see `chromium`), and so would every later test.
    `chromium` marks it running again for the length of a browser test, as Playwright itself does after each call."""
    import asyncio

    state = {}

    def launch():
        from playwright.sync_api import sync_playwright

        if "manager" not in state:
            manager = sync_playwright()
            state["playwright"] = manager.start()  # stops the driver itself if it fails
            state["manager"] = manager
        state["browser"] = state["playwright"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return state["manager"]._loop, state["browser"]

    def use():
        """(loop, browser), the loop marked running: a browser that crashed or was closed is launched again."""
        if "manager" in state:
            asyncio._set_running_loop(state["manager"]._loop)
            if "browser" in state and state["browser"].is_connected():
                return state["manager"]._loop, state["browser"]
        return launch()

    yield use
    if "manager" in state:
        asyncio._set_running_loop(state["manager"]._loop)
        try:
            if "browser" in state and state["browser"].is_connected():
                state["browser"].close()
        finally:
            state["manager"].__exit__()  # stops the driver and closes the loop (and clears the running loop)
            asyncio._set_running_loop(None)


@pytest.fixture
def chromium(_chromium_session, monkeypatch):
    """Debian's chromium driven by Playwright (no browser download: the machine's own binary): the session's
    browser (`_chromium_session`); whatever context the test opens in it is closed after the test."""
    import asyncio
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are synchronous and safe. Set for this test only: left set, it would leak into later tests
    # (the deploy checks of test_login_security.py read the environment).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        _loop, browser = _chromium_session()
    except BaseException:
        asyncio._set_running_loop(None)  # a failed launch leaves the loop marked running: later tests would see it
        raise
    before = set(browser.contexts)
    try:
        yield browser
    finally:
        try:
            for context in browser.contexts:
                if context not in before:
                    context.close()
        finally:
            asyncio._set_running_loop(None)  # parked until the next browser test (see _chromium_session)
