import pytest

from linli.party.testing import build_party_world


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pw(world):
    return build_party_world(world)
