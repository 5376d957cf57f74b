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
def _fresh_holiday_table():
    """Each test starts and ends with no cached holiday table: a rolled-back override fires no signal."""
    from linli.workdays import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with an empty cache: cached drop-downs (linli.core.pagecache) and unread counts are keyed by
    ids, which a later test may reuse, and a rolled-back row fires no signal."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def _shipped_router():
    """The routing model trained once per test session on the shipped examples (about 2 s)."""
    from linli.appeals.routing import model

    return model.train(model.load_examples(model.TRAIN_FILE))


@pytest.fixture(autouse=True)
def _primed_router(_shipped_router, monkeypatch):
    """Pages that show a routing suggestion use the session's model instead of training one per test database
    (test_routing.py empties this cache itself to test storage and retraining)."""
    from linli.appeals.routing import services as routing

    monkeypatch.setattr(routing, "CHECK_SECONDS", 3600.0)
    routing._remember(0, _shipped_router)
    yield
    routing._forget()


def pytest_collection_modifyitems(items):
    """The tests on the shared demo build (`demo_output`) run last, in their usual order: the demo is then built
    once per session and exists only while they run, so no other test sees its 8,234 residents."""
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


@pytest.fixture
def world(db):
    from linli.testing import build_world

    return build_world()


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


@pytest.fixture
def chromium(monkeypatch):
    """Debian's chromium driven by Playwright (no browser download: the machine's own binary)."""
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are synchronous and safe. Set for this test only: left set, it would leak into later tests
    # (the deploy checks of test_login_security.py read the environment).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
