import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing (PBKDF2) costs ~0.2 s per user; tests create many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from linli.core.testing import build_world

    return build_world()


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as that persona."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
